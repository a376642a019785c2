"""The event bus port and the in-process bus of the embedded default.

Messages name an attempt and the event that just happened; workers load the rest from
the event store, so a message is small and a redelivered one is harmless.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True)
class AttemptMessage:
    topic: str  # the event's class name, e.g. "AudioReceived"
    session_id: UUID
    attempt: int


Handler = Callable[[AttemptMessage], None]


class EventBus(Protocol):
    def publish(self, message: AttemptMessage) -> None: ...

    def subscribe(self, topic: str, handler: Handler) -> None: ...


class InProcessBus:
    """Runs handlers in the publishing thread, one message at a time, in publish order.

    A handler that publishes (a step that records the next event) queues its message
    instead of recursing, so one voice answer flows through every step in order.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = {}
        self._queue: deque[AttemptMessage] = deque()
        self._draining = False

    def subscribe(self, topic: str, handler: Handler) -> None:
        self._handlers.setdefault(topic, []).append(handler)

    def publish(self, message: AttemptMessage) -> None:
        self._queue.append(message)
        if self._draining:
            return
        self._draining = True
        try:
            while self._queue:
                current = self._queue.popleft()
                for handler in self._handlers.get(current.topic, []):
                    handler(current)
        finally:
            self._draining = False
            self._queue.clear()


_log = logging.getLogger(__name__)


GiveUpHandler = Callable[[AttemptMessage, Exception], None]


class BackgroundBus:
    """Runs handlers on worker threads, so a webhook can acknowledge before the slow steps.

    A handler that raises is run again after each of `retry_after_s` (a database busy for
    a moment, a network blip); when it still fails, the `on_give_up` handler hears of it
    (so the learner can be told) and the workers go on. Closing stops after the messages
    in hand: what is still queued is in the event store, and the next start publishes it
    again (`CoachingApp.unfinished_attempts`).
    """

    def __init__(
        self,
        workers: int = 1,
        name: str = "speech-coach-worker",
        retry_after_s: tuple[float, ...] = (0.5, 2.0),
    ) -> None:
        self._handlers: dict[str, list[Handler]] = {}
        self._give_up: list[GiveUpHandler] = []
        self._retry_after_s = retry_after_s
        self._queue: queue.Queue[AttemptMessage | None] = queue.Queue()
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def subscribe(self, topic: str, handler: Handler) -> None:
        self._handlers.setdefault(topic, []).append(handler)

    def on_give_up(self, handler: GiveUpHandler) -> None:
        self._give_up.append(handler)

    def publish(self, message: AttemptMessage) -> None:
        self._queue.put(message)

    def backlog(self) -> int:
        """Messages waiting for a worker (approximate, for readiness and benchmarks)."""
        return self._queue.qsize()

    def join(self) -> None:
        """Wait until every published message (and what it published) has been handled."""
        self._queue.join()

    def close(self) -> None:
        self._stopping.set()
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=30)

    def _work(self) -> None:
        while (message := self._queue.get()) is not None:
            try:
                if not self._stopping.is_set():
                    self._handle(message)
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def _handle(self, message: AttemptMessage) -> None:
        for handler in self._handlers.get(message.topic, []):
            for wait_s in (*self._retry_after_s, None):
                try:
                    handler(message)
                    break
                except Exception as error:  # noqa: BLE001 - a worker outlives one bad message
                    if wait_s is None or self._stopping.wait(wait_s):
                        _log.exception("handling %s failed; giving up", message)
                        self._gave_up(message, error)
                        break
                    _log.warning("handling %s failed (%s); trying again", message, error)

    def _gave_up(self, message: AttemptMessage, error: Exception) -> None:
        for handler in self._give_up:
            try:
                handler(message, error)
            except Exception:  # noqa: BLE001 - nothing more to do here; the log says it
                _log.exception("giving up on %s failed too", message)
