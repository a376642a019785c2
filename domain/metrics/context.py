"""Where a word stands in the answer: set off by punctuation, pauses or fillers, or run-in.

Telling a filler "like" or "you know" from the verb depends on exactly this.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from domain.metrics.tokens import Token


@dataclass(frozen=True)
class Context:
    """Tokens plus the gaps (index of the token before) that hold a pause."""

    tokens: Sequence[Token]
    paused_gaps: Collection[int]

    def norm(self, i: int) -> str | None:
        return self.tokens[i].norm if 0 <= i < len(self.tokens) else None

    def set_off_before(self, i: int) -> bool:
        """Starts the answer, or follows punctuation, a pause or a filled pause."""
        if i == 0:
            return True
        prev = self.tokens[i - 1]
        return (
            prev.punct_after
            or self.tokens[i].punct_before
            or (i - 1) in self.paused_gaps
            or prev.is_filled_pause
        )

    def set_off_after(self, i: int) -> bool:
        """Ends the answer, or is followed by punctuation, a pause or a filled pause."""
        if i == len(self.tokens) - 1:
            return True
        nxt = self.tokens[i + 1]
        return (
            self.tokens[i].punct_after
            or nxt.punct_before
            or i in self.paused_gaps
            or nxt.is_filled_pause
        )

    def neighbour(self, i: int, step: int) -> str | None:
        """The nearest word in direction `step` that is not a filled pause."""
        j = i + step
        while 0 <= j < len(self.tokens) and self.tokens[j].is_filled_pause:
            j += step
        return self.norm(j)
