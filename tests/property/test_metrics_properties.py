"""Properties of the speech metrics that must hold for any answer, not just the examples."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.lexical import MATTR_WINDOW, mattr, type_token_ratio
from domain.metrics import MIN_PAUSE_S, SpeechMetrics, measure, metrics_from_dict, metrics_to_dict
from domain.speech import AudioFacts, Interval, Word

VOCAB = ["I", "think", "the", "city", "is", "like", "um", "you", "know", "because", "so", "a"]
PUNCT = ["", "", "", ",", "."]

spoken_word = st.tuples(
    st.sampled_from(VOCAB),
    st.sampled_from(PUNCT),
    st.floats(0.1, 0.6),  # how long the word lasts
    st.floats(0.0, 1.5),  # silence after it
)


def lay_out(items: list[tuple[str, str, float, float]]) -> tuple[list[Word], list[Interval]]:
    """Words on a timeline and the silences between them, as a faithful signal would show."""
    words, silences, t = [], [], 0.3
    for text, punct, length, gap in items:
        words.append(Word(f" {text}{punct}", t, t + length))
        t += length
        if gap > 0:
            silences.append(Interval(t, t + gap))
        t += gap
    return words, silences


def facts_for(words: list[Word], silences: list[Interval], *, signal: bool) -> AudioFacts:
    end = words[-1].end_s + 0.5
    return AudioFacts(end, end - 0.8, (), tuple(silences) if signal else ())


@given(
    st.lists(spoken_word, min_size=2, max_size=30),
    st.data(),
    st.floats(MIN_PAUSE_S, 3.0),
    st.booleans(),
)
def test_a_silence_inserted_never_lowers_the_pause_count(
    items: list[tuple[str, str, float, float]], data: st.DataObject, extra: float, signal: bool
) -> None:
    at = data.draw(st.integers(0, len(items) - 2))
    longer = list(items)
    text, punct, length, gap = longer[at]
    longer[at] = (text, punct, length, gap + extra)
    before = measure(*_measured(items, signal=signal)).pauses
    after = measure(*_measured(longer, signal=signal)).pauses
    assert len(after) >= len(before)


def _measured(
    items: list[tuple[str, str, float, float]], *, signal: bool
) -> tuple[list[Word], AudioFacts]:
    words, silences = lay_out(items)
    return words, facts_for(words, silences, signal=signal)


@given(st.lists(spoken_word, min_size=2, max_size=30), st.floats(0.25, 4.0))
def test_slowing_everything_down_by_k_divides_wpm_by_k(
    items: list[tuple[str, str, float, float]], k: float
) -> None:
    words, _ = lay_out(items)
    scaled = [Word(w.text, w.start_s * k, w.end_s * k) for w in words]
    base = measure(words, facts_for(words, [], signal=False))
    slow = measure(scaled, facts_for(scaled, [], signal=False))
    assert slow.wpm == pytest.approx(base.wpm / k, rel=1e-9)


@given(st.lists(spoken_word, min_size=1, max_size=40), st.booleans())
def test_every_pause_is_a_real_silence_between_the_first_and_last_word(
    items: list[tuple[str, str, float, float]], signal: bool
) -> None:
    words, silences = lay_out(items)
    m = measure(words, facts_for(words, silences, signal=signal))
    for p in m.pauses:
        assert p.duration_s >= MIN_PAUSE_S
        assert words[0].start_s <= p.start_s < p.end_s <= words[-1].end_s
        assert any(s.start_s <= p.start_s and p.end_s <= s.end_s for s in silences)
    assert all(p.end_s <= q.start_s for p, q in zip(m.pauses, m.pauses[1:], strict=False))
    assert m.long_pause_count <= len(m.pauses)
    assert m.wpm >= 0
    assert 0.0 <= m.speaking_time_ratio <= 1.0


@given(st.lists(spoken_word, min_size=2, max_size=30))
def test_with_a_faithful_signal_every_long_silence_is_reported_at_its_true_length(
    items: list[tuple[str, str, float, float]],
) -> None:
    words, silences = lay_out(items)
    m = measure(words, facts_for(words, silences, signal=True))
    inside = [s for s in silences if s.end_s < words[-1].end_s and s.duration_s >= 1.0]
    for s in inside:
        assert any(
            abs(p.start_s - s.start_s) < 0.25 and abs(p.end_s - s.end_s) < 0.25 for p in m.pauses
        )


@given(st.lists(spoken_word, min_size=2, max_size=30), st.data())
def test_long_pauses_keep_their_true_length_when_whisper_stretches_word_edges(
    items: list[tuple[str, str, float, float]], data: st.DataObject
) -> None:
    """Whisper ends words up to 0.7 s late into a silence and may start the next one early."""
    words, silences = lay_out(items)
    blurred = []
    for i, w in enumerate(words):
        nxt = words[i + 1].start_s if i + 1 < len(words) else w.end_s + 0.7
        late = data.draw(st.floats(0.0, 0.7))
        early = data.draw(st.floats(0.0, 0.2))
        start = max(w.start_s - early, blurred[-1].end_s if blurred else 0.0)
        blurred.append(Word(w.text, start, min(w.end_s + late, max(nxt - early, w.end_s))))
    m = measure(blurred, facts_for(words, silences, signal=True))
    for s in silences:
        if s.duration_s >= 1.0 and s.end_s < words[-1].end_s:
            assert any(
                abs(p.start_s - s.start_s) <= 0.25 and abs(p.end_s - s.end_s) <= 0.25
                for p in m.pauses
            ), (s, m.pauses)


texts = st.lists(st.sampled_from([f"w{i}" for i in range(80)]), min_size=MATTR_WINDOW, max_size=300)


@given(texts, st.integers(2, 4))
def test_mattr_barely_moves_when_a_text_is_repeated_while_raw_ttr_falls(
    words: list[str], times: int
) -> None:
    n, w = len(words), MATTR_WINDOW
    repeated = words * times
    # Only the (times - 1) * (w - 1) windows across a seam are new; each differs by < 1.
    bound = (times - 1) * (w - 1) / (times * n - w + 1)
    assert abs(mattr(repeated) - mattr(words)) <= bound + 1e-9
    assert type_token_ratio(repeated) == pytest.approx(type_token_ratio(words) / times)


@given(texts)
def test_mattr_is_length_robust_where_raw_ttr_is_not_for_a_long_text(words: list[str]) -> None:
    long_text = words * 10
    assert abs(mattr(long_text) - mattr(words)) <= 0.2
    assert type_token_ratio(long_text) <= type_token_ratio(words) / 10 + 1e-12


@given(
    st.lists(spoken_word, min_size=1, max_size=40),
    st.booleans(),
    st.none() | st.integers(15, 300),
    st.lists(st.tuples(st.floats(0, 30), st.floats(0.5, 5)), max_size=3),
)
def test_metrics_round_trip_through_json(
    items: list[tuple[str, str, float, float]],
    signal: bool,
    limit: int | None,
    unheard: list[tuple[float, float]],
) -> None:
    words, silences = lay_out(items)
    stretches = [Interval(start, start + length) for start, length in unheard]
    facts = facts_for(words, silences, signal=signal)
    m = measure(words, facts, time_limit_s=limit, unheard=stretches)
    again = metrics_from_dict(json.loads(json.dumps(metrics_to_dict(m))))
    assert again == m
    assert isinstance(again, SpeechMetrics)


@given(st.lists(spoken_word, min_size=4, max_size=30), st.floats(0.5, 8.0))
def test_speech_that_could_not_be_made_out_never_slows_the_pace_or_makes_a_pause(
    items: list[tuple[str, str, float, float]], unheard_s: float
) -> None:
    """Words of an unheard stretch are missing, so its time must not count as time spent on
    the words we have (that would lower the pace), nor as a silence."""
    words, silences = lay_out(items)
    middle = len(words) // 2
    at = words[middle].start_s  # the stretch goes in right before this word
    later = [Word(w.text, w.start_s + unheard_s, w.end_s + unheard_s) for w in words[middle:]]
    moved = [
        s if s.end_s <= at else Interval(s.start_s + unheard_s, s.end_s + unheard_s)
        for s in silences
    ]
    stretch = Interval(at, at + unheard_s)
    all_words = words[:middle] + later
    without = measure(words, facts_for(words, silences, signal=True))
    heard = measure(all_words, facts_for(all_words, moved, signal=True), unheard=[stretch])
    assert heard.unheard == (stretch,)
    assert heard.wpm == pytest.approx(without.wpm)
    assert heard.articulation_wpm == pytest.approx(without.articulation_wpm)
    assert not any(p.start_s < stretch.end_s and stretch.start_s < p.end_s for p in heard.pauses)
