"""Telegram's parse_mode=HTML, strictly enough to catch what the real server refuses.

Telegram answers 400 "can't parse entities" for an unknown tag, a stray `<`, or a tag left open or
closed out of order; it turns the rest into plain text plus entities with UTF-16 offsets. Named
entities other than lt/gt/amp/quot stay literal, as Telegram leaves them.
"""

from __future__ import annotations

import re
from typing import Any

_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ATTR = re.compile(r"""\s*([a-z-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_KINDS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "code": "code", "pre": "pre", "a": "text_link", "tg-spoiler": "spoiler", "span": "spoiler",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip


class EntityParseError(ValueError):
    """The text is not HTML Telegram accepts; the message is Telegram's own wording."""


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode(raw: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        return _NAMED[name]

    return _ENTITY.sub(one, raw)


def _attributes(body: str, offset: int) -> dict[str, str]:
    attributes: dict[str, str] = {}
    position = 0
    while body[position:].strip():
        match = _ATTR.match(body, position)
        if not match or match.end() == position:
            raise EntityParseError(
                f"Expected equal sign in declaration of an attribute at byte offset {offset}"
            )
        attributes[match.group(1)] = _decode(
            next((g for g in match.groups()[1:] if g is not None), "")
        )
        position = match.end()
    return attributes


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities as Telegram would store them, or EntityParseError."""
    plain: list[str] = []
    entities: list[dict[str, Any]] = []
    open_tags: list[tuple[str, int, dict[str, str]]] = []
    length = 0
    position = 0
    while position < len(source):
        lt = source.find("<", position)
        chunk = _decode(source[position : lt if lt >= 0 else len(source)])
        plain.append(chunk)
        length += _utf16(chunk)
        if lt < 0:
            break
        offset = len(source[:lt].encode())
        gt = source.find(">", lt)
        if gt < 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
        inside = source[lt + 1 : gt]
        if inside.startswith("/"):
            name = inside[1:].strip().lower()
            if not open_tags:
                raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
            opened, start, attributes = open_tags.pop()
            if name and name != opened:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {offset}, "
                    f'expected "</{opened}>", found "</{name}>"'
                )
            if length > start:
                entities.append(_entity(opened, start, length - start, attributes))
        else:
            name, _, rest = inside.partition(" ")
            name = name.strip().lower()
            if name not in _KINDS:
                raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
            open_tags.append((name, length, _attributes(rest, offset)))
        position = gt + 1
    if open_tags:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{open_tags[-1][0]}"'
        )
    return "".join(plain), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _entity(tag: str, offset: int, length: int, attributes: dict[str, str]) -> dict[str, Any]:
    entity: dict[str, Any] = {"type": _KINDS[tag], "offset": offset, "length": length}
    if tag == "a":
        entity["url"] = attributes.get("href", "")
    if tag == "blockquote" and "expandable" in attributes:
        entity["type"] = "expandable_blockquote"
    if tag == "pre" and "language" in attributes:
        entity["language"] = attributes["language"]
    if tag == "tg-emoji":
        entity["custom_emoji_id"] = attributes.get("emoji-id", "")
    return entity
