"""Silent pauses between words, with edges taken from the signal where it can tell.

Whisper ends a word up to ~0.7 s late into the silence after it and may start the
next word early, so word gaps alone make pauses look shorter than they were. A
signal silence that meets the gap between two words gives the pause its real edges;
a gap the signal shows voiced is no pause at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.metrics.clauses import pause_kind
from domain.metrics.model import MIN_PAUSE_S, Pause
from domain.metrics.tokens import Token
from domain.speech import Interval, bridged

EDGE_SLACK_S = 0.05
"""A silence this close to a word gap still belongs to it (frame rounding in signal analysis)."""

MIN_WORD_VOICE_S = 0.08
"""A pause never eats a word whole: each word keeps this much voiced time (about a syllable)."""

BRIDGE_S = 0.15
"""Voiced blips shorter than this between two silences (a click, a breath) do not split a pause."""


def _signal_gap(
    before: Token, after: Token, spans: Sequence[tuple[float, float]], floor: float
) -> tuple[float, float] | None:
    """The signal silence that meets the gap between two words, clipped to spare both words.

    Only silences that meet this gap are bridged, so a short word between two
    silences is never swallowed.
    """
    lo = max(before.start_s + MIN_WORD_VOICE_S, floor)
    hi = after.end_s - MIN_WORD_VOICE_S
    gap_lo = before.end_s - EDGE_SLACK_S
    gap_hi = after.start_s + EDGE_SLACK_S
    meeting = [Interval(s, e) for s, e in spans if e >= gap_lo and s <= gap_hi]
    clipped = [(max(m.start_s, lo), min(m.end_s, hi)) for m in bridged(meeting, BRIDGE_S)]
    return max(clipped, key=lambda c: c[1] - c[0], default=None)


def pauses_by_gap(tokens: Sequence[Token], silences: Sequence[Interval]) -> dict[int, Pause]:
    """Every silence of at least MIN_PAUSE_S between the first and the last word.

    Keyed by the index of the token before it, so callers can ask "is this word set off?".
    """
    spans = sorted((s.start_s, s.end_s) for s in silences)
    pauses: dict[int, Pause] = {}
    floor = float("-inf")
    for i in range(len(tokens) - 1):
        before, after = tokens[i], tokens[i + 1]
        edges = _signal_gap(before, after, spans, floor) if spans else (before.end_s, after.start_s)
        if edges is None or edges[1] - edges[0] < MIN_PAUSE_S:
            continue
        floor = edges[1] + MIN_WORD_VOICE_S
        pauses[i] = Pause(
            start_s=edges[0],
            end_s=edges[1],
            kind=pause_kind(tokens, i),
            before_word=after.norm,
            after_word=before.norm,
        )
    return pauses
