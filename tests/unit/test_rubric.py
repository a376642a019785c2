"""Rubric scores a learner can trust: the right exam scale, the numbers behind each score."""

from __future__ import annotations

import pytest

from domain.errors import UnknownPromptError
from domain.metrics import Filler, Pause, SpeechMetrics
from domain.rubric import score_answer
from domain.rubric.cefr import LEVELS
from domain.rubric.scales import round_half_up

ANSWER = (
    "I think the best place near my home is the river park, because it is quiet and green. "
    "I usually go there in the morning, which helps me plan my day. For example, last week "
    "I saw herons fishing, and that was beautiful. However, it gets crowded on weekends."
)
PROMPT = "Describe a place near your home that you like to visit and explain why."


def metrics(**changes: object) -> SpeechMetrics:
    base: dict[str, object] = {
        "duration_s": 40.0, "speech_s": 34.0, "word_count": 90, "wpm": 130.0,
        "articulation_wpm": 150.0, "speaking_time_ratio": 0.85, "mean_length_of_run": 9.0,
        "pauses": (), "fillers": (), "repetitions": (), "hedges": ("i think",),
        "unique_words": 60, "mattr": 0.76, "mtld": 70.0, "time_limit_s": 45,
        "time_used_ratio": 40 / 45, "pitch_semitones_sd": 3.0,
    }  # fmt: skip
    base.update(changes)
    return SpeechMetrics(**base)  # type: ignore[arg-type]


def test_each_mode_is_scored_on_its_own_exam_scale() -> None:
    m = metrics()
    assert score_answer(m, ANSWER, "toefl_interview").overall_scale_max == 6
    assert score_answer(m, ANSWER, "toefl_independent").overall_scale_max == 4
    for part in ("ielts_part1", "ielts_part2", "ielts_part3"):
        result = score_answer(m, ANSWER, part)
        assert result.exam == "IELTS speaking"
        assert [c.scale_max for c in result.criteria] == [9, 9, 9, 9]
    assert score_answer(m, ANSWER, "job_interview").exam == "CEFR"
    assert score_answer(m, ANSWER, "free_talk").band_label.startswith("CEFR ")


def test_an_unknown_mode_is_refused_with_the_modes_that_exist() -> None:
    with pytest.raises(UnknownPromptError, match="ielts_part2"):
        score_answer(metrics(), ANSWER, "toeic")


def test_the_classic_toefl_task_rates_delivery_language_use_and_topic_development() -> None:
    result = score_answer(metrics(), ANSWER, "toefl_independent", PROMPT, 100)
    assert [c.name for c in result.criteria] == ["Delivery", "Language use", "Topic development"]
    assert all(c.score is not None and c.score == int(c.score) for c in result.criteria)
    assert result.band_label == f"TOEFL {result.overall:.0f} of 4"


@pytest.mark.parametrize(
    ("mean", "band"), [(6.0, 6.0), (6.125, 6.0), (6.25, 6.5), (6.5, 6.5), (6.75, 7.0)]
)
def test_ielts_overall_rounds_to_the_nearest_half_band_as_ielts_does(
    mean: float, band: float
) -> None:
    assert round_half_up(mean, 0.5) == band


def test_evidence_quotes_the_numbers_the_score_rests_on() -> None:
    result = score_answer(metrics(wpm=118.0), ANSWER, "ielts_part2", PROMPT)
    fluency = result.criteria[0]
    assert any("118 words per minute" in e and "110–160" in e for e in fluency.evidence)
    lexical = result.criteria[1]
    assert any("0.76" in e for e in lexical.evidence)


def test_grammar_is_never_claimed_as_accurate_because_it_is_not_checked_offline() -> None:
    result = score_answer(metrics(), ANSWER, "ielts_part3")
    grammar = next(c for c in result.criteria if c.name.startswith("Grammatical"))
    assert any("accuracy was not checked" in e for e in grammar.evidence)
    assert grammar.score is not None
    assert grammar.score < 9


def test_pronunciation_without_pitch_says_so_instead_of_inventing_a_band() -> None:
    result = score_answer(metrics(pitch_semitones_sd=None), ANSWER, "ielts_part1")
    pronunciation = result.criteria[3]
    assert pronunciation.score is None
    assert any("could not be measured" in e for e in pronunciation.evidence)
    assert "from 3 of 4 criteria" in result.band_label


def test_a_hesitant_answer_scores_lower_on_fluency_than_a_fluent_one() -> None:
    hesitant = metrics(
        wpm=70.0,
        mean_length_of_run=2.5,
        pauses=tuple(Pause(i, i + 1.5, "mid_clause", "x", "y") for i in range(0, 40, 5)),
        fillers=tuple(Filler("um", i, i + 0.3, i, None, None) for i in range(12)),
    )
    fluent = score_answer(metrics(), ANSWER, "ielts_part2").criteria[0].score
    halting = score_answer(hesitant, ANSWER, "ielts_part2").criteria[0].score
    assert fluent is not None
    assert halting is not None
    assert halting < fluent


def test_a_short_answer_cannot_earn_a_high_cefr_level() -> None:
    short = metrics(word_count=20, unique_words=18, mattr=0.9, mtld=None, wpm=150.0)
    result = score_answer(short, "I like it a lot because it is nice.", "free_talk")
    assert LEVELS.index(result.cefr) <= LEVELS.index("A2")
    assert any("20 words" in e for e in result.cefr_evidence)


def test_a_fluent_varied_long_answer_is_estimated_at_least_b2() -> None:
    result = score_answer(metrics(), ANSWER, "job_interview")
    assert LEVELS.index(result.cefr) >= LEVELS.index("B2")


def test_an_answer_far_shorter_than_the_target_loses_topic_development() -> None:
    full = score_answer(metrics(), ANSWER, "toefl_interview", PROMPT, 90)
    thin = score_answer(metrics(word_count=20), ANSWER, "toefl_interview", PROMPT, 90)
    assert full.criteria[2].score is not None
    assert thin.criteria[2].score is not None
    assert thin.criteria[2].score < full.criteria[2].score
    assert any("20 words against about 90" in e for e in thin.criteria[2].evidence)


def test_toefl_interview_band_is_the_item_score_on_the_1_to_6_scale() -> None:
    result = score_answer(metrics(), ANSWER, "toefl_interview", PROMPT, 90)
    scores = [c.score for c in result.criteria if c.score is not None]
    item = sum(scores) / len(scores)
    assert result.overall == round_half_up(1 + item, 0.5)
    assert 1.0 <= (result.overall or 0) <= 6.0
