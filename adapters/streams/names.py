"""The streams, and the entries on them.

One stream per step event. An entry's id is the event's position in the event log
(`<notification id>-0`), so the relay publishing the same event twice (after a crash,
before it recorded how far it got) adds nothing: Redis refuses an id it has passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

import redis

from application.bus import AttemptMessage

PREFIX = "speech-coach:"
DEAD_LETTERS = PREFIX + "dead-letters"


def stream_of(topic: str) -> str:
    return PREFIX + topic


def entry_id(position: int) -> str:
    return f"{position}-0"


def fields_of(message: AttemptMessage, position: int) -> dict[str, str]:
    return {
        "topic": message.topic,
        "session_id": str(message.session_id),
        "attempt": str(message.attempt),
        "position": str(position),
    }


def message_of(fields: dict[bytes, bytes] | dict[str, str]) -> AttemptMessage:
    """The attempt an entry names; ValueError (or KeyError) if it names none."""
    text = texts_of(fields)
    return AttemptMessage(text["topic"], UUID(text["session_id"]), int(text["attempt"]))


def passed_already(error: Exception) -> bool:
    """Redis refused an XADD because the stream already holds that id or a later one."""
    return "equal or smaller than the target stream top item" in str(error)


def text_of(value: Any) -> str:
    """A Redis reply (bytes unless the client decodes) as text."""
    return value.decode() if isinstance(value, bytes) else str(value)


def texts_of(fields: Mapping[Any, Any]) -> dict[str, str]:
    return {text_of(k): text_of(v) for k, v in fields.items()}


def entry_key(entry: str) -> tuple[int, int]:
    """An entry id as a pair that sorts as Redis orders ids."""
    ms, seq = entry.split("-")
    return int(ms), int(seq)


def groups_of(client: redis.Redis, stream: str) -> dict[str, dict[str, Any]]:
    """The stream's consumer groups by name (none when there is no such stream yet)."""
    try:
        found = client.xinfo_groups(stream)
    except redis.ResponseError:
        return {}
    return {text_of(group["name"]): group for group in found}


def group_exists(error: Exception) -> bool:
    """Redis refused to create a consumer group because it is there already."""
    return "BUSYGROUP" in str(error)


def append_after_last(client: redis.Redis, stream: str, fields: Mapping[str, str]) -> str:
    """Add an entry after the stream's last one (an entry a step should see again);
    returns its id."""
    while True:
        last = (
            text_of(client.xinfo_stream(stream)["last-generated-id"])
            if client.exists(stream)
            else "0-0"
        )
        entry: Any = dict(fields)
        try:
            added = client.xadd(stream, entry, id=f"{last.split('-')[0]}-*")
        except redis.ResponseError as error:
            if passed_already(error):  # the relay added one meanwhile: look again
                continue
            raise
        return text_of(added)
