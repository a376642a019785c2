"""Immediate repetitions ("I I think", "in the in the") and hedges ("I think", "kind of")."""

from __future__ import annotations

from collections.abc import Sequence

from domain.metrics.model import Repetition
from domain.metrics.tokens import Token

MAX_REPEATED_PHRASE = 3
"""Longer restarts are rephrasing, not the stutter-like repeats listeners notice."""

DELIBERATE_DOUBLES = frozenset(
    {"had", "that", "very", "really", "no", "yes", "yeah", "bye", "ha", "so", "more", "far"}
)
"""Words doubled on purpose ("had had", "very very", "no, no") rather than from hesitation."""

HEDGES: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "i'm not sure", "i am not sure", "more or less", "a little bit", "i think", "i guess",
        "i suppose", "i believe", "kind of", "sort of", "kinda", "sorta", "maybe", "perhaps",
        "probably", "possibly", "somewhat", "i feel like",
    )
)  # fmt: skip
NOUN_BEFORE_KIND_OF = frozenset(
    {"what", "this", "that", "the", "a", "any", "every", "some", "which", "same", "one", "all",
     "other", "different", "these", "those", "no", "what's", "that's", "each", "another"}
)  # fmt: skip
"""After these, "kind of"/"sort of" names a type ("what kind of music"), so it is no hedge."""


def find_repetitions(
    tokens: Sequence[Token], filler_words: frozenset[int] = frozenset()
) -> tuple[Repetition, ...]:
    """Runs of the same word or short phrase said again straight away, fillers looked through.

    `filler_words` are provider word indices inside lexical fillers ("you know"), so "gives
    you, you know, real" is a filler, not a repeated "you". A sentence that ends with the
    word the next one begins with ("...use smartphones. Uh, smartphones can...") is no
    repetition: what ends a sentence is never matched with what follows it.
    """
    words = [t for t in tokens if not t.is_filled_pause and t.index not in filler_words]
    # A sentence end makes the words on either side of it different to the matching below.
    norms = [f"{t.norm}." if t.sentence_end else t.norm for t in words]
    found: list[Repetition] = []
    i = 0
    while i < len(norms):
        step = 1
        for n in range(MAX_REPEATED_PHRASE, 0, -1):
            unit = norms[i : i + n]
            count = 1
            while norms[i + count * n : i + (count + 1) * n] == unit and len(unit) == n:
                count += 1
            if count > 1 and not (n == 1 and unit[0] in DELIBERATE_DOUBLES):
                found.append(Repetition(" ".join(unit).replace(".", ""), words[i].start_s, count))
                step = n * count
                break
        i += step
    return tuple(found)


def find_hedges(words: Sequence[str]) -> tuple[str, ...]:
    """Hedging phrases in order of use, longest match first."""
    found: list[str] = []
    i = 0
    while i < len(words):
        step = 1
        for phrase in HEDGES:
            n = len(phrase)
            if tuple(words[i : i + n]) != phrase:
                continue
            if phrase[-1] == "of" and i > 0 and words[i - 1] in NOUN_BEFORE_KIND_OF:
                continue
            found.append(" ".join(phrase))
            step = n
            break
        i += step
    return tuple(found)
