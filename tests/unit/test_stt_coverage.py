"""Finding speech that no word explains, and hearing it again on one reel."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.stt.coverage import REEL_LIMIT_S, SEPARATOR_S, WORD_MARGIN_S, reels, uncovered
from adapters.stt.words import snapped_to_voice
from domain.speech import Interval, Word

RATE = 16_000


def test_speech_between_words_is_uncovered_and_speech_under_words_is_not() -> None:
    words = [Word("well", 0.0, 0.6), Word("I", 1.3, 1.5), Word("think", 1.5, 1.9)]
    speech = [Interval(0.0, 2.0)]
    (gap,) = uncovered(words, speech, 0.15)  # the 0.02 s after "think" is too short to count
    assert (gap.start_s, gap.end_s) == pytest.approx((0.6 + WORD_MARGIN_S, 1.3 - WORD_MARGIN_S))
    assert uncovered(words, speech, 0.6) == ()


def test_a_recording_whose_opening_has_no_words_is_uncovered_from_its_start() -> None:
    words = [Word("and", 9.0, 9.3), Word("then", 9.3, 9.6)]
    assert uncovered(words, [Interval(0.2, 9.7)], 0.5) == (Interval(0.2, 8.92),)


def test_speech_without_any_word_is_uncovered_whole_and_silence_never_is() -> None:
    speech = [Interval(1.0, 4.0), Interval(6.0, 6.3)]
    assert uncovered([], speech, 0.5) == (Interval(1.0, 4.0),)
    assert uncovered([Word("hi", 0.0, 0.4)], [], 0.1) == ()


_spans = st.lists(st.tuples(st.floats(0, 60), st.floats(0.01, 5)), max_size=12)


@given(_spans, _spans, st.floats(0.1, 1.0))
def test_uncovered_stretches_lie_in_speech_clear_of_every_word(
    word_spans: list[tuple[float, float]],
    speech_spans: list[tuple[float, float]],
    shortest: float,
) -> None:
    words = [Word("w", a, a + n) for a, n in word_spans]
    speech = sorted((Interval(a, a + n) for a, n in speech_spans), key=lambda i: i.start_s)
    for stretch in uncovered(words, speech, shortest):
        assert stretch.duration_s >= shortest - 1e-3
        assert any(s.start_s - 1e-3 <= stretch.start_s and stretch.end_s <= s.end_s + 1e-3
                   for s in speech)  # fmt: skip
        assert not any(
            stretch.start_s + 1e-3 < w.end_s + WORD_MARGIN_S
            and w.start_s - WORD_MARGIN_S < stretch.end_s - 1e-3
            for w in words
        )


def _tone_at(samples: np.ndarray, start_s: float, end_s: float, level: float) -> None:
    samples[round(start_s * RATE) : round(end_s * RATE)] = level


def test_a_reel_holds_each_stretch_with_a_little_context_and_maps_words_back() -> None:
    recording = np.zeros(20 * RATE, np.float32)
    _tone_at(recording, 2.0, 2.5, 0.1)
    _tone_at(recording, 11.0, 12.0, 0.2)
    (reel,) = reels(recording, [Interval(2.0, 2.5), Interval(11.0, 12.0)], RATE)
    first, second = reel.pieces
    assert first.reel_start_s == 0.0
    assert second.reel_start_s == pytest.approx(first.length_s + SEPARATOR_S)
    assert reel.samples.size / RATE == pytest.approx(second.reel_start_s + second.length_s)
    # The reel's audio is the recording's audio at the mapped times.
    at = second.reel_start_s + 0.5
    assert reel.samples[round(at * RATE)] == recording[round(second.to_recording(at) * RATE)]
    heard = Word("um", second.reel_start_s + 0.2, second.reel_start_s + 0.6, 0.9)
    assert reel.place(heard) == Word("um", 11.05, 11.45, 0.9)


def test_words_heard_in_the_context_or_the_silence_between_pieces_are_not_placed() -> None:
    recording = np.zeros(10 * RATE, np.float32)
    (reel,) = reels(recording, [Interval(2.0, 2.5), Interval(5.0, 5.5)], RATE)
    first = reel.pieces[0]
    in_context = Word("the", first.reel_start_s, first.reel_start_s + 0.1)
    in_separator = Word("uh", first.length_s + 0.1, first.length_s + 0.3)
    assert reel.place(in_context) is None
    assert reel.place(in_separator) is None


def test_long_stretches_fill_several_reels_none_longer_than_whisper_hears() -> None:
    recording = np.zeros(200 * RATE, np.float32)
    stretches = [Interval(float(t), t + 9.0) for t in range(0, 180, 12)] + [Interval(185, 199)]
    packed = reels(recording, stretches, RATE)
    assert len(packed) > 1
    assert all(reel.samples.size / RATE <= REEL_LIMIT_S + 1e-6 for reel in packed)
    assert [p.stretch for reel in packed for p in reel.pieces] == stretches


def test_a_stretch_longer_than_a_reel_is_cut_into_pieces_that_all_map_back_to_it() -> None:
    recording = np.zeros(90 * RATE, np.float32)
    packed = reels(recording, [Interval(5.0, 75.0)], RATE)
    pieces = [p for reel in packed for p in reel.pieces]
    assert len(pieces) == 3
    assert all(reel.samples.size / RATE <= REEL_LIMIT_S + 1e-6 for reel in packed)
    covered = sum(p.length_s for p in pieces)
    assert covered >= 70.0


def test_word_edges_whisper_put_in_a_measured_silence_move_to_the_voice() -> None:
    words = [Word("nervous.", 4.0, 6.4), Word("When", 7.0, 7.64), Word("I", 7.64, 7.8)]
    silences = [Interval(6.12, 7.32)]
    assert snapped_to_voice(words, silences) == [
        Word("nervous.", 4.0, 6.12),
        Word("When", 7.32, 7.64),
        Word("I", 7.64, 7.8),
    ]


def test_a_word_stretched_over_a_whole_pause_keeps_the_side_where_more_of_it_lies() -> None:
    silences = [Interval(13.03, 14.31)]
    words = [Word("for", 12.8, 12.96), Word("it.", 12.96, 14.36), Word("but", 14.3, 14.6)]
    assert snapped_to_voice(words, silences)[1] == Word("it.", 12.96, 13.03)
    late = [Word("it.", 12.99, 14.5)]
    assert snapped_to_voice(late, silences) == [Word("it.", 14.31, 14.5)]


def test_a_short_silence_inside_a_word_is_the_word_s_own_soft_part() -> None:
    words = [Word("okay.", 5.62, 6.34)]
    assert snapped_to_voice(words, [Interval(5.87, 6.2)]) == words


def test_a_word_wholly_inside_a_silence_is_left_alone() -> None:
    words = [Word("uh", 2.1, 2.3)]
    assert snapped_to_voice(words, [Interval(2.0, 2.5)]) == words
