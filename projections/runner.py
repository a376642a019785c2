"""Keeping the views up to date: a daemon thread follows the app's log into the view.

It follows an application instance of its own process: with the in-memory store that must
be the very instance the bot writes through (a second one would see an empty log); with
SQLite it sees what every process recorded, polling for it.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from threading import Condition
from time import monotonic, sleep
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Tracking

from projections.follow import FollowingThread
from projections.projection import PracticeProjection
from projections.recorder import PracticeViewRecorder
from projections.stored import StoredPracticeViews
from projections.stores import open_view

log = logging.getLogger(__name__)


class ViewsRunner(FollowingThread):
    def __init__(
        self,
        app: Application[Any],
        recorder: PracticeViewRecorder,
        close: Callable[[], None] = lambda: None,
        poll_s: float = 0.2,
    ) -> None:
        super().__init__(app, "practice-views", poll_s)
        self.recorder = recorder
        self._close = close
        self._projection = PracticeProjection(view=recorder)
        self._advanced = Condition()
        self.views = StoredPracticeViews(recorder, app.name, waiter=self)

    def start_position(self) -> int | None:
        return self.recorder.max_tracking_id(self._app.name)

    def handle(self, domain_event: Any, tracking: Tracking) -> None:
        self._projection.process_event(domain_event, tracking)
        self._wake()

    def finished(self) -> None:
        self._wake()

    def stop(self, timeout: float = 10.0) -> None:
        """Ends the subscription and its thread, then closes the view's store."""
        super().stop(timeout)
        self._wake()
        self._close()

    def wait_until(self, reached: Callable[[], bool], timeout: float) -> bool:
        if self._stopping.is_set():
            return False
        if reached():
            return True
        self.nudge()
        with self._advanced:
            self._advanced.wait_for(lambda: self._stopping.is_set() or reached(), timeout)
        return not self._stopping.is_set() and reached()

    def _wake(self) -> None:
        with self._advanced:
            self._advanced.notify_all()


# The views' shape: raised when a change needs the views rebuilt from the log (2: learners).
VIEWS_VERSION = 2


def drop_stale_views(app: Application[Any], env: dict[str, str]) -> None:
    """Views are a cache of the log. Views ahead of it (the events file was replaced), or
    of an older shape, are deleted, so that the next writer rebuilds them from the log."""
    if "SQLITE_DBNAME" not in env:
        return
    file = env["SQLITE_DBNAME"]
    recorder, close = open_view(env)
    try:
        tracked = recorder.max_tracking_id(app.name) or 0
    finally:
        close()
    with contextlib.closing(sqlite3.connect(file)) as db:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if tracked > (app.recorder.max_notification_id() or 0) or (
        tracked and version != VIEWS_VERSION
    ):
        log.warning("The views were stale (ahead of the log, or of an older shape); "
                    "rebuilding them from the log")  # fmt: skip
        for suffix in ("", "-wal", "-shm"):
            Path(file + suffix).unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(file)) as db:
        db.execute(f"PRAGMA user_version = {VIEWS_VERSION}")


def start_views(app: Application[Any], env: dict[str, str], poll_s: float = 0.2) -> ViewsRunner:
    """Follows `app`'s log from the view's last position, in a background thread.

    The runner is the view's only writer; `poll_s` is how often it looks for events that
    another process recorded (its own process's writes can `wait` without delay).
    """
    drop_stale_views(app, env)
    recorder, close = open_view(env)
    return ViewsRunner(app, recorder, close, poll_s).start()


class PollingWaiter:
    """Waits for a view that another process writes: looks again every few milliseconds."""

    def wait_until(self, reached: Callable[[], bool], timeout: float) -> bool:
        deadline = monotonic() + timeout
        interval = 0.005
        while not reached():
            if monotonic() >= deadline:
                return False
            sleep(interval)
            interval = min(interval * 2, 0.05)
        return True


def read_views(
    app_name: str, env: dict[str, str]
) -> tuple[StoredPracticeViews, Callable[[], None]]:
    """The views that a runner in another process writes (`speech-coach work`), to read only."""
    recorder, close = open_view(env)
    return StoredPracticeViews(recorder, app_name, waiter=PollingWaiter()), close
