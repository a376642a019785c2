"""Which stretches of a recording Whisper should listen to, from the decoder's speech segments.

Whisper fills long silences with invented text ("I'm, I'm, I'm ..."), and decoding that
costs as much as real speech. Listening only to speech, padded and with short gaps bridged,
keeps timings on the original timeline and avoids both the text and the time.
"""

from __future__ import annotations

import math

from domain.speech import AudioFacts, Interval

MARGIN_S = 0.3  # voice onsets and word tails the VAD may clip
BRIDGE_S = 2.0  # gaps shorter than this stay inside one clip: fewer windows to decode
WINDOW_S = 29.0  # Whisper hears 30 s at a time; a clip no longer is one window in every decode


def speech_clips(facts: AudioFacts, duration_s: float) -> list[Interval] | None:
    """The stretches to hear, in order, each at most WINDOW_S long and inside the recording.

    None when nothing was measured (no speech segments): then Whisper hears everything.
    """
    if not facts.speech_segments:
        return None
    groups: list[list[Interval]] = []
    for segment in sorted(facts.speech_segments, key=lambda s: s.start_s):
        if groups and segment.start_s - groups[-1][-1].end_s - 2 * MARGIN_S < BRIDGE_S:
            groups[-1].append(segment)
        else:
            groups.append([segment])
    clips: list[list[float]] = []
    for part in (part for group in groups for part in _within_a_window(group)):
        start = max(0.0, part[0].start_s - MARGIN_S)
        end = min(duration_s, part[-1].end_s + MARGIN_S)
        if clips and start < clips[-1][1]:  # a run cut at a short pause: meet in its middle
            start = clips[-1][1] = (clips[-1][1] + start) / 2
        pieces = math.ceil((end - start) / WINDOW_S)  # one unbroken stretch of speech over 29 s
        clips += [
            [start + (end - start) * i / pieces, start + (end - start) * (i + 1) / pieces]
            for i in range(pieces)
        ]
    inside = [[min(round(edge, 3), duration_s) for edge in clip] for clip in clips]
    return [Interval(start, end) for start, end in inside] or None


def _within_a_window(segments: list[Interval]) -> list[list[Interval]]:
    """Split a run of speech segments at its longest pause until each part fits one window.

    Whisper's own 30 s windows would cut the run wherever 30 s ends, often inside a word, and
    two decodes of the same audio would cut it in different places.
    """
    span = segments[-1].end_s - segments[0].start_s + 2 * MARGIN_S
    if span <= WINDOW_S or len(segments) < 2:
        return [segments]
    cut = max(range(1, len(segments)), key=lambda i: segments[i].start_s - segments[i - 1].end_s)
    return _within_a_window(segments[:cut]) + _within_a_window(segments[cut:])
