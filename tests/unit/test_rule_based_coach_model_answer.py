"""The model answer: the learner's own ideas without hesitation, in the shape the mode asks for."""

from __future__ import annotations

import re

from adapters.feedback.text import normalise
from domain.prompts import get_prompt
from tests.unit.test_rule_based_coach import FILLER_HEAVY, coach

FILLED_PAUSES = {"um", "uh", "er", "erm", "ah", "hmm"}


def tokens(text: str) -> list[str]:
    return [normalise(t) for t in text.split() if normalise(t)]


def test_the_model_answer_contains_none_of_the_learners_fillers() -> None:
    answer = coach(FILLER_HEAVY).model_answer
    said = tokens(answer)
    assert not FILLED_PAUSES & set(said)
    assert "you know" not in " ".join(said)
    assert "like" not in said


def test_the_model_answer_keeps_every_idea_word_of_a_short_answer() -> None:
    script = "Um, I I think the garden is uh great because, you know, children can grow carrots."
    answer = coach(script).model_answer.lower()
    for word in ("think", "garden", "great", "children", "grow", "carrots"):
        assert re.search(rf"\b{word}\b", answer), word


def test_a_stuttered_start_becomes_one_clean_start() -> None:
    answer = coach("I I I think it it is a good idea for the town.").model_answer
    assert answer.startswith("I think it is a good idea")
    assert not re.search(r"\b(\w+) \1\b", answer, re.IGNORECASE)


def test_a_toefl_answer_opens_with_the_learners_opinion_then_two_reasons_and_an_example() -> None:
    script = (
        "I would support the garden. It gives families a green place to relax. "
        "Children learn where vegetables come from. The town spends very little money on it."
    )
    answer = coach(script).model_answer
    assert answer.startswith("I would support the garden.")
    first, second = answer.find("First,"), answer.find("Second,")
    example = max(answer.find("For example,"), answer.find("[Add an example"))
    assert 0 < first < second < example, "an example of theirs, or where to add one, last"


def test_a_learners_own_example_is_kept_as_the_example() -> None:
    script = (
        "I prefer planning. It saves money. For example, last year I booked trains early "
        "and paid half. It is also less stressful."
    )
    answer = coach(script, "toefl-int-02").model_answer
    assert "For example, last year I booked trains early and paid half." in answer
    assert "[Add an example" not in answer


def test_a_job_interview_answer_is_laid_out_as_star() -> None:
    script = (
        "Last spring our team had a report due in two days. I had to collect data from "
        "three offices. I split the work and called each office in the morning. "
        "We sent the report on time."
    )
    lines = coach(script, "job-01").model_answer.splitlines()
    assert [line.split(":")[0] for line in lines] == ["Situation", "Task", "Action", "Result"]
    assert "Last spring our team had a report due in two days." in lines[0]
    assert "We sent the report on time." in lines[-1]


def test_an_ielts_cue_card_answer_covers_every_point_on_the_card() -> None:
    prompt = get_prompt("ielts-p2-01")
    points = [line[2:] for line in prompt.text.splitlines() if line.startswith("- ")]
    answer = coach("I taught myself to cook. I learned from videos.", prompt.id).model_answer
    for point in points:
        assert point[0].upper() + point[1:] + ":" in answer
    assert "I taught myself to cook." in answer
    assert answer.count("[") >= len(points) - 2


def test_a_thin_answer_says_in_brackets_what_to_add_about_the_topic() -> None:
    prompt = get_prompt("toefl-int-03")
    answer = coach("I support it.", prompt.id).model_answer
    generic = re.findall(r"\[([^\]]+)\]", answer)
    assert generic
    assert any(prompt.topic in sentence for sentence in generic)
    assert all(s.startswith(("Add", "Open", "Give", "Say", "End", "Answer")) for s in generic), (
        "each says what to add, not a stand-in sentence that teaches nothing"
    )
    assert answer.startswith("I support it.")


def test_a_long_rambling_answer_is_cut_to_what_fits_the_time() -> None:
    prompt = get_prompt("ielts-p1-04")
    sentence = "I usually walk to the station because it is close and the air is fresh. "
    answer = coach(sentence * 12, prompt.id).model_answer
    assert len(answer.split()) <= prompt.target_words
    assert answer.startswith("I usually walk to the station")


def test_an_unpunctuated_transcript_still_reads_as_sentences() -> None:
    answer = coach("um i think i would support it because gardens are green", "toefl-int-03")
    text = answer.model_answer
    assert text.startswith("I think I would support it")
    assert re.search(r"[.!?\]]$", text)


def test_a_second_reason_given_after_the_example_moves_before_it_and_nothing_is_padded() -> None:
    script = (
        "Well, I think students should work because it teaches them to manage time. "
        "For example, my friend worked in a cafe and planned better. "
        "Also, a job gives real experience with money. So a small job helps."
    )
    answer = coach(script, "toefl-int-06").model_answer
    assert answer.startswith("I think students should work because")
    assert "Also, a job gives real experience with money." in answer
    assert answer.index("Also,") < answer.index("For example,")
    assert "[" not in answer


def test_two_sentences_sharing_a_word_at_their_seam_stay_two_sentences() -> None:
    script = ("I don't think children should use smartphones. Uh, smartphones can distract them "
              "from homework and sleep.")  # fmt: skip
    feedback = coach(script)
    assert "smartphones can distract" in feedback.model_answer.lower()
    assert "use smartphones can" not in feedback.model_answer.lower(), "not glued into one"
    assert "'smartphones smartphones'" not in feedback.summary, "no repetition was said"
