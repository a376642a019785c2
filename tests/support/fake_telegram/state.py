"""The fake server's memory: per-chat message ids, the bot's messages, files, updates, webhook.

Shared by the server thread and the test thread, so every change happens under one lock. Message
ids are counted per chat and shared by both directions, as in a Telegram private chat: a learner's
voice (built by an update builder) and the bot's reply never share an id.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from typing import Any

from tests.support.fake_telegram.records import FileRef


class ApiError(Exception):
    """A Telegram error answer: HTTP status plus the {"ok": false, ...} body aiogram maps."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


class BotState:
    def __init__(self, token: str) -> None:
        self.token = token
        self.lock = threading.RLock()
        self.bot_id = int(token.partition(":")[0])
        self.names: dict[int, str] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, tuple[FileRef, bytes]] = {}
        self.callbacks: set[str] = set()
        self.webhook: dict[str, Any] = {"url": ""}
        self.commands: list[Any] = []
        self.updates: list[dict[str, Any]] = []
        self._last_message_id: dict[int, int] = {}
        self._update_ids = itertools.count(100_000_001)
        self._file_numbers = itertools.count(1)

    def bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Speech Coach",
                "username": "speech_coach_test_bot"}  # fmt: skip

    def learner(self, chat_id: int) -> dict[str, Any]:
        name = self.names.get(chat_id, "Learner")
        return {"id": chat_id, "is_bot": False, "first_name": name, "language_code": "en"}

    def chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id < 0:
            return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}
        return {"id": chat_id, "type": "private", "first_name": self.names.get(chat_id, "Learner")}

    def message_id(self, chat_id: int, wanted: int | None = None) -> int:
        with self.lock:
            last = self._last_message_id.get(chat_id, 0)
            chosen = last + 1 if wanted is None else wanted
            self._last_message_id[chat_id] = max(last, chosen)
            return chosen

    def update_id(self, wanted: int | None = None) -> int:
        return next(self._update_ids) if wanted is None else wanted

    def message(self, chat_id: int, *, from_bot: bool, **content: Any) -> dict[str, Any]:
        sender = self.bot_user() if from_bot else self.learner(chat_id)
        message_id = content.pop("message_id", None) or self.message_id(chat_id)
        base = {"message_id": message_id, "from": sender, "chat": self.chat(chat_id)}
        return {**base, "date": int(time.time()), **content}

    def add_file(
        self, data: bytes, unique_id: str | None, path: str | None, size: int | None = None
    ) -> FileRef:
        """`path` "" gives a getFile without file_path; `size` announces another size."""
        with self.lock:
            number = next(self._file_numbers)
            ref = FileRef(
                file_id=f"AwACAgIAAxkBAAI{number:05d}{secrets.token_urlsafe(12)}",
                file_unique_id=unique_id or f"AgAD{number:05d}",
                file_size=len(data) if size is None else size,
                file_path=("voice/file_{n}.oga" if path is None else path).format(n=number),
            )
            self.files[ref.file_id] = (ref, data)
            return ref

    def file_by_path(self, path: str) -> bytes | None:
        with self.lock:
            return next((data for ref, data in self.files.values() if ref.file_path == path), None)

    def push_update(self, update: dict[str, Any]) -> None:
        with self.lock:
            self.updates.append(update)

    def take_updates(self, offset: int, limit: int) -> list[dict[str, Any]]:
        """An offset confirms every earlier update; a negative one keeps only the last -offset."""
        with self.lock:
            if offset < 0:
                del self.updates[: max(0, len(self.updates) + offset)]
            elif offset > 0:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            return self.updates[: max(1, min(limit, 100))]
