"""The buses: in the caller's thread (the CLI), on worker threads (a webhook that
acknowledges before the slow steps), and one handler at a time for an entry a stream
consumer took (adapters.streams.workers)."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from adapters.logs import about_answer
from application.bus import IO, WORK, AttemptMessage, GiveUpHandler, Handler, RetryLaterError

_log = logging.getLogger(__name__)


class InProcessBus:
    """Runs handlers in the publishing thread, one message at a time, in publish order.

    A handler that publishes (a step that records the next event) queues its message
    instead of recursing, so one voice answer flows through every step in order.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = {}
        self._queue: deque[AttemptMessage] = deque()
        self._draining = False

    def subscribe(self, topic: str, handler: Handler, lane: str = "work") -> None:
        """`lane` matters only to a bus with threads; here every handler runs in turn."""
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
                    with about_answer(current.session_id, current.attempt):
                        handler(current)
        finally:
            self._draining = False
            self._queue.clear()


@dataclass
class _Job:
    order: int  # the attempt's place in the line: older answers first
    message: AttemptMessage
    handler: Handler
    failures: int = 0


class _Lane:
    """The jobs of one lane: the ready ones by their attempt's order, the delayed ones by
    when they are due."""

    def __init__(self) -> None:
        self.ready: list[tuple[int, int, _Job]] = []
        self.delayed: list[tuple[float, int, _Job]] = []

    def next_due(self, now: float) -> float | None:
        while self.delayed and self.delayed[0][0] <= now:
            _, seq, job = heapq.heappop(self.delayed)
            heapq.heappush(self.ready, (job.order, seq, job))
        return self.delayed[0][0] if self.delayed else None


class DirectBus:
    """Runs each handler at once, in the caller's thread: what a step hands to the next step
    of the same worker (the fetched recording to its transcription) runs within one entry's
    handling. Thread-safe: it keeps no queue."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = {}

    def subscribe(self, topic: str, handler: Handler, lane: str = "work") -> None:
        self._handlers.setdefault(topic, []).append(handler)

    def publish(self, message: AttemptMessage) -> None:
        for handler in self._handlers.get(message.topic, []):
            with about_answer(message.session_id, message.attempt):
                handler(message)


class BackgroundBus:
    """Runs handlers on worker threads, so a webhook can acknowledge before the slow steps.

    Each subscription runs in a lane: `work` (CPU-bound steps, `workers` threads) or `io`
    (downloads and deliveries, `io_workers` threads), so a hanging download never holds up
    a transcription. In each lane the oldest answer goes first, whatever its step: an
    answer is finished before the next one is started, not every answer's first step
    before anyone's second.

    A handler that raises is run again after each of `retry_after_s` (a database busy for
    a moment, a network blip), without holding a thread while it waits; when it still
    fails, the `on_give_up` handlers hear of it (so the learner can be told). A handler
    that raises RetryLaterError runs again when it asks. Closing stops after the jobs in
    hand: what is still queued is in the event store, and the next start publishes it
    again (`CoachingApp.unfinished_attempts`).
    """

    def __init__(
        self,
        workers: int = 1,
        name: str = "speech-coach-worker",
        retry_after_s: tuple[float, ...] = (0.5, 2.0),
        io_workers: int = 4,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._handlers: dict[str, list[tuple[Handler, str]]] = {}
        self._give_up: list[GiveUpHandler] = []
        self._retry_after_s = retry_after_s
        self._clock = clock
        self._lanes = {WORK: _Lane(), IO: _Lane()}
        self._orders: OrderedDict[tuple[UUID, int], int] = OrderedDict()
        self._sequence = itertools.count()
        self._unfinished = 0  # jobs queued, delayed or running
        self._changed = threading.Condition()
        self._stopping = False
        self._threads = [
            threading.Thread(target=self._work, args=(lane,), name=f"{name}-{lane}-{n}",
                             daemon=True)
            for lane, count in ((WORK, workers), (IO, io_workers))
            for n in range(count)
        ]  # fmt: skip
        for thread in self._threads:
            thread.start()

    def subscribe(self, topic: str, handler: Handler, lane: str = WORK) -> None:
        if lane not in self._lanes:
            raise ValueError(f"no lane {lane!r}; lanes: {', '.join(self._lanes)}")
        self._handlers.setdefault(topic, []).append((handler, lane))

    def on_give_up(self, handler: GiveUpHandler) -> None:
        self._give_up.append(handler)

    def publish(self, message: AttemptMessage) -> None:
        with self._changed:
            order = self._order_of(message)
            for handler, lane in self._handlers.get(message.topic, []):
                self._push(lane, _Job(order, message, handler))

    def join(self) -> None:
        """Wait until every published message (and what it published) has been handled."""
        with self._changed:
            self._changed.wait_for(lambda: self._unfinished == 0)

    def close(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        for thread in self._threads:
            thread.join(timeout=30)

    def _order_of(self, message: AttemptMessage) -> int:
        """The attempt's place in line: the first message about it sets it for all of them."""
        key = (message.session_id, message.attempt)
        if key not in self._orders:
            self._orders[key] = next(self._sequence)
            if len(self._orders) > _REMEMBERED_ATTEMPTS:
                self._orders.popitem(last=False)
        return self._orders[key]

    def _push(self, lane: str, job: _Job, after_s: float = 0.0) -> None:
        """Queue `job` (the condition's lock held)."""
        self._unfinished += 1
        if after_s > 0:
            due = self._clock() + after_s
            heapq.heappush(self._lanes[lane].delayed, (due, next(self._sequence), job))
        else:
            heapq.heappush(self._lanes[lane].ready, (job.order, next(self._sequence), job))
        self._changed.notify_all()

    def _take(self, lane: str) -> _Job | None:
        queue = self._lanes[lane]
        with self._changed:
            while not self._stopping:
                due = queue.next_due(self._clock())
                if queue.ready:
                    return heapq.heappop(queue.ready)[2]
                self._changed.wait(None if due is None else max(0.0, due - self._clock()))
            return None

    def _work(self, lane: str) -> None:
        while (job := self._take(lane)) is not None:
            again_after_s = self._run(job)
            with self._changed:
                if again_after_s is not None and not self._stopping:
                    self._push(lane, job, again_after_s)
                self._unfinished -= 1
                self._changed.notify_all()

    def _run(self, job: _Job) -> float | None:
        """Run the job; how long to wait before running it again, or None if it is done."""
        with about_answer(job.message.session_id, job.message.attempt):
            return self._try(job)

    def _try(self, job: _Job) -> float | None:
        try:
            job.handler(job.message)
        except RetryLaterError as later:
            _log.info("%s: %s; trying again in %.1f s", job.message, later, later.after_s)
            return later.after_s
        except Exception as error:  # noqa: BLE001 - a worker outlives one bad message
            if job.failures < len(self._retry_after_s):
                wait_s = self._retry_after_s[job.failures]
                job.failures += 1
                _log.warning("handling %s failed (%s); trying again", job.message, error)
                return wait_s
            _log.exception("handling %s failed; giving up", job.message)
            self._gave_up(job.message, error)
        return None

    def _gave_up(self, message: AttemptMessage, error: Exception) -> None:
        for handler in self._give_up:
            try:
                handler(message, error)
            except Exception:  # noqa: BLE001 - nothing more to do here; the log says it
                _log.exception("giving up on %s failed too", message)


_REMEMBERED_ATTEMPTS = 100_000  # places in line kept; a forgotten attempt queues as new
