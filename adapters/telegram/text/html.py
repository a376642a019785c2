"""Escaping and small builders for Telegram's HTML parse mode.

Telegram accepts only a handful of tags and rejects a whole message when a stray
"<" or "&" slips through, so every string that came from a learner, a prompt or a
provider goes through `text()` before it meets markup.
"""

from __future__ import annotations

import html

ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "a", "code", "pre",
     "blockquote", "tg-spoiler", "tg-emoji"}
)  # fmt: skip


def text(value: object) -> str:
    """Any value as message text: `<`, `>` and `&` escaped (quotes may stay as they are)."""
    return html.escape(str(value), quote=False)


def attr(value: object) -> str:
    """An attribute value, quotes escaped too, so it cannot end the attribute early."""
    return html.escape(str(value), quote=True)


def bold(value: str) -> str:
    return f"<b>{text(value)}</b>"


def italic(value: str) -> str:
    return f"<i>{text(value)}</i>"


def quote(markup: str, *, expandable: bool = False) -> str:
    """A blockquote around markup that is already escaped."""
    opening = "<blockquote expandable>" if expandable else "<blockquote>"
    return f"{opening}{markup}</blockquote>"


def utf16_len(value: str) -> int:
    """Length as Telegram counts it: UTF-16 code units, so an emoji counts twice."""
    return len(value.encode("utf-16-le")) // 2
