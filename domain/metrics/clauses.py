"""Whether a pause falls at a clause boundary (natural) or inside a clause (hesitant).

Fluent speakers pause between clauses; pauses inside a clause are what listeners
hear as searching for words (Tavakoli & Skehan). We read the boundary from the
provider's punctuation on the word before and from words that open a clause after.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.metrics.model import BOUNDARY, MID_CLAUSE
from domain.metrics.tokens import Token

CLAUSE_OPENERS = frozenset(
    {
        "and", "but", "or", "so", "because", "cause", "which", "that", "who", "whom",
        "whose", "where", "when", "while", "if", "although", "though", "since", "unless",
        "until", "whereas", "then", "however", "also", "well", "anyway", "actually",
        "first", "firstly", "second", "secondly", "finally", "besides", "otherwise",
    }
)  # fmt: skip


def pause_kind(tokens: Sequence[Token], gap_index: int) -> str:
    """Kind of the pause between tokens[gap_index] and tokens[gap_index + 1].

    Filled pauses next to the silence are looked through: in "went, um [pause] to"
    the comma after "went" still marks the boundary.
    """
    left = gap_index
    while left >= 0 and tokens[left].is_filled_pause and not tokens[left].punct_after:
        left -= 1
    right = gap_index + 1
    while right < len(tokens) and tokens[right].is_filled_pause:
        right += 1
    if left < 0 or right >= len(tokens):
        return BOUNDARY
    if any(t.punct_after for t in tokens[left : gap_index + 1]):
        return BOUNDARY
    if any(t.punct_before for t in tokens[gap_index + 1 : right + 1]):
        return BOUNDARY
    if tokens[right].norm in CLAUSE_OPENERS:
        return BOUNDARY
    return MID_CLAUSE
