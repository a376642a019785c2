"""A polite per-learner limit on answers, so one chat cannot take every worker."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Protocol


class RateLimit(Protocol):
    per_hour: int

    def allow(self, chat_id: int, message_key: str) -> bool: ...

    def wait_s(self, chat_id: int) -> float: ...


class AnswerRateLimit:
    """At most `per_hour` answers per chat in any hour. An answer is counted once, by the
    message it came in: the same message sent again (under a new update id) is not another."""

    def __init__(
        self, per_hour: int, clock: Callable[[], float] = time.monotonic, window_s: float = 3600.0
    ) -> None:
        self.per_hour = per_hour
        self._clock = clock
        self._window = window_s
        self._counted: defaultdict[int, deque[tuple[float, str]]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, chat_id: int, message_key: str) -> bool:
        """Count `message_key` for `chat_id` if it is under the limit; False if it is not."""
        now = self._clock()
        with self._lock:
            counted = self._counted[chat_id]
            while counted and now - counted[0][0] >= self._window:
                counted.popleft()
            if any(key == message_key for _, key in counted):
                return True
            if len(counted) >= self.per_hour:
                return False
            counted.append((now, message_key))
            return True

    def wait_s(self, chat_id: int) -> float:
        with self._lock:
            counted = self._counted[chat_id]
            return max(0.0, self._window - (self._clock() - counted[0][0])) if counted else 0.0
