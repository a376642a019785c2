"""The rule-based coach: feedback that quotes the learner and steps aimed at the weakest area.

Inputs are hand-made word timings measured by the real `domain.metrics.measure`, so every
number the feedback quotes comes from the same place it would in production.
"""

from __future__ import annotations

import re

from adapters.feedback.rule_based import RuleBasedCoach
from application.ports import Feedback, FeedbackRequest
from domain.metrics import measure, metrics_to_dict
from domain.prompts import get_prompt
from domain.rubric import rubric_to_dict, score_answer
from domain.speech import AudioFacts, Interval, Transcript, Word
from tests.support.scripts import LEAD_S, scripted_words

TAIL_S = 0.4


def spoken(script: str) -> tuple[list[Word], float]:
    """Words from a script (see `scripted_words`) and the recording's length."""
    words, t = scripted_words(script)
    return words, round(t + TAIL_S, 3)


def request_for(
    script: str, prompt_id: str = "toefl-int-03", *, timed: bool = True
) -> FeedbackRequest:
    prompt = get_prompt(prompt_id)
    words, duration = spoken(script)
    facts = AudioFacts(duration, duration - LEAD_S - TAIL_S, (Interval(LEAD_S, duration - TAIL_S),))
    metrics = measure(words, facts, prompt.answer_s)
    text = "".join(w.text for w in words).strip()
    rubric = score_answer(metrics, text, prompt.mode, prompt.text, prompt.target_words)
    return FeedbackRequest(
        prompt_text=prompt.text,
        mode=prompt.mode,
        transcript=Transcript(text, tuple(words) if timed else (), "en", "scripted"),
        metrics=metrics_to_dict(metrics),
        rubric=rubric_to_dict(rubric),
        answer_limit_s=prompt.answer_s,
    )


def coach(script: str, prompt_id: str = "toefl-int-03", *, timed: bool = True) -> Feedback:
    return RuleBasedCoach().give_feedback(request_for(script, prompt_id, timed=timed))


FILLER_HEAVY = (
    "Um, I would support it. Um because the garden is good for people. It is nice for kids, "
    "um, because they can learn about plants and, you know, where food comes from. And, like, "
    "older neighbours can meet there. Um because many of them live alone. Uh I think a garden "
    "also makes the street greener and quieter, and people might spend more time outside "
    "together, which helps everyone in the area feel safer and more connected every single day."
)
FLUENT_FULL = (
    "I would support the garden. First, an empty car park is wasted space in the middle of "
    "town. A garden would give families somewhere green to sit and talk. Second, children "
    "could learn how vegetables grow, which most of them never see. For example, my cousin "
    "joined a school garden project last spring and now she cooks with her own tomatoes. "
    "She tells everyone about it. So the town gains a meeting place and a classroom at once, "
    "and the cost is small compared with a new building. Neighbours would share the work."
)


def test_the_feedback_counts_the_learners_ums_and_names_the_word_they_came_before() -> None:
    script = "I um think um because it is um cheap and um because it is near."
    feedback = coach(script)
    said = script.lower().split().count("um")
    before_because = script.lower().count("um because")
    assert f"'um' {said} times" in feedback.summary
    assert f"{before_because} of them right before 'because'" in feedback.summary


def test_the_longest_pause_is_reported_with_its_length_and_the_word_before_it() -> None:
    feedback = coach("I want the |1.8| garden because it is green and quiet for everyone.")
    match = re.search(
        r"longest pause \((\d+\.\d) s\) came in the middle of a clause", feedback.summary
    )
    assert match, feedback.summary
    assert abs(float(match.group(1)) - 1.8) <= 0.15
    assert "after 'the'" in feedback.summary


def test_time_used_is_reported_against_the_answer_limit() -> None:
    request = request_for("I would support it because gardens are green.")
    feedback = RuleBasedCoach().give_feedback(request)
    used = round(float(str(request.metrics["duration_s"])))
    assert f"You used {used} of 45 seconds" in feedback.summary


