"""Pauses: where they are, how long they really were, and whether they break a clause."""

from __future__ import annotations

import itertools

import pytest

from domain.metrics import BOUNDARY, MID_CLAUSE, measure
from domain.speech import AudioFacts, Interval, Word


def timed(*items: tuple[str, float, float]) -> list[Word]:
    return [Word(text, start, end) for text, start, end in items]


def facts(duration: float, *silences: tuple[float, float]) -> AudioFacts:
    return AudioFacts(
        duration_s=duration,
        speech_s=duration - sum(e - s for s, e in silences),
        speech_segments=(),
        silences=tuple(Interval(s, e) for s, e in silences),
    )


def test_a_gap_of_a_quarter_second_is_a_pause_and_a_shorter_one_is_not() -> None:
    words = timed((" I", 0.0, 0.2), (" went", 0.2, 0.5), (" home", 0.7, 1.0), (" late", 1.25, 1.5))
    pauses = measure(words, facts(2.0)).pauses
    assert [(p.after_word, p.before_word) for p in pauses] == [("home", "late")]


def test_a_word_whisper_ends_late_into_a_silence_gets_the_silence_real_length() -> None:
    # "went" really ended at 0.5; Whisper stretched it to 1.2, hiding most of a 1.5 s pause.
    words = timed((" I", 0.0, 0.2), (" went", 0.2, 1.2), (" home.", 1.9, 2.3))
    (pause,) = measure(words, facts(3.0, (0.5, 2.0))).pauses
    assert pause.start_s == pytest.approx(0.5)
    assert pause.end_s == pytest.approx(2.0)
    assert pause.is_long


def test_an_early_word_start_does_not_cut_the_pause_short() -> None:
    words = timed((" I", 0.0, 0.3), (" went.", 0.8, 1.6))
    (pause,) = measure(words, facts(2.0, (0.3, 1.3))).pauses
    assert pause.duration_s == pytest.approx(1.0)


def test_a_word_gap_the_signal_shows_voiced_is_no_pause() -> None:
    words = timed((" I", 0.0, 0.3), (" went", 1.0, 1.3), (" home", 1.35, 1.7))
    # The signal has a silence elsewhere, so it speaks for this stretch too: no silence at 0.3-1.0.
    assert measure(words, facts(3.0, (1.7, 3.0))).pauses == ()


def test_without_signal_silences_the_word_gaps_are_used() -> None:
    words = timed((" I", 0.0, 0.3), (" went", 1.0, 1.3))
    (pause,) = measure(words, facts(2.0)).pauses
    assert (pause.start_s, pause.end_s) == (0.3, 1.0)


def test_silence_before_the_first_word_and_after_the_last_is_not_a_pause() -> None:
    words = timed((" Hello", 1.0, 1.5), (" there", 1.5, 1.9))
    assert measure(words, facts(4.0, (0.0, 1.0), (1.9, 4.0))).pauses == ()


def test_a_pause_never_swallows_a_word_the_signal_lost() -> None:
    words = timed((" I", 0.0, 0.3), (" am", 0.4, 0.6), (" here", 0.7, 1.0))
    pauses = measure(words, facts(2.0, (0.0, 2.0))).pauses
    assert all(p.end_s <= q.start_s for p, q in itertools.pairwise(pauses))
    for word in words:
        inside = [p for p in pauses if p.start_s <= word.start_s and word.end_s <= p.end_s]
        assert inside == []


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (" home.", " Then", BOUNDARY),
        (" tired,", " so", BOUNDARY),
        (" tired", " because", BOUNDARY),
        (" book", " which", BOUNDARY),
        (" fine", " but", BOUNDARY),
        (" the", " station", MID_CLAUSE),
        (" very", " important", MID_CLAUSE),
        (" to", " go", MID_CLAUSE),
    ],
)
def test_a_pause_is_at_a_clause_boundary_or_inside_a_clause(
    before: str, after: str, kind: str
) -> None:
    words = timed((" I", 0.0, 0.2), (before, 0.2, 0.6), (after, 1.6, 2.0), (" again", 2.0, 2.4))
    (pause,) = measure(words, facts(3.0)).pauses
    assert pause.kind == kind


def test_a_filled_pause_does_not_hide_the_comma_before_it() -> None:
    words = timed((" went,", 0.0, 0.4), (" um", 0.5, 0.8), (" to", 1.8, 2.0), (" bed", 2.0, 2.3))
    (pause,) = measure(words, facts(3.0)).pauses
    assert pause.kind == BOUNDARY
    words = timed((" the", 0.0, 0.4), (" um", 0.5, 0.8), (" station", 1.8, 2.0), (" x", 2.0, 2.3))
    (pause,) = measure(words, facts(3.0)).pauses
    assert pause.kind == MID_CLAUSE


def test_runs_between_pauses_are_counted_in_words() -> None:
    words = timed(
        (" one", 0.0, 0.3), (" two", 0.3, 0.6), (" three", 0.6, 0.9),
        (" four", 2.0, 2.3), (" five", 2.3, 2.6), (" six", 2.6, 2.9),
    )  # fmt: skip
    m = measure(words, facts(3.0))
    assert m.mean_length_of_run == pytest.approx(3.0)
    assert m.long_pause_count == 1
