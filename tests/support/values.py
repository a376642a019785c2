"""Hypothesis strategies for the domain's value objects and event payloads."""

from __future__ import annotations

from hypothesis import strategies as st

from domain.speech import AudioFacts, Interval, Transcript, Word

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


transcripts = st.builds(
    Transcript,
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
