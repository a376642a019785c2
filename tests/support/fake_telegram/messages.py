"""Methods that send, edit or delete messages, answering with the Message objects Telegram returns.

The checks are Telegram's own, with its wording: HTML that does not parse, a text over 4096
characters, an edit that changes nothing, a photo that is not an image. A bot that passes here
has not been spared an error the real server would give it.
"""

from __future__ import annotations

import struct
import time
from typing import Any

from tests.support.fake_telegram.html_entities import EntityParseError, parse_html
from tests.support.fake_telegram.records import FileRef
from tests.support.fake_telegram.state import BotState, bad_request

Uploads = dict[str, tuple[str, bytes]]
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


def _chat_id(params: dict[str, Any]) -> int:
    chat_id = params.get("chat_id")
    if chat_id in (None, ""):
        raise bad_request("chat_id is empty")
    if not isinstance(chat_id, int):
        raise bad_request("chat not found")
    return chat_id


def _formatted(params: dict[str, Any], key: str) -> dict[str, Any]:
    """`text`/`caption` and their entities as the returned Message holds them."""
    raw = str(params.get(key, ""))
    plain, entities = raw, params.get(f"{key}_entities" if key == "caption" else "entities") or []
    if str(params.get("parse_mode", "")).lower() == "html":
        try:
            plain, entities = parse_html(raw)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from error
    content: dict[str, Any] = {key: plain} if plain else {}
    if entities:
        content[f"{key}_entities" if key == "caption" else "entities"] = entities
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        content["reply_markup"] = markup
    return content


def _keep(state: BotState, message: dict[str, Any]) -> dict[str, Any]:
    with state.lock:
        state.messages[message["chat"]["id"], message["message_id"]] = message
    return message


def send_message(state: BotState, params: dict[str, Any], _: Uploads) -> dict[str, Any]:
    chat_id = _chat_id(params)
    content = _formatted(params, "text")
    if not content.get("text", "").strip():
        raise bad_request("message text is empty")
    if len(content["text"].encode("utf-16-le")) // 2 > TEXT_LIMIT:
        raise bad_request("message is too long")
    return _keep(state, state.message(chat_id, from_bot=True, **content))


def edit_message_text(state: BotState, params: dict[str, Any], _: Uploads) -> Any:
    if params.get("inline_message_id"):
        return True
    chat_id = _chat_id(params)
    content = _formatted(params, "text")
    if not content.get("text", "").strip():
        raise bad_request("message text is empty")
    with state.lock:
        current = _editable(state, chat_id, params)
        if "text" not in current:
            raise bad_request("there is no text in the message to edit")
        return _edited(state, current, content, ("text", "entities", "reply_markup"))


def edit_message_reply_markup(state: BotState, params: dict[str, Any], _: Uploads) -> Any:
    if params.get("inline_message_id"):
        return True
    chat_id = _chat_id(params)
    markup = params.get("reply_markup")
    content = (
        {"reply_markup": markup}
        if isinstance(markup, dict) and markup.get("inline_keyboard")
        else {}
    )
    with state.lock:
        return _edited(state, _editable(state, chat_id, params), content, ("reply_markup",))


def _editable(state: BotState, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
    current = state.messages.get((chat_id, params.get("message_id", 0)))
    if current is None:
        raise bad_request("message to edit not found")
    return current


def _edited(
    state: BotState, current: dict[str, Any], content: dict[str, Any], fields: tuple[str, ...]
) -> dict[str, Any]:
    if {k: current[k] for k in fields if k in current} == content:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    kept = {k: v for k, v in current.items() if k not in fields}
    return _keep(state, {**kept, **content, "edit_date": int(time.time())})


def delete_message(state: BotState, params: dict[str, Any], _: Uploads) -> bool:
    chat_id = _chat_id(params)
    with state.lock:
        if state.messages.pop((chat_id, params.get("message_id", 0)), None) is None:
            raise bad_request("message to delete not found")
    return True


def _attached(
    state: BotState, params: dict[str, Any], uploads: Uploads, key: str, path: str
) -> tuple[str, bytes, FileRef]:
    """The uploaded part the parameter names, else a file_id the server already holds."""
    if key in uploads:
        name, data = uploads[key]
        return name, data, state.add_file(data, None, path)
    with state.lock:
        known = state.files.get(str(params.get(key, "")))
    if known is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    ref, data = known
    return ref.file_path.rpartition("/")[2], data, ref


def _image_size(data: bytes) -> tuple[int, int]:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"\xff\xd8"):
        return 800, 600
    raise bad_request("IMAGE_PROCESS_FAILED")


def send_photo(state: BotState, params: dict[str, Any], uploads: Uploads) -> dict[str, Any]:
    chat_id = _chat_id(params)
    _, data, ref = _attached(state, params, uploads, "photo", "photos/file_{n}.jpg")
    width, height = _image_size(data)
    content = _formatted(params, "caption")
    if len(content.get("caption", "")) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    sizes = [{"file_id": ref.file_id, "file_unique_id": ref.file_unique_id,
              "width": width, "height": height, "file_size": ref.file_size}]  # fmt: skip
    return _keep(state, state.message(chat_id, from_bot=True, photo=sizes, **content))


def send_document(state: BotState, params: dict[str, Any], uploads: Uploads) -> dict[str, Any]:
    chat_id = _chat_id(params)
    name, _, ref = _attached(state, params, uploads, "document", "documents/file_{n}")
    content = _formatted(params, "caption")
    document = {"file_id": ref.file_id, "file_unique_id": ref.file_unique_id,
                "file_name": name, "file_size": ref.file_size}  # fmt: skip
    return _keep(state, state.message(chat_id, from_bot=True, document=document, **content))
