"""What the learner reads after an answer: marked transcript, feedback, prompts, failures.

Inputs are hand-made word timings measured by the real `domain.metrics.measure` and
coached by the real rule-based coach, so marks sit where production metrics put them.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from adapters.feedback.rule_based import RuleBasedCoach
from adapters.telegram.text.html import utf16_len
from adapters.telegram.text.render import (
    TELEGRAM_LIMIT,
    failure_message,
    feedback_messages,
    marked_transcript,
    prompt_message,
)
from application.ports import FeedbackRequest
from domain.metrics import measure, metrics_to_dict
from domain.prompts import Prompt, get_prompt, prompts_for
from domain.rubric import rubric_to_dict, score_answer
from domain.speech import AudioFacts, Interval, Transcript
from tests.support.scripts import scripted_words
from tests.unit.test_telegram_render_split import parse_telegram_html


def spoken(script: str) -> tuple[Transcript, dict[str, Any]]:
    """Scripted words (see `scripted_words`) as a transcript, and their metrics."""
    words, t = scripted_words(script)
    facts = AudioFacts(t + 0.4, t - 0.5, (Interval(0.5, t),))
    text = "".join(w.text for w in words).strip()
    return Transcript(text, tuple(words), "en", "scripted"), metrics_to_dict(measure(words, facts))


def feedback_for(script: str, prompt_id: str = "toefl-int-03") -> tuple[Transcript, dict[str, Any]]:
    prompt = get_prompt(prompt_id)
    transcript, metrics = spoken(script)
    rubric = rubric_to_dict(
        score_answer(
            measure(transcript.words, AudioFacts(60, 50, ())),
            transcript.text,
            prompt.mode,
            prompt.text,
            prompt.target_words,
        )
    )
    given = RuleBasedCoach().give_feedback(
        FeedbackRequest(prompt.text, prompt.mode, transcript, metrics, rubric, prompt.answer_s)
    )
    return transcript, {
        "metrics": metrics,
        "rubric": rubric,
        "summary": given.summary,
        "model_answer": given.model_answer,
        "next_steps": list(given.next_steps),
    }


def seen(markup: str) -> str:
    return parse_telegram_html(markup)


def test_fillers_are_underlined_where_they_were_said_and_the_words_around_them_are_not() -> None:
    marked = marked_transcript(*spoken("Well, um, I think gardens, you know, help people."))
    assert "<u>um,</u>" in marked
    assert "<u>you know,</u>" in marked
    assert seen(marked) == "Well, um, I think gardens, you know, help people."
    assert len(re.findall("<u>", marked)) == 2


def test_like_as_a_verb_is_not_marked_as_a_filler() -> None:
    assert "<u>" not in marked_transcript(*spoken("I like tea and my friends like coffee."))


def test_a_long_pause_is_written_between_the_words_it_separated_with_its_length() -> None:
    # 0.1 s between words plus 1.6 s of silence makes a 1.7 s pause after "it."
    marked = marked_transcript(*spoken("I support it. |1.6| Gardens help people. |0.4| Really."))
    assert re.search(r"it\. … \[1\.7 s\] … Gardens", seen(marked))
    assert marked.count("[") == 1


def test_a_pause_after_a_repeated_phrase_lands_after_the_right_occurrence() -> None:
    marked = seen(marked_transcript(*spoken("so I think so I think |1.2| so I think yes")))
    before, after = marked.split(" … [1.3 s] … ")
    assert before.split() == ["so", "I", "think", "so", "I", "think"]
    assert after.split() == ["so", "I", "think", "yes"]


def test_a_transcript_without_word_timings_is_shown_plain_and_escaped() -> None:
    plain = Transcript("I said <b>&amp; um", (), "en", "openai")
    assert seen(marked_transcript(plain, {"fillers": [], "pauses": []})) == "I said <b>&amp; um"


def test_markup_in_what_the_learner_said_or_the_prompt_is_shown_not_obeyed() -> None:
    transcript, feedback = feedback_for("I <b>&amp; think <i>gardens</i> are good for people.")
    parts = feedback_messages(
        "Would you <a href='x'>support</a> it?", "free_talk", transcript, feedback
    )
    shown = "".join(seen(p) for p in parts)
    assert "Would you <a href='x'>support</a> it?" in shown
    assert "<b>&amp;" in shown
    assert "<i>gardens</i>" in shown


def test_feedback_shows_scores_with_evidence_once_the_transcript_model_answer_and_steps() -> None:
    transcript, feedback = feedback_for(
        "Um, I would support it, because the garden is good for people. |1.5| It is nice for "
        "kids, you know, because they can learn about plants and where food comes from."
    )
    parts = feedback_messages(
        get_prompt("toefl-int-03").text, "toefl_interview", transcript, feedback
    )
    shown = "\n".join(seen(p) for p in parts)
    for criterion in feedback["rubric"]["criteria"]:
        assert f"{criterion['name']}: {criterion['score']:g}/{criterion['scale_max']:g}" in shown
        assert shown.count(criterion["evidence"][0]) == 1
    assert "… [1.6 s] …" in shown
    assert feedback["model_answer"] in shown
    steps = feedback["next_steps"]
    assert 2 <= len(steps) <= 3
    assert all(f"{n}. {step}" in shown for n, step in enumerate(steps, 1))
    assert "TOEFL" in shown


def test_speech_that_could_not_be_made_out_is_named_under_the_transcript() -> None:
    transcript, feedback = feedback_for("I would support it because gardens help people.")
    muffled = dataclasses.replace(transcript, unheard=(Interval(3.1, 5.4), Interval(8.0, 9.25)))
    shown = "\n".join(
        seen(p) for p in feedback_messages("Prompt?", "ielts_part1", muffled, feedback)
    )
    assert "I could not make out 3.1-5.4 s and 8.0-9.2 s of your recording" in shown
    assert shown.index("gardens help people") < shown.index("could not make out")
    clear = "\n".join(
        seen(p) for p in feedback_messages("Prompt?", "ielts_part1", transcript, feedback)
    )
    assert "could not make out" not in clear


def test_a_summary_without_scores_gets_the_rubric_added() -> None:
    transcript, feedback = feedback_for("I would support it because gardens help people.")
    feedback["summary"] = "Good effort. Slow down a little."
    shown = seen(feedback_messages("Prompt?", "ielts_part1", transcript, feedback)[0])
    for criterion in feedback["rubric"]["criteria"]:
        assert criterion["name"] in shown


def test_two_minutes_of_speech_comes_as_several_valid_messages_with_every_word_in_order() -> None:
    sentence = "I think um a community garden gives people a reason to meet their neighbours"
    script = " ".join(f"{sentence} |1.1|" if n % 5 == 4 else sentence for n in range(29))
    transcript, feedback = feedback_for(script)
    assert len(transcript.words) >= 400
    parts = feedback_messages("Prompt?", "ielts_part2", transcript, feedback)
    assert len(parts) >= 2
    assert all(utf16_len(p) <= TELEGRAM_LIMIT for p in parts)
    shown = " ".join(seen(p) for p in parts)
    said = re.sub(r" … \[\d+\.\d s\] … ", " ", shown)
    assert " ".join(w.text.strip() for w in transcript.words) in " ".join(said.split())


def test_a_failure_says_what_happened_and_what_to_do_without_markup_leaking() -> None:
    shown = seen(failure_message("no_speech", "Speak <louder> & closer, then send it again."))
    assert shown.startswith("I didn't hear any words.")
    assert "Speak <louder> & closer" in shown


def test_an_unknown_failure_without_a_message_still_says_what_to_do() -> None:
    shown = seen(failure_message("disk_on_fire", ""))
    assert "went wrong" in shown
    assert "Send it again" in shown


def test_a_prompt_shows_its_mode_time_limits_and_cue_card_points() -> None:
    card = prompts_for("ielts_part2")[0]
    shown = seen(prompt_message(card))
    assert "IELTS Part 2" in shown
    assert "Prepare for 1 min, then answer in up to 2 min" in shown
    assert "• " in shown
    assert "compare" in seen(prompt_message(card, attempt_hint=True))


def test_a_prompt_text_from_elsewhere_is_escaped() -> None:
    odd = Prompt("x", "free_talk", "Tell me about <script> & stuff", 0, 45, 79)
    shown = seen(prompt_message(odd))
    assert "Tell me about <script> & stuff" in shown
    assert "Answer in up to 45 s" in shown
