"""What the fake saw: every call in order, readable from the test thread while the server writes.

One condition variable guards the log, so `wait_for` sleeps until a matching call lands instead of
polling, and a timeout fails with the calls seen so far (the useful part of a red e2e test).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FileRef:
    """A file the fake can serve: what getFile returns and what an Update's voice/audio carries."""

    file_id: str
    file_unique_id: str
    file_size: int
    file_path: str


@dataclass(frozen=True)
class Call:
    """One HTTP request to a Bot API method (or a file download, recorded as method "file").

    `params` are decoded as Telegram reads them: numbers, booleans and JSON-valued fields
    (reply_markup, entities, allowed_updates...) as Python values, text fields as sent. `files`
    holds uploaded bytes by the parameter that references them (files["photo"] for sendPhoto).
    """

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = field(default_factory=time.time)
    status: int = 200

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


class CallLog:
    """Thread-safe, append-only list of calls with blocking waits."""

    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._changed = threading.Condition()

    def record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def all(self) -> list[Call]:
        with self._changed:
            return list(self._calls)

    def select(self, method: str, chat_id: int | None = None, ok: bool | None = None) -> list[Call]:
        with self._changed:
            return [c for c in self._calls if _matches(c, method, chat_id, ok)]

    def wait_for(
        self, method: str, chat_id: int | None, count: int, timeout: float, ok: bool | None
    ) -> list[Call]:
        with self._changed:
            found = self._changed.wait_for(
                lambda: len(self.select(method, chat_id, ok)) >= count, timeout
            )
            if found:
                return self.select(method, chat_id, ok)
            seen = "\n  ".join(f"{c.method} {c.status} {c.params}" for c in self._calls)
        target = f"{count} x {method}" + (f" to chat {chat_id}" if chat_id is not None else "")
        raise AssertionError(f"timed out after {timeout} s waiting for {target}; saw:\n  {seen}")


def _matches(call: Call, method: str, chat_id: int | None, ok: bool | None) -> bool:
    return (
        call.method == method
        and (chat_id is None or call.chat_id == chat_id)
        and (ok is None or call.ok == ok)
    )
