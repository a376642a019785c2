"""A better answer built from the learner's own sentences, shaped for the mode.

Their sentences go into the mode's slots in the order they said them; a slot left
empty gets a generic sentence in [brackets] so nobody mistakes it for their idea.
The whole answer stays within the words a fluent speaker fits into the time limit.
"""

from __future__ import annotations

import re

from adapters.feedback.arrange import arrange
from adapters.feedback.plans import Slot
from adapters.feedback.text import STOPWORDS

_DISCOURSE_START = re.compile(
    r"^(first|firstly|second|secondly|also|another|for example|for instance|because|so|and|but|"
    r"as a result|finally|in the end|on the other hand|mainly|however|of course)\b",
    re.IGNORECASE,
)
_OWN_SHARE = 0.6
"""The learner's own sentences keep at least this share of the length when room is short."""
_MIN_SENTENCE_WORDS = 3


def _words(text: str) -> int:
    return len(text.split())


_WEAK_OPENERS = re.compile(r"^(and|because|cause|plus)\b,?\s+(?=\S)", re.IGNORECASE)


def _joined(slot: Slot, sentences: list[str]) -> str:
    text = " ".join(sentences)
    if slot.connector:
        text = _WEAK_OPENERS.sub("", text)
    if not slot.connector or _DISCOURSE_START.match(text):
        return text[0].upper() + text[1:]
    first, _, tail = text.partition(" ")
    if first.lower().strip(",") in STOPWORDS and first not in {"I", "I'm", "I've", "I'd"}:
        first = first.lower()
    return f"{slot.connector}{first} {tail}".rstrip()


def _total(filled: list[list[str]]) -> int:
    return sum(_words(s) for group in filled for s in group)


def _trim(filled: list[list[str]], budget: int) -> None:
    """Drops later sentences from the fullest slot, then shortens the longest sentences."""
    while _total(filled) > budget and max(len(g) for g in filled) > 1:
        max(filled, key=len).pop()
    excess = _total(filled) - budget
    while excess > 0:
        group = max((g for g in filled if g), key=lambda g: _words(g[0]))
        size = _words(group[0])
        if size <= _MIN_SENTENCE_WORDS:
            return
        keep = max(size - excess, _MIN_SENTENCE_WORDS)
        group[0] = " ".join(group[0].split()[:keep]).rstrip(",;:.!?") + "."
        excess -= size - keep


def build(sentences: list[str], slots: tuple[Slot, ...], topic: str, target_words: int) -> str:
    """The model answer; labelled slots become headed lines, the rest one paragraph."""
    framing = sum(_words(s.label) + _words(s.connector) for s in slots)
    filled, covered = arrange(sentences, slots)
    generics = sum(
        _words(s.generic) + 1
        for i, (s, g) in enumerate(zip(slots, filled, strict=True))
        if not g and i not in covered
    )
    room = target_words - framing
    _trim(filled, min(room, max(room - generics, round(target_words * _OWN_SHARE))))
    used = _total(filled) + framing
    parts: list[tuple[Slot, str]] = []
    for index, (slot, group) in enumerate(zip(slots, filled, strict=True)):
        if group:
            parts.append((slot, _joined(slot, group)))
            continue
        if index in covered:
            continue
        generic = "[" + slot.generic.format(topic=topic) + "]"
        if used + _words(generic) <= target_words:
            used += _words(generic)
            parts.append((slot, generic))
    if any(slot.label for slot, _ in parts):
        return "\n".join(f"{slot.label}: {text}" if slot.label else text for slot, text in parts)
    return " ".join(text for _, text in parts)
