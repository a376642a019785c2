"""Update JSON as Telegram delivers it (to a webhook or from getUpdates), built against the fake's
own state so message ids, file ids and callback query ids are ones the fake will recognise."""

from __future__ import annotations

import itertools
import re
from typing import Any, Literal

from tests.support.fake_telegram.records import FileRef
from tests.support.fake_telegram.state import BotState

AudioKind = Literal["voice", "audio", "video_note", "document"]
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")
_query_ids = itertools.count(4_000_000_000_000_000_001)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _media(kind: AudioKind, file: FileRef, duration: int) -> dict[str, Any]:
    ids = {"file_id": file.file_id, "file_unique_id": file.file_unique_id}
    if kind == "voice":
        return {**ids, "duration": duration, "mime_type": "audio/ogg", "file_size": file.file_size}
    if kind == "audio":
        return {
            **ids,
            "duration": duration,
            "mime_type": "audio/mpeg",
            "file_name": "answer.mp3",
            "title": "answer",
            "file_size": file.file_size,
        }
    if kind == "video_note":
        return {**ids, "length": 384, "duration": duration, "file_size": file.file_size}
    return {**ids, "file_name": "answer.ogg", "mime_type": "audio/ogg", "file_size": file.file_size}


def _named(state: BotState, chat_id: int, first_name: str | None) -> None:
    if first_name:
        with state.lock:
            state.names[chat_id] = first_name


def voice_update(
    state: BotState,
    chat_id: int,
    file: FileRef,
    duration: int,
    *,
    message_id: int | None,
    update_id: int | None,
    kind: AudioKind,
    first_name: str | None,
) -> dict[str, Any]:
    _named(state, chat_id, first_name)
    wanted = state.message_id(chat_id, message_id)
    message = state.message(chat_id, from_bot=False, message_id=wanted)
    message[kind] = _media(kind, file, duration)
    return {"update_id": state.update_id(update_id), "message": message}


def text_update(
    state: BotState,
    chat_id: int,
    text: str,
    *,
    message_id: int | None,
    update_id: int | None,
    first_name: str | None,
) -> dict[str, Any]:
    _named(state, chat_id, first_name)
    wanted = state.message_id(chat_id, message_id)
    message = state.message(chat_id, from_bot=False, message_id=wanted, text=text)
    commands = [
        {"type": "bot_command", "offset": _utf16(text[: m.start()]), "length": _utf16(m.group())}
        for m in _COMMAND.finditer(text)
    ]
    if commands:
        message["entities"] = commands
    return {"update_id": state.update_id(update_id), "message": message}


def callback_update(
    state: BotState,
    chat_id: int,
    data: str,
    message_id: int,
    *,
    update_id: int | None,
    first_name: str | None,
) -> dict[str, Any]:
    """A button press on the bot's message `message_id`; its query id is answerable once."""
    _named(state, chat_id, first_name)
    query_id = str(next(_query_ids))
    with state.lock:
        state.callbacks.add(query_id)
        shown = state.messages.get((chat_id, message_id))
    message = shown or state.message(chat_id, from_bot=True, message_id=message_id, text="…")
    query = {
        "id": query_id,
        "from": state.learner(chat_id),
        "message": message,
        "chat_instance": str(-chat_id * 7919),
        "data": data,
    }
    return {"update_id": state.update_id(update_id), "callback_query": query}
