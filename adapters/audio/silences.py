"""Silences: stretches the signal itself shows silent, with edges precise to a few ms.

Whisper's word ends run up to 0.7 s late into a following silence, so domain/metrics.py
takes pause edges from here. A 10 ms frame is silent when it is 35 dB below the speaker's
loud (vowel) level, or, in a noisy room, less than 6 dB above the noise floor; when speech
is within 10 dB of that threshold we report no silences rather than guess. Blips of 20 ms
or less (clicks) do not break a silence. As in `erm`
(erm/refine.py, `refine_boundaries`), edges found on the coarse envelope are then refined
on a finer one, here by locating the threshold crossing in 2.5 ms sub-frames.
"""

from __future__ import annotations

import numpy as np

from adapters.audio.envelope import Envelope, levels_db, runs
from domain.speech import Interval

BELOW_SPEECH_DB = 35.0
ABOVE_FLOOR_DB = 6.0
MIN_CONTRAST_DB = 10.0
CLICK_FRAMES = 2
SUBFRAMES = 4


def find_silences(
    samples: np.ndarray,
    envelope: Envelope,
    speech: tuple[Interval, ...],
    min_silence_s: float = 0.2,
) -> tuple[Interval, ...]:
    """Silent stretches of at least `min_silence_s`, on the recording's timeline."""
    levels = envelope.levels
    mask = np.zeros(levels.size, dtype=bool)
    for segment in speech:
        mask[round(segment.start_s / envelope.hop_s) : round(segment.end_s / envelope.hop_s)] = True
    loud = envelope.loud_db(mask)
    threshold = max(envelope.noise_floor_db + ABOVE_FLOOR_DB, loud - BELOW_SPEECH_DB)
    if threshold > loud - MIN_CONTRAST_DB:
        return ()
    sounding = [(s, e) for s, e in runs(levels >= threshold) if e - s > CLICK_FRAMES]
    bounds = [0, *(i for span in sounding for i in span), levels.size]
    rate = envelope.sample_rate
    found = []
    for start, end in zip(bounds[0::2], bounds[1::2], strict=True):
        first = _refined(samples, envelope, start, threshold, leading=True) if start else 0
        last = (
            samples.size
            if end >= levels.size
            else _refined(samples, envelope, end, threshold, leading=False)
        )
        if (last - first) / rate >= min_silence_s:
            found.append(Interval(first / rate, last / rate))
    return tuple(found)


def _refined(
    samples: np.ndarray, envelope: Envelope, frame: int, threshold: float, *, leading: bool
) -> int:
    """Sample where sound crosses `threshold` near the boundary at `frame`."""
    hop, sub = envelope.hop, envelope.hop // SUBFRAMES
    low = max(0, (frame - 1) * hop)
    fine = levels_db(samples[low : min(samples.size, (frame + 1) * hop)], sub)
    loud = np.flatnonzero(fine >= threshold)
    if not loud.size:
        return frame * hop
    return low + (int(loud[-1]) + 1) * sub if leading else low + int(loud[0]) * sub
