"""A polite per-learner limit on answers, so one chat cannot take every worker."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class AnswerRateLimit:
    def __init__(
        self, per_hour: int, clock: Callable[[], float] = time.monotonic, window_s: float = 3600.0
    ) -> None:
        self.per_hour = per_hour
        self._clock = clock
        self._window = window_s
        self._times: defaultdict[int, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, chat_id: int) -> bool:
        """Count one answer for `chat_id` if it is under the limit; False if it is not."""
        now = self._clock()
        with self._lock:
            times = self._times[chat_id]
            while times and now - times[0] >= self._window:
                times.popleft()
            if len(times) >= self.per_hour:
                return False
            times.append(now)
            return True

    def wait_s(self, chat_id: int) -> float:
        with self._lock:
            times = self._times[chat_id]
            return max(0.0, self._window - (self._clock() - times[0])) if times else 0.0
