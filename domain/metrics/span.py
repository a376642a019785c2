"""The stretch of an answer from its first word to its last, on the signal's evidence.

Whisper may end the last word well into the silence after it (and start the first
one early), which would lower WPM; a signal silence that covers a word's reported
edge moves that edge back to where the voice stopped.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.metrics.pauses import EDGE_SLACK_S, MIN_WORD_VOICE_S
from domain.metrics.tokens import Token
from domain.speech import Interval


def speaking_span(tokens: Sequence[Token], silences: Sequence[Interval]) -> tuple[float, float]:
    """(start, end) of the answer's words; (0, 0) when there are none."""
    if not tokens:
        return (0.0, 0.0)
    first, last = tokens[0], tokens[-1]
    start = first.start_s
    end = max(t.end_s for t in tokens)
    for s in silences:
        ends_first_late_start = s.start_s <= start + EDGE_SLACK_S
        if ends_first_late_start and start < s.end_s <= first.end_s - MIN_WORD_VOICE_S:
            start = s.end_s
        covers_last_end = s.end_s >= end - EDGE_SLACK_S
        if covers_last_end and last.start_s + MIN_WORD_VOICE_S <= s.start_s < end:
            end = s.start_s
    return (start, max(end, start))
