"""The methods that are not messages: identity, files, callbacks, webhook, commands; and the table
of every method the fake answers, by the name Telegram documents (matched case-insensitively)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support.fake_telegram import messages
from tests.support.fake_telegram.messages import Uploads
from tests.support.fake_telegram.state import ApiError, BotState, bad_request

Handler = Callable[[BotState, dict[str, Any], Uploads], Any]
ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
}  # fmt: skip


def send_chat_action(_state: BotState, params: dict[str, Any], _: Uploads) -> bool:
    if params.get("chat_id") in (None, ""):
        raise bad_request("chat_id is empty")
    if params.get("action") not in ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def get_me(state: BotState, _params: dict[str, Any], _: Uploads) -> dict[str, Any]:
    return {**state.bot_user(), "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False}  # fmt: skip


def get_file(state: BotState, params: dict[str, Any], _: Uploads) -> dict[str, Any]:
    with state.lock:
        known = state.files.get(str(params.get("file_id", "")))
    if known is None:
        raise bad_request("invalid file_id")
    ref = known[0]
    found = {"file_id": ref.file_id, "file_unique_id": ref.file_unique_id,
             "file_size": ref.file_size, "file_path": ref.file_path}  # fmt: skip
    return {key: value for key, value in found.items() if value != ""}


def answer_callback_query(state: BotState, params: dict[str, Any], _: Uploads) -> bool:
    with state.lock:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in state.callbacks:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        state.callbacks.discard(query_id)
    return True


def set_webhook(state: BotState, params: dict[str, Any], _: Uploads) -> bool:
    url = str(params.get("url", ""))
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    with state.lock:
        state.webhook = {"url": url, **{k: v for k, v in params.items() if k != "url"}}
        if params.get("drop_pending_updates"):
            state.updates.clear()
    return True


def delete_webhook(state: BotState, params: dict[str, Any], _: Uploads) -> bool:
    with state.lock:
        state.webhook = {"url": ""}
        if params.get("drop_pending_updates"):
            state.updates.clear()
    return True


def get_webhook_info(state: BotState, _params: dict[str, Any], _: Uploads) -> dict[str, Any]:
    with state.lock:
        info = {"url": state.webhook["url"], "has_custom_certificate": False,
                "pending_update_count": len(state.updates)}  # fmt: skip
        if state.webhook.get("allowed_updates"):
            info["allowed_updates"] = state.webhook["allowed_updates"]
        return info


def set_my_commands(state: BotState, params: dict[str, Any], _: Uploads) -> bool:
    with state.lock:
        state.commands = list(params.get("commands") or [])
    return True


def get_updates_allowed(state: BotState) -> None:
    """Telegram refuses long polling while a webhook is set."""
    with state.lock:
        if state.webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )


METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "getFile": get_file,
    "answerCallbackQuery": answer_callback_query,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "sendMessage": messages.send_message,
    "editMessageText": messages.edit_message_text,
    "editMessageReplyMarkup": messages.edit_message_reply_markup,
    "deleteMessage": messages.delete_message,
    "sendChatAction": send_chat_action,
    "sendPhoto": messages.send_photo,
    "sendDocument": messages.send_document,
}
CANONICAL = {name.lower(): name for name in [*METHODS, "getUpdates"]}
