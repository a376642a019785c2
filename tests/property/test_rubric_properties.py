"""Properties of rubric scoring that hold for any measured answer in any mode."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from domain.metrics import Filler, Pause, Repetition, SpeechMetrics
from domain.rubric import rubric_from_dict, rubric_to_dict, score_answer
from domain.rubric.cefr import LEVELS
from domain.rubric.score import EXAM_BY_MODE

MODES = sorted(EXAM_BY_MODE)
FLUENCY_CRITERIA = {"Fluency and coherence", "Delivery", "Fluency"}
small = st.floats(0.0, 100.0, allow_nan=False)


def pauses() -> st.SearchStrategy[tuple[Pause, ...]]:
    pause = st.builds(
        lambda s, d, kind: Pause(s, s + d, kind, "a", "b"),
        small,
        st.floats(0.25, 5.0),
        st.sampled_from(["boundary", "mid_clause"]),
    )
    return st.lists(pause, max_size=20).map(tuple)


filler = st.builds(
    lambda t, s: Filler(t, s, s + 0.3, 0, None, None),
    st.sampled_from(["um", "uh", "like", "you know", "i mean"]),
    small,
)


@st.composite
def speech_metrics(draw: st.DrawFn) -> SpeechMetrics:
    words = draw(st.integers(0, 400))
    enough = words >= 10
    return SpeechMetrics(
        duration_s=draw(st.floats(0.5, 600.0)),
        speech_s=draw(st.floats(0.0, 600.0)),
        word_count=words,
        wpm=draw(st.floats(0.0, 400.0)),
        articulation_wpm=draw(st.floats(0.0, 500.0)),
        speaking_time_ratio=draw(st.floats(0.0, 1.0)),
        mean_length_of_run=draw(st.floats(0.0, 60.0)),
        pauses=draw(pauses()),
        fillers=tuple(draw(st.lists(filler, max_size=30))),
        repetitions=tuple(
            draw(
                st.lists(st.builds(Repetition, st.just("i"), small, st.integers(2, 4)), max_size=5)
            )
        ),
        hedges=tuple(draw(st.lists(st.sampled_from(["maybe", "i think"]), max_size=5))),
        unique_words=min(words, draw(st.integers(0, 400))),
        mattr=draw(st.floats(0.0, 1.0)) if enough else None,
        mtld=draw(st.floats(1.0, 500.0)) if enough else None,
        time_limit_s=draw(st.none() | st.integers(15, 300)),
        time_used_ratio=draw(st.none() | st.floats(0.0, 3.0)),
        pitch_semitones_sd=draw(st.none() | st.floats(0.0, 20.0)),
    )


answer_text = st.text(alphabet="abcdefghij ,.'", max_size=300)
target = st.none() | st.integers(20, 300)


@given(speech_metrics(), answer_text, st.sampled_from(MODES), answer_text, target)
def test_every_score_lies_on_its_scale_or_is_honestly_missing(
    m: SpeechMetrics, text: str, mode: str, prompt: str, words: int | None
) -> None:
    result = score_answer(m, text, mode, prompt, words)
    for c in result.criteria:
        assert c.score is None or 0.0 <= c.score <= c.scale_max
        assert c.evidence, f"{c.name} has no evidence"
    assert result.overall is None or 0.0 <= result.overall <= result.overall_scale_max
    assert result.cefr in LEVELS
    assert result.cefr_evidence


@given(speech_metrics(), answer_text, st.sampled_from(MODES), answer_text, target)
def test_rubric_round_trips_through_json(
    m: SpeechMetrics, text: str, mode: str, prompt: str, words: int | None
) -> None:
    result = score_answer(m, text, mode, prompt, words)
    assert rubric_from_dict(json.loads(json.dumps(rubric_to_dict(result)))) == result


@given(speech_metrics(), st.lists(filler, min_size=1, max_size=20), st.sampled_from(MODES))
def test_more_fillers_never_raise_the_fluency_score(
    m: SpeechMetrics, extra: list[Filler], mode: str
) -> None:
    more = SpeechMetrics(**{**m.__dict__, "fillers": m.fillers + tuple(extra)})
    before = score_answer(m, "so it goes", mode).criteria
    after = score_answer(more, "so it goes", mode).criteria
    for b, a in zip(before, after, strict=True):
        if b.name in FLUENCY_CRITERIA and b.score is not None and a.score is not None:
            assert a.score <= b.score


@given(speech_metrics(), answer_text, st.sampled_from(["ielts_part1", "ielts_part2"]))
def test_ielts_overall_is_the_criteria_mean_on_half_bands(
    m: SpeechMetrics, text: str, mode: str
) -> None:
    result = score_answer(m, text, mode)
    scored = [c.score for c in result.criteria if c.score is not None]
    assert all(s == int(s) for s in scored)
    if result.overall is not None:
        assert (result.overall * 2) == int(result.overall * 2)
        assert abs(result.overall - sum(scored) / len(scored)) <= 0.25
