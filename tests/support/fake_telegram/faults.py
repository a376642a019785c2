"""Errors a test asks for: the next N calls to a method answer like a busy or refusing Telegram."""

from __future__ import annotations

import threading
from collections import defaultdict

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


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._due: defaultdict[str, list[ApiError]] = defaultdict(list)

    def add(self, method: str, status: int, retry_after: int, times: int, description: str) -> None:
        if status == 429:
            error = ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        else:
            error = ApiError(status, description or DESCRIPTIONS.get(status, f"Error {status}"))
        with self._lock:
            self._due[method].extend([error] * times)

    def raise_if_due(self, method: str) -> None:
        with self._lock:
            due = self._due[method]
            error = due.pop(0) if due else None
        if error is not None:
            raise error
