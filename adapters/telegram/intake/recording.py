"""One thread records the webhook's voice answers, several to a transaction.

A thread per request (asyncio.to_thread) made the writers queue for SQLite's write lock
and the GIL: under load each answer cost more CPU than the last and the backlog never
drained. One writer takes whatever has arrived, records it in one transaction (one
fsync), and hands each request its outcome. When more answers wait than it can take in
`max_waiting`, the webhook says busy at once (503: Telegram sends them again later).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aiogram.types import Message

from adapters.telegram.intake.answers import Accepted, Outcome, Refused

MAX_BATCH = 64
MAX_WAITING = 2_000


class RecorderBusyError(RuntimeError):
    """More answers are waiting to be recorded than the recorder takes; try again later."""


@dataclass(frozen=True)
class _Request:
    message: Message
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Outcome]


class AnswerRecorder:
    """`await recorder.accept(message)`: its outcome once it is recorded (or refused)."""

    def __init__(
        self,
        accept_messages: Callable[[Sequence[Message]], list[Outcome]],
        max_batch: int = MAX_BATCH,
        max_waiting: int = MAX_WAITING,
    ) -> None:
        self._accept_messages, self._max_batch = accept_messages, max_batch
        self._waiting: queue.Queue[_Request | None] = queue.Queue(max_waiting)
        self._thread = threading.Thread(target=self._run, name="answer-recorder", daemon=True)
        self._thread.start()

    async def accept(self, message: Message) -> Accepted | Refused | None:
        loop = asyncio.get_running_loop()
        request = _Request(message, loop, loop.create_future())
        try:
            self._waiting.put_nowait(request)
        except queue.Full:
            raise RecorderBusyError("too many answers waiting to be recorded") from None
        outcome = await request.future
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def close(self) -> None:
        """Record what is waiting, then stop."""
        self._waiting.put(None)
        self._thread.join()

    def _run(self) -> None:
        while (first := self._waiting.get()) is not None:
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    request = self._waiting.get_nowait()
                except queue.Empty:
                    break
                if request is None:
                    self._waiting.put(None)  # stop after this batch
                    break
                batch.append(request)
            try:
                outcomes = self._accept_messages([request.message for request in batch])
            except Exception as failed:  # noqa: BLE001 - every sender is told, none is lost
                outcomes = [failed] * len(batch)
            _settle(batch, outcomes)


def _settle(batch: list[_Request], outcomes: list[Outcome]) -> None:
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Request, Outcome]]] = {}
    for request, outcome in zip(batch, outcomes, strict=True):
        by_loop.setdefault(request.loop, []).append((request, outcome))
    for loop, settled in by_loop.items():
        with contextlib.suppress(RuntimeError):  # its loop has closed: nobody is waiting
            loop.call_soon_threadsafe(_set_results, settled)


def _set_results(settled: list[tuple[_Request, Outcome]]) -> None:
    for request, outcome in settled:
        if not request.future.done():  # its request may have been cancelled meanwhile
            request.future.set_result(outcome)
