"""The stretches Whisper is asked to hear: speech with a margin, each within one 30 s window."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from adapters.stt.clips import WINDOW_S, speech_clips
from domain.speech import AudioFacts, Interval


def facts(segments: list[Interval], duration_s: float) -> AudioFacts:
    return AudioFacts(duration_s, sum(s.duration_s for s in segments), tuple(segments))


def pairs(clips: list[Interval]) -> list[tuple[float, float]]:
    return [(clip.start_s, clip.end_s) for clip in clips]


def test_nearby_speech_is_one_clip_and_a_long_silence_separates_clips() -> None:
    segments = [Interval(1.0, 3.0), Interval(3.5, 6.0), Interval(12.0, 14.0)]
    clips = speech_clips(facts(segments, 20.0), 20.0)
    assert clips is not None
    assert pairs(clips) == [(0.7, 6.3), (11.7, 14.3)]


def test_a_long_run_of_speech_is_cut_at_its_longest_pause_to_fit_one_window() -> None:
    # 40 s of speech in 4 s phrases with 0.4 s pauses, and one 1.2 s pause at 22 s.
    segments, t = [], 0.5
    while t < 40:
        segments.append(Interval(t, t + 4.0))
        t += 4.0 + (1.2 if 21 < t + 4.0 < 23 else 0.4)
    clips = pairs(speech_clips(facts(segments, 45.0), 45.0) or [])
    assert len(clips) == 2
    assert all(end - start <= WINDOW_S for start, end in clips)
    long_pause = next(
        (a.end_s, b.start_s) for a, b in itertools.pairwise(segments) if b.start_s - a.end_s > 1
    )
    assert long_pause[0] < clips[0][1] <= clips[1][0] < long_pause[1]


@given(st.lists(st.tuples(st.floats(0.0, 3.0), st.floats(0.1, 8.0)), min_size=1, max_size=40))
def test_clips_cover_every_segment_in_order_without_overlap(
    layout: list[tuple[float, float]],
) -> None:
    segments, t = [], 0.0
    for gap, length in layout:
        segments.append(Interval(t + gap, t + gap + length))
        t += gap + length
    duration = t + 1.0
    clips = pairs(speech_clips(facts(segments, duration), duration) or [])
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(clips))
    assert all(0 <= start < end <= min(duration, start + WINDOW_S) for start, end in clips)
    for segment in segments:
        assert _covered(segment, clips)


def test_one_unbroken_minute_of_speech_is_heard_in_windows_that_meet() -> None:
    clips = pairs(speech_clips(facts([Interval(2.0, 64.0)], 66.0), 66.0) or [])
    assert len(clips) == 3
    assert all(end - start <= WINDOW_S for start, end in clips)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(clips))
    assert _covered(Interval(2.0, 64.0), clips)


def _covered(segment: Interval, clips: list[tuple[float, float]]) -> bool:
    """The clips leave no part of the segment out."""
    cursor = segment.start_s
    for start, end in clips:
        if start <= cursor < end:
            cursor = end
    return cursor >= segment.end_s
