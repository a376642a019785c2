"""`TimeMap`: seconds in the reduced audio back to seconds in the original recording.

The reduced audio is the kept stretches of the original, joined and then played `scale`
times faster. Within a stretch the map is linear; at a join the original timeline jumps
over the removed silence, so a time exactly at a join has two readings: the start of the
next stretch (`to_original`, for word starts) or the end of the previous one
(`to_original_end`, for word ends). Both are monotonic and hit stretch edges exactly.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from domain.speech import Interval


@dataclass(frozen=True)
class TimeMap:
    stretches: tuple[Interval, ...]
    scale: float = 1.0

    @property
    def starts(self) -> tuple[float, ...]:
        """Reduced-audio time at which each kept stretch begins."""
        lengths = (stretch.duration_s / self.scale for stretch in self.stretches)
        return (0.0, *accumulate(lengths))[: len(self.stretches)]

    @property
    def duration_s(self) -> float:
        return sum(stretch.duration_s for stretch in self.stretches) / self.scale

    def to_original(self, t: float) -> float:
        """Original time of reduced time `t`; a join maps to the next stretch's start."""
        starts = self.starts
        if not starts:
            return t
        index = max(0, bisect_right(starts, t) - 1)
        return self._inside(index, t - starts[index])

    def to_original_end(self, t: float) -> float:
        """Original time of reduced time `t`; a join maps to the previous stretch's end."""
        starts = self.starts
        if not starts:
            return t
        index = max(0, bisect_left(starts, t) - 1)
        return self._inside(index, t - starts[index])

    def _inside(self, index: int, offset: float) -> float:
        stretch = self.stretches[index]
        return min(stretch.end_s, stretch.start_s + max(0.0, offset) * self.scale)