def test_pace_is_given_in_words_per_minute_against_a_fluent_range() -> None:
    request = request_for(FLUENT_FULL)
    feedback = RuleBasedCoach().give_feedback(request)
    wpm = round(float(str(request.metrics["wpm"])))
    assert f"{wpm} words per minute" in feedback.summary
    assert "110-160" in feedback.summary


def test_a_common_word_said_again_and_again_gets_alternatives() -> None:
    feedback = coach(
        "The garden is good. It is good for kids and good for old people. Good food too."
    )
    assert "'good' 4 times" in feedback.summary
    assert "'useful'" in feedback.summary


def test_the_summary_leads_with_the_rubric_score_and_its_evidence() -> None:
    request = request_for(FLUENT_FULL)
    feedback = RuleBasedCoach().give_feedback(request)
    rubric = request.rubric
    assert str(rubric["band_label"]) in feedback.summary.splitlines()[0]
    for criterion in rubric["criteria"]:  # type: ignore[attr-defined]
        assert criterion["name"] in feedback.summary
        for sentence in criterion["evidence"]:
            assert sentence in feedback.summary


def test_the_coach_never_passes_a_verdict_on_grammar() -> None:
    for script in (FILLER_HEAVY, FLUENT_FULL, "um yes"):
        summary = coach(script).summary.lower()
        verdict = r"grammar[^.]*\b(good|bad|great|poor|excellent|weak|strong|correct|accurate)\b"
        assert not re.search(verdict, summary), summary


def test_the_learners_own_words_appear_in_the_summary_only_inside_quotes() -> None:
    invented = ["zorbly", "quintal", "mextra"]
    script = (
        "I I think um zorbly is fine. Um zorbly zorbly helps the |1.6| quintal and "
        "um quintal grows. Good mextra, good mextra, good mextra, good."
    )
    summary = coach(script).summary
    unquoted = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", "", summary)
    for word in invented:
        assert word not in unquoted.lower(), word
    assert any(word in summary for word in invented)


def test_feedback_is_free_and_names_the_rule_based_provider() -> None:
    feedback = coach(FLUENT_FULL)
    usage = feedback.usage
    assert (usage.provider, usage.model, usage.cost_usd, usage.input_tokens) == (
        "rule-based",
        "rules-v1",
        0,
        0,
    )


def test_a_filler_heavy_answer_gets_a_filler_step_first() -> None:
    steps = coach(FILLER_HEAVY).next_steps
    assert 2 <= len(steps) <= 3
    assert "fillers per 100 words" in steps[0]
    assert "'um'" in steps[0]


def test_a_too_short_answer_gets_a_step_to_use_the_time() -> None:
    steps = coach("I would support it because gardens are green.").next_steps
    assert 2 <= len(steps) <= 3
    assert any("of your 45 seconds" in step for step in steps)


def test_a_fluent_full_answer_is_not_told_to_cut_fillers_or_use_more_time() -> None:
    steps = coach(FLUENT_FULL).next_steps
    assert 2 <= len(steps) <= 3
    assert not any("fillers" in step or "of your 45 seconds" in step for step in steps)


def test_every_step_names_a_number_to_aim_for() -> None:
    for script in (FILLER_HEAVY, FLUENT_FULL, "um yes", "I I I think I I like it it it."):
        for step in coach(script).next_steps:
            assert re.search(r"\d", step), step


def test_an_almost_empty_answer_still_gets_complete_feedback() -> None:
    feedback = coach("um yes", "ielts-p1-02")
    assert "1 word" in feedback.summary
    assert "You used" in feedback.summary
    assert "Yes" in feedback.model_answer
    assert "[" in feedback.model_answer
    assert 2 <= len(feedback.next_steps) <= 3
    assert any("of your 30 seconds" in step for step in feedback.next_steps)


def test_a_transcript_without_word_timings_is_still_coached() -> None:
    feedback = coach("Um I would support it um because gardens are green.", timed=False)
    assert "support" in feedback.model_answer
    assert not re.search(r"\bum\b", feedback.model_answer, re.IGNORECASE)
    assert 2 <= len(feedback.next_steps) <= 3
