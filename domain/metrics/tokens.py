"""Turning provider words (" Well,", " know,", " Ummm...") into tokens we can match on.

Matching uses a lower-case form without punctuation; the punctuation a provider
wrote after a word is kept as a flag because it marks clause boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from domain.metrics.model import FILLED_PAUSES
from domain.speech import Word

_EDGE_PUNCT = re.compile(r"^[^\w']+|[^\w']+$")
_CLAUSE_PUNCT = frozenset(",.;:!?…—–-")
_SENTENCE_END = frozenset(".!?…")
_STRETCHED = (
    (re.compile(r"^u+h+m+$"), "uhm"),
    (re.compile(r"^u+m+$"), "um"),
    (re.compile(r"^u+h+$"), "uh"),
    (re.compile(r"^e+r+m+$"), "erm"),
    (re.compile(r"^e+r+$"), "er"),
    (re.compile(r"^a+h+$"), "ah"),
    (re.compile(r"^h+m+$"), "hmm"),
    (re.compile(r"^m{2,}$"), "mm"),
)


@dataclass(frozen=True)
class Token:
    """A word with its matching form; `index` points into the provider's word list."""

    index: int
    norm: str
    start_s: float
    end_s: float
    punct_after: bool
    punct_before: bool
    sentence_end: bool = False  # the provider ended a sentence here (".", "?", "!")

    @property
    def is_filled_pause(self) -> bool:
        return self.norm in FILLED_PAUSES


def normalise(text: str) -> str:
    """Lower-case, strip edge punctuation and spaces; "Ummm..." becomes "um"."""
    norm = _EDGE_PUNCT.sub("", text.strip().lower()).strip("'")
    norm = norm.replace("’", "'")
    for pattern, canonical in _STRETCHED:
        if pattern.match(norm):
            return canonical
    return norm


def _has_punct(text: str) -> bool:
    return bool(text) and text[-1] in _CLAUSE_PUNCT


def tokenize(words: Sequence[Word]) -> tuple[Token, ...]:
    """Tokens for the words that hold letters or digits, in time order.

    A provider's punctuation-only "word" ("-", "...") marks a boundary on the
    token before it instead of becoming a token.
    """
    tokens: list[Token] = []
    pending_before = False
    for index, word in enumerate(words):
        stripped = word.text.strip()
        norm = normalise(stripped)
        if not norm:
            if tokens and stripped:
                last = tokens[-1]
                tokens[-1] = Token(
                    last.index, last.norm, last.start_s, last.end_s, True, last.punct_before,
                    last.sentence_end or stripped[-1] in _SENTENCE_END,
                )  # fmt: skip
            pending_before = pending_before or bool(stripped)
            continue
        leading = bool(stripped) and stripped[0] in _CLAUSE_PUNCT
        tokens.append(
            Token(
                index=index,
                norm=norm,
                start_s=float(word.start_s),
                end_s=float(word.end_s),
                punct_after=_has_punct(stripped),
                punct_before=leading or pending_before,
                sentence_end=stripped[-1] in _SENTENCE_END,
            )
        )
        pending_before = False
    tokens.sort(key=lambda t: (t.start_s, t.index))
    return tuple(tokens)


def lexical_words(tokens: Sequence[Token]) -> tuple[str, ...]:
    """The counted words: every token except filled pauses."""
    return tuple(t.norm for t in tokens if not t.is_filled_pause)
