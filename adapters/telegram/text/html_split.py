"""Cutting Telegram HTML into messages that each fit the limit and each parse alone.

Telegram rejects a message over 4096 characters and a message whose tags do not
balance, so a cut must fall between tags and entities, and every tag open at the
cut is closed at the end of one part and opened again at the start of the next.
Cuts prefer a paragraph break, then a line break, then a space, and only then the
middle of a word, among cuts that fill at least half a part (so a heading's break
does not make a message of one line). Lengths are counted in UTF-16 code units, as Telegram does, on
the markup itself, which is never shorter than the text Telegram measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.telegram.text.html import utf16_len

TELEGRAM_LIMIT = 4096

_ATOM = re.compile(
    r"<(?P<close>/?)(?P<name>[A-Za-z][\w-]*)[^>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]\w*);|.",
    re.DOTALL,
)


@dataclass(frozen=True)
class _Atom:
    raw: str
    kind: str  # "open", "close" or "text"
    size: int
    name: str = ""

    @property
    def closing_size(self) -> int:
        return len(self.name) + 3


def _atoms(markup: str) -> list[_Atom]:
    atoms = []
    for match in _ATOM.finditer(markup):
        raw, name = match.group(), match.group("name")
        if name is None:
            atoms.append(_Atom(raw, "text", utf16_len(raw)))
        else:
            kind = "close" if match.group("close") else "open"
            atoms.append(_Atom(raw, kind, len(raw), name.lower()))
    return atoms


def _after(stack: tuple[_Atom, ...], atom: _Atom) -> tuple[_Atom, ...]:
    if atom.kind == "open":
        return (*stack, atom)
    if atom.kind == "close":
        names = [a.name for a in stack]
        if atom.name in names:
            return stack[: len(names) - 1 - names[::-1].index(atom.name)]
    return stack


def _closing(stack: tuple[_Atom, ...]) -> str:
    return "".join(f"</{a.name}>" for a in reversed(stack))


def _priority(last: str, before_last: str) -> int:
    """How good a cut after these two text atoms is: 3 paragraph, 2 line, 1 space, 0 word."""
    if last == "\n":
        return 3 if before_last == "\n" else 2
    return 1 if last.isspace() else 0


def _fit(
    atoms: list[_Atom], start: int, stack: tuple[_Atom, ...], limit: int
) -> tuple[int, tuple[_Atom, ...]]:
    """Where the part beginning at `start` ends, and which tags are open there."""
    used = sum(a.size for a in stack)
    opened, closing = stack, sum(a.closing_size for a in stack)
    recent = ("", "")
    best: tuple[tuple[bool, int], int, tuple[_Atom, ...]] | None = None
    for index in range(start, len(atoms)):
        atom = atoms[index]
        after = opened if atom.kind == "text" else _after(opened, atom)
        after_closing = closing if after is opened else sum(a.closing_size for a in after)
        if used + atom.size + after_closing > limit:
            break
        used, opened, closing = used + atom.size, after, after_closing
        if atom.kind == "text":
            recent = (recent[1], atom.raw)
        if atom.kind != "open":
            rank = (2 * used >= limit, _priority(recent[1], recent[0]))
            if best is None or rank >= best[0]:
                best = (rank, index + 1, opened)
    else:
        return len(atoms), opened
    if best is None:
        raise ValueError(f"A limit of {limit} characters is too small for this markup.")
    return best[1], best[2]


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Parts of at most `limit` UTF-16 units whose text, joined, is the original text.

    `text` is well-formed Telegram HTML (what this package renders); an empty text gives
    no parts. Raises ValueError only when `limit` cannot hold even the open tags.
    """
    if not text:
        return []
    if utf16_len(text) <= limit:
        return [text]
    atoms = _atoms(text)
    parts: list[str] = []
    start = 0
    stack: tuple[_Atom, ...] = ()
    while start < len(atoms):
        end, open_at_end = _fit(atoms, start, stack, limit)
        body = "".join(a.raw for a in atoms[start:end])
        parts.append("".join(a.raw for a in stack) + body + _closing(open_at_end))
        start, stack = end, open_at_end
    return parts
