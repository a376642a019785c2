"""Which stretches of a recording Whisper should listen to, from the decoder's speech segments.

Whisper fills long silences with invented text ("I'm, I'm, I'm ..."), and decoding that
costs as much as real speech. Listening only to speech, padded and with short gaps bridged,
keeps timings on the original timeline and avoids both the text and the time.
"""

from __future__ import annotations

from domain.speech import AudioFacts

MARGIN_S = 0.3  # voice onsets and word tails the VAD may clip
BRIDGE_S = 2.0  # gaps shorter than this stay inside one clip: fewer windows to decode


def speech_clips(facts: AudioFacts, duration_s: float) -> list[float] | None:
    """Flat [start, end, start, end, ...] seconds for faster-whisper's `clip_timestamps`.

    None when nothing was measured (no speech segments): then Whisper hears everything.
    """
    if not facts.speech_segments:
        return None
    clips: list[list[float]] = []
    for segment in sorted(facts.speech_segments, key=lambda s: s.start_s):
        start = max(0.0, segment.start_s - MARGIN_S)
        end = min(duration_s, segment.end_s + MARGIN_S)
        if clips and start - clips[-1][1] < BRIDGE_S:
            clips[-1][1] = max(clips[-1][1], end)
        elif end > start:
            clips.append([start, end])
    return [round(edge, 3) for clip in clips for edge in clip] or None
