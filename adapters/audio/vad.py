"""Speech segments: webrtcvad decisions confirmed by energy, then smoothed.

webrtcvad alone calls steady noise "speech" (its models were trained on clean-ish
telephone audio), so a 30 ms frame counts only when it is also clearly louder than the
recording's noise floor (6 dB) and audible at all, and a segment counts only if it peaks
12 dB over that floor, as syllable nuclei do. Steady white, pink or brown noise hardly
ever rises 6 dB over its own 10th percentile and never 12 dB, so it yields no speech.
Short gaps inside words are bridged and isolated blips dropped, as `erm` bridges flicker
in voiced runs (erm/detect.py, `_voiced_runs_in_region`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import webrtcvad

from adapters.audio.envelope import Envelope, bridge, runs
from domain.speech import Interval

AUDIBLE_DB = -55.0
ABOVE_FLOOR_DB = 6.0
PEAK_ABOVE_FLOOR_DB = 12.0


@dataclass(frozen=True)
class VadSettings:
    aggressiveness: int = 2
    frame_ms: int = 30
    bridge_s: float = 0.21
    min_segment_s: float = 0.12


DEFAULT_VAD = VadSettings()


def speech_segments(
    pcm: bytes, envelope: Envelope, settings: VadSettings = DEFAULT_VAD
) -> tuple[Interval, ...]:
    """Stretches of speech, on the recording's timeline."""
    rate = envelope.sample_rate
    step = rate * settings.frame_ms // 1000
    per_frame = step // envelope.hop
    count = min(len(pcm) // (2 * step), envelope.levels.size // per_frame)
    vad = webrtcvad.Vad(settings.aggressiveness)
    view = memoryview(pcm)
    voiced = np.fromiter(
        (vad.is_speech(view[2 * step * i : 2 * step * (i + 1)], rate) for i in range(count)),
        dtype=bool,
        count=count,
    )
    loudest = envelope.levels[: count * per_frame].reshape(count, per_frame).max(axis=1)
    floor = envelope.noise_floor_db
    gate = max(AUDIBLE_DB, floor + ABOVE_FLOOR_DB)
    frame_s = step / rate
    bridged = bridge(runs(voiced & (loudest >= gate)), round(settings.bridge_s / frame_s))
    shortest = round(settings.min_segment_s / frame_s)
    return tuple(
        Interval(start * frame_s, end * frame_s)
        for start, end in bridged
        if end - start >= shortest and loudest[start:end].max() >= floor + PEAK_ABOVE_FLOOR_DB
    )
