"""Errors a test asks for: the next N calls to a method answer like a busy or refusing Telegram;
or a call held unanswered until the test releases it (a request in flight)."""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tests.support.fake_telegram.state import ApiError

DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass
class Hold:
    """A call held before the fake acts on it. `arrived` is set when it comes; `release()`
    lets it go on. A call whose client went away meanwhile is dropped, not acted on."""

    matching: str
    chat_id: int | None = None
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.released.set()


def _matches(params: dict[str, Any], matching: str, chat_id: int | None) -> bool:
    if chat_id is not None and str(params.get("chat_id")) != str(chat_id):
        return False
    return not matching or matching in str(params.get("text", ""))


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._due: defaultdict[str, list[tuple[ApiError, str, int | None]]] = defaultdict(list)
        self._holds: defaultdict[str, list[Hold]] = defaultdict(list)

    def add(
        self, method: str, status: int, retry_after: int, times: int, description: str,
        matching: str = "", chat_id: int | None = None,
    ) -> None:  # fmt: skip
        """`matching`, `chat_id`: only calls whose text holds it, to that chat (if given)."""
        if status == 429:
            error = ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        else:
            error = ApiError(status, description or DESCRIPTIONS.get(status, f"Error {status}"))
        with self._lock:
            self._due[method].extend([(error, matching, chat_id)] * times)

    def hold(self, method: str, matching: str, chat_id: int | None = None) -> Hold:
        hold = Hold(matching, chat_id)
        with self._lock:
            self._holds[method].append(hold)
        return hold

    def raise_if_due(self, method: str, params: dict[str, Any] | None = None) -> None:
        with self._lock:
            due = self._due[method]
            found = next(
                (n for n, (_, m, c) in enumerate(due) if _matches(params or {}, m, c)), None
            )
            error = due.pop(found)[0] if found is not None else None
        if error is not None:
            raise error

    async def wait_if_held(self, method: str, params: dict[str, Any]) -> None:
        with self._lock:
            holds = self._holds[method]
            found = next((h for h in holds if _matches(params, h.matching, h.chat_id)), None)
            if found is not None:
                holds.remove(found)
        if found is None:
            return
        found.arrived.set()
        while not found.released.is_set():  # noqa: ASYNC110 - released from the test's thread
            await asyncio.sleep(0.02)
