"""Short-time energy of 16-bit PCM, the common ground of speech, silence and noise checks.

Levels are in dB relative to full scale over non-overlapping 10 ms frames, the envelope
the MIT-licensed `erm` package (erm/envelope.py) also cuts on; percentiles of it give the
recording's own noise floor and speech level, so thresholds adapt to each microphone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HOP_S = 0.01
FLOOR_DB = -100.0
_FULL_SCALE_POWER = 32768.0**2


def levels_db(samples: np.ndarray, hop: int) -> np.ndarray:
    """Mean power of each whole `hop`-sample frame of int16 `samples`, in dBFS."""
    count = samples.size // hop
    frames = samples[: count * hop].astype(np.float32).reshape(count, hop)
    power = np.einsum("ij,ij->i", frames, frames) / (hop * _FULL_SCALE_POWER)
    levels: np.ndarray = np.maximum(10.0 * np.log10(power + 1e-12), FLOOR_DB)
    return levels


@dataclass(frozen=True)
class Envelope:
    """10 ms levels of one recording plus the statistics thresholds are built from."""

    levels: np.ndarray
    hop: int
    sample_rate: int

    @classmethod
    def of(cls, samples: np.ndarray, sample_rate: int) -> Envelope:
        hop = round(sample_rate * HOP_S)
        return cls(levels_db(samples, hop), hop, sample_rate)

    @property
    def hop_s(self) -> float:
        return self.hop / self.sample_rate

    @property
    def noise_floor_db(self) -> float:
        """The quiet end of the recording: pauses, or the softest speech if it never pauses."""
        return float(np.percentile(self.levels, 10)) if self.levels.size else FLOOR_DB

    def loud_db(self, mask: np.ndarray | None = None) -> float:
        """The loud end (90th percentile) of the frames in `mask`, e.g. speech vowels."""
        chosen = self.levels if mask is None or not mask.any() else self.levels[mask]
        return float(np.percentile(chosen, 90)) if chosen.size else FLOOR_DB


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) index pairs of the True runs in `flags`."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1).tolist()
    return list(zip(starts, np.flatnonzero(edges == -1).tolist(), strict=True))


def bridge(spans: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """Merge [start, end) spans separated by at most `gap` indices."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start - merged[-1][1] <= gap:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
