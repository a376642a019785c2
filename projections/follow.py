"""Following one application's notification log, on any store the app can use.

The library's ApplicationSubscription needs `recorder.subscribe()`, which the POPO and
PostgreSQL recorders provide (listen/notify) and SQLite's does not; there we poll, and a
reader that waits for its own write can `nudge` the subscription to look at once.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from threading import Event, Lock, Thread
from typing import Any, Self
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, ListenNotifySubscription, Tracking
from eventsourcing.projection import ApplicationSubscription

log = logging.getLogger(__name__)
_POLL_S = 0.2


class PollingSubscription(ListenNotifySubscription[ApplicationRecorder]):
    """Pulls new notifications every `interval` seconds, or at once when nudged."""

    def __init__(self, recorder: ApplicationRecorder, gt: int | None, interval: float) -> None:
        self._interval = interval
        super().__init__(recorder=recorder, gt=gt)

    def _loop_on_pull(self) -> None:
        try:
            self._pull()
            while not self._has_been_stopped:
                self._has_been_notified.wait(self._interval)
                self._pull()
        except BaseException as error:  # noqa: BLE001  (re-raised by __next__ in the reader)
            if self._thread_error is None:
                self._thread_error = error
            self.stop()


class FollowApplication(ApplicationSubscription[UUID]):
    """(domain event, tracking) pairs of `app`'s log after position `gt`, blocking for more."""

    def __init__(self, app: Application[Any], gt: int | None, poll_s: float = _POLL_S) -> None:
        self.name = app.name
        self.recorder = app.recorder
        self.mapper = app.mapper
        try:
            self.subscription = app.recorder.subscribe(gt=gt)
        except NotImplementedError:
            self.subscription = PollingSubscription(app.recorder, gt, poll_s)
        self.nudge()

    def nudge(self) -> None:
        """Makes the subscription look for new notifications now.

        Also needed right after subscribing: the library's POPO subscription starts pulling
        before it registers as a listener, so an event recorded in that gap would wait
        for the next one.
        """
        notified = getattr(self.subscription, "_has_been_notified", None)
        if isinstance(notified, Event):
            notified.set()


class FollowingThread(ABC):
    """A daemon thread that hands each event after `start_position()` to `handle`.

    `stop` ends the subscription and waits for the thread; an error ends the thread and is
    kept in `error` (logged, unless it came from stopping).
    """

    def __init__(self, app: Application[Any], name: str, poll_s: float = _POLL_S) -> None:
        self._app = app
        self._poll_s = poll_s
        self._stopping = Event()
        self._lock = Lock()
        self._following: FollowApplication | None = None
        self._thread = Thread(target=self._run, name=name, daemon=True)
        self.error: BaseException | None = None

    @abstractmethod
    def start_position(self) -> int | None:
        """Follow from after this notification id (None: from the start)."""

    @abstractmethod
    def handle(self, domain_event: Any, tracking: Tracking) -> None: ...

    def finished(self) -> None:  # noqa: B027 - an optional hook, empty by design
        """Called once when the thread ends, however it ends."""

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        with self._lock:
            self._stopping.set()
            if self._following is not None:
                self._following.stop()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def wait_stopping(self, timeout_s: float) -> bool:
        """Wait up to `timeout_s` for `stop`; whether it came (for work done beside it)."""
        return self._stopping.wait(timeout_s)

    def nudge(self) -> None:
        with self._lock:
            if self._following is not None:
                self._following.nudge()

    def _run(self) -> None:
        try:
            gt = self.start_position()
            with self._lock:
                if self._stopping.is_set():
                    return
                self._following = FollowApplication(self._app, gt, self._poll_s)
            with self._following as following:
                for domain_event, tracking in following:
                    self.handle(domain_event, tracking)
        except Exception as error:
            if not self._stopping.is_set():
                log.exception("%s stopped following the event log", self._thread.name)
                self.error = error
        finally:
            self._stopping.set()
            self.finished()
