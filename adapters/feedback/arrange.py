"""Which of the learner's sentences fills which slot of the mode's plan.

Their order is kept wherever the plan allows: the first sentence opens, a marked
example goes to the example slot, a sentence that opens a new point ("Also", "Second")
starts the next empty slot, and whatever is left trails the slot before it.
"""

from __future__ import annotations

import re

from adapters.feedback.plans import Slot

_EXAMPLE_MARKERS = re.compile(
    r"\b(for example|for instance|once|last (year|week|month|summer)|when i was|one time)\b",
    re.IGNORECASE,
)
_NEW_POINT = re.compile(
    r"^(second|secondly|third|another|also|besides|moreover|in addition|plus|of course|then|"
    r"next|after that|later|finally|in the end|as a result|so|on the other hand|however)\b",
    re.IGNORECASE,
)
_REASON_INSIDE = re.compile(r"\bbecause\b", re.IGNORECASE)


def _groups(sentences: list[str]) -> list[list[str]]:
    groups: list[list[str]] = []
    for sentence in sentences:
        if not groups or _NEW_POINT.match(sentence):
            groups.append([])
        groups[-1].append(sentence)
    return groups


def _spread(sentences: list[str], filled: list[list[str]], targets: list[int]) -> None:
    """Sentences over slots in order: by new-point openers, else evenly."""
    if not sentences:
        return
    groups = _groups(sentences)
    if len(groups) < len(targets):
        per_slot = -(-len(sentences) // len(targets))
        groups = [sentences[i : i + per_slot] for i in range(0, len(sentences), per_slot)]
    for n, group in enumerate(groups):
        filled[targets[min(n, len(targets) - 1)]].extend(group)


def arrange(sentences: list[str], slots: tuple[Slot, ...]) -> tuple[list[list[str]], set[int]]:
    """Sentences per slot, and the empty slots the answer already covers.

    An opening sentence with "because" in it already gives the first reason, so that
    reason slot needs no generic stand-in.
    """
    filled: list[list[str]] = [[] for _ in slots]
    covered: set[int] = set()
    if not sentences:
        return filled, covered
    filled[0].append(sentences[0])
    first_reason = next((i for i, s in enumerate(slots) if s.holds_reason and i > 0), None)
    if first_reason is not None and _REASON_INSIDE.search(sentences[0]):
        covered.add(first_reason)
    rest = sentences[1:]
    example = next((i for i, s in enumerate(slots) if s.holds_example and i > 0), None)
    marked = next((i for i, s in enumerate(rest) if _EXAMPLE_MARKERS.search(s)), None)
    others = [i for i in range(1, len(slots)) if i != example] or [0]
    if example is None or marked is None:
        _spread(rest, filled, others)
        return filled, covered
    before, tail = rest[:marked], rest[marked:]
    _spread(before, filled, [i for i in others if i < example] or [0])
    groups = _groups(tail)
    filled[example].extend(groups.pop(0))
    later = list(range(example + 1, len(slots)))
    empty = [i for i in others if not filled[i] and i not in covered]
    for group in groups:
        target = empty.pop(0) if empty else (later[-1] if later else example)
        filled[target].extend(group)
    return filled, covered
