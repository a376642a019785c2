"""Telegram redelivers an update it thinks we missed; each update id is handled once."""

from __future__ import annotations

import threading
from collections import OrderedDict


class RecentUpdates:
    """The last `size` update ids seen. Redelivery comes within minutes, so a window suffices;
    a voice answer is idempotent anyway (same message, same attempt)."""

    def __init__(self, size: int = 10_000) -> None:
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    async def first_time(self, update_id: int) -> bool:
        with self._lock:
            if update_id in self._seen:
                return False
            self._seen[update_id] = None
            if len(self._seen) > self._size:
                self._seen.popitem(last=False)
            return True

    async def forget(self, update_id: int) -> None:
        """The update was not handled after all: its redelivery is welcome."""
        with self._lock:
            self._seen.pop(update_id, None)

    async def close(self) -> None:
        """Nothing to close: kept in this process."""
