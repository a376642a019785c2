"""Hypothesis strategies for the domain's value objects and event payloads."""

from __future__ import annotations

from hypothesis import strategies as st

from domain.feedback import ScoredFeedback
from domain.grammar import CATEGORIES, Correction, GrammarCheck
from domain.metrics import Filler, Pause, Repetition, SpeechMetrics
from domain.rubric import CriterionScore, RubricResult
from domain.speech import AudioFacts, Interval, Transcript, Word
from domain.usage import Usage

_times = st.floats(min_value=0, max_value=600, allow_nan=False, allow_infinity=False)
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    start = draw(_times)
    return Interval(start, start + draw(st.floats(min_value=0, max_value=5)))


@st.composite
def words(draw: st.DrawFn) -> Word:
    start = draw(_times)
    end = start + draw(st.floats(min_value=0, max_value=2))
    return Word(draw(_text), start, end, draw(st.floats(min_value=0, max_value=1)))


_counts = st.integers(min_value=0, max_value=100_000)
_maybe_text = st.none() | _text
_ratios = st.floats(min_value=0, max_value=10, allow_nan=False)
usages = st.builds(
    Usage,
    provider=st.sampled_from(["OpenAI", "Anthropic", "rule-based", "openai:whisper-1"]),
    model=_text,
    latency_s=_ratios,
    input_tokens=_counts,
    output_tokens=_counts,
    audio_s=_times,
    cost_usd=_ratios,
    failed_over=st.lists(_text, max_size=2).map(tuple),
)

transcripts = st.builds(
    Transcript,
    usage=st.none() | usages,
    text=_text,
    words=st.lists(words(), max_size=8).map(tuple),
    language=st.sampled_from(["en", "de"]),
    provider=st.sampled_from(["faster-whisper:tiny.en", "openai:whisper-1"]),
    unheard=st.lists(intervals(), max_size=3).map(tuple),
)

audio_facts = st.builds(
    AudioFacts,
    duration_s=_times,
    speech_s=_times,
    speech_segments=st.lists(intervals(), max_size=5).map(tuple),
    silences=st.lists(intervals(), max_size=5).map(tuple),
    pitch_semitones_sd=st.none() | st.floats(min_value=0, max_value=12),
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**31), 2**31)
    | _text
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=10,
)
json_objects = st.dictionaries(_text, json_values, max_size=4)


@st.composite
def pauses(draw: st.DrawFn) -> Pause:
    start = draw(_times)
    return Pause(
        start,
        start + draw(_ratios),
        draw(st.sampled_from(["boundary", "mid_clause"])),
        draw(_maybe_text),
        draw(_maybe_text),
    )


@st.composite
def fillers(draw: st.DrawFn) -> Filler:
    start = draw(_times)
    return Filler(
        draw(_text),
        start,
        start + draw(_ratios),
        draw(_counts),
        draw(_maybe_text),
        draw(_maybe_text),
    )


_maybe_ratio = st.none() | _ratios
speech_metrics = st.builds(
    SpeechMetrics,
    duration_s=_times,
    speech_s=_times,
    word_count=_counts,
    wpm=_ratios,
    articulation_wpm=_ratios,
    speaking_time_ratio=_ratios,
    mean_length_of_run=_ratios,
    pauses=st.lists(pauses(), max_size=3).map(tuple),
    fillers=st.lists(fillers(), max_size=3).map(tuple),
    repetitions=st.lists(st.builds(Repetition, _text, _times, _counts), max_size=2).map(tuple),
    hedges=st.lists(_text, max_size=2).map(tuple),
    unique_words=_counts,
    mattr=_maybe_ratio,
    mtld=_maybe_ratio,
    time_limit_s=st.none() | _counts,
    time_used_ratio=_maybe_ratio,
    pitch_semitones_sd=_maybe_ratio,
    unheard=st.lists(intervals(), max_size=2).map(tuple),
)

rubric_results = st.builds(
    RubricResult,
    exam=st.sampled_from(["ielts", "toefl", "cefr"]),
    criteria=st.lists(
        st.builds(
            CriterionScore, _text, _maybe_ratio, _ratios, st.lists(_text, max_size=2).map(tuple)
        ),
        max_size=4,
    ).map(tuple),
    overall=_maybe_ratio,
    overall_scale_max=_ratios,
    band_label=_text,
    cefr=st.sampled_from(["A2", "B1", "B2", "C1"]),
    cefr_evidence=st.lists(_text, max_size=2).map(tuple),
)


@st.composite
def corrections(draw: st.DrawFn) -> Correction:
    start = draw(st.integers(min_value=0, max_value=500))
    end = start + draw(st.integers(min_value=1, max_value=40))
    timed = draw(st.booleans())
    at = draw(_times)
    return Correction(
        draw(_text),
        draw(_text),
        draw(_text),
        draw(st.sampled_from(CATEGORIES)),
        start,
        end,
        draw(st.sampled_from(["rules", "harper", "languagetool"])),
        at if timed else None,
        at + 0.5 if timed else None,
    )


grammar_checks = st.builds(
    GrammarCheck,
    checked_by=st.lists(
        st.sampled_from(["rules", "harper", "languagetool"]), max_size=3, unique=True
    ).map(tuple),
    words=_counts,
    clauses=st.integers(min_value=0, max_value=50),
    clauses_with_errors=st.integers(min_value=0, max_value=50),
    corrections=st.lists(corrections(), max_size=6).map(tuple),
    unsure=st.integers(min_value=0, max_value=5),
    suggested=st.lists(corrections(), max_size=2).map(tuple),
)

scored_feedbacks = st.builds(
    ScoredFeedback,
    grammar=grammar_checks,
    metrics=speech_metrics,
    rubric=rubric_results,
    summary=_text,
    model_answer=_text,
    next_steps=st.lists(_text, max_size=3).map(tuple),
    usage=usages,
)
