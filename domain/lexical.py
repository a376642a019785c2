"""Vocabulary range measures that do not fall just because an answer is longer.

Raw type/token ratio falls as a text grows (every new word is likelier to be a
repeat), so we use MATTR and MTLD, the two length-robust measures that
McCarthy & Jarvis (2010) and Covington & McFall (2010) recommend.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

MATTR_WINDOW = 50
"""Covington & McFall's usual window; a shorter text is one window, so MATTR equals its TTR."""

MTLD_THRESHOLD = 0.72
"""McCarthy & Jarvis's factor threshold: the TTR at which a stretch of text stops adding range."""


def type_token_ratio(words: Sequence[str]) -> float:
    """Distinct words over words; 0 for an empty text. Kept for comparison only."""
    return len(set(words)) / len(words) if words else 0.0


def mattr(words: Sequence[str], window: int = MATTR_WINDOW) -> float:
    """Moving-average TTR: mean TTR of every `window`-word stretch (whole text if shorter)."""
    if not words:
        return 0.0
    size = min(window, len(words))
    counts = Counter(words[:size])
    total = len(counts)
    for i in range(size, len(words)):
        leaving = words[i - size]
        counts[leaving] -= 1
        if counts[leaving] == 0:
            del counts[leaving]
        counts[words[i]] += 1
        total += len(counts)
    return total / (size * (len(words) - size + 1))


def _mtld_factors(words: Sequence[str], threshold: float) -> float:
    factors = 0.0
    types: set[str] = set()
    tokens = 0
    ttr = 1.0
    for word in words:
        tokens += 1
        types.add(word)
        ttr = len(types) / tokens
        if ttr <= threshold:
            factors += 1.0
            types = set()
            tokens = 0
            ttr = 1.0
    return factors + (1.0 - ttr) / (1.0 - threshold)


def mtld(words: Sequence[str], threshold: float = MTLD_THRESHOLD) -> float:
    """Mean length of word runs that keep TTR above `threshold`, forward and backward averaged.

    A text that never repeats a word has no factor at all (MTLD would be infinite);
    it is scored as if its last word were a repeat, so adding variety never lowers MTLD.
    """
    if not words:
        return 0.0
    floor = (1.0 / len(words)) / (1.0 - threshold)
    forward = max(_mtld_factors(words, threshold), floor)
    backward = max(_mtld_factors(list(reversed(words)), threshold), floor)
    return (len(words) / forward + len(words) / backward) / 2.0
