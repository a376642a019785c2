"""The event bus port and the in-process bus of the embedded default.

Messages name an attempt and the event that just happened; workers load the rest from
the event store, so a message is small and a redelivered one is harmless.
"""

from __future__ import annotations

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
