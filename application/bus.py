"""The event bus port: what a step is handed, and how steps are subscribed.

The buses themselves are adapters (adapters.buses: in the caller's thread, on worker
threads, or each entry of a Redis stream as it comes).

Messages name an attempt and the event that just happened (or "AudioFetched": the
recording is on local disk, ready to transcribe); workers load the rest from the event
store, so a message is small and a redelivered one is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True)
class AttemptMessage:
    topic: str  # the event's class name, e.g. "AudioReceived", or "AudioFetched"
    session_id: UUID
    attempt: int


Handler = Callable[[AttemptMessage], None]


class EventBus(Protocol):
    def publish(self, message: AttemptMessage) -> None: ...

    def subscribe(self, topic: str, handler: Handler, lane: str = "work") -> None: ...


GiveUpHandler = Callable[[AttemptMessage, Exception], None]
WORK, IO = "work", "io"  # lanes: CPU-bound steps, and steps that wait on the network


class RetryLaterError(Exception):
    """A step asks to be run again in `after_s` seconds (e.g. Telegram said "retry after").
    It does not count as a failure: the step itself decides when it is no longer worth it."""

    def __init__(self, after_s: float, why: str) -> None:
        super().__init__(why)
        self.after_s = after_s
