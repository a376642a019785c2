"""Following one application's notification log, on any store the app can use.

The library's ApplicationSubscription needs `recorder.subscribe()`, which the POPO and
PostgreSQL recorders provide (listen/notify) and SQLite's does not; there we poll, and a
reader that waits for its own write can `nudge` the subscription to look at once.
"""

from __future__ import annotations

from threading import Event
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, ListenNotifySubscription
from eventsourcing.projection import ApplicationSubscription

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
