"""Keeping the views up to date: a daemon thread follows the app's log into the view.

It follows the same CoachingApp instance the bot writes through, because with the
in-memory store a second instance would see a different, empty log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from threading import Condition, Event, Lock, Thread
from typing import Any

from eventsourcing.application import Application

from projections.follow import FollowApplication
from projections.projection import PracticeProjection
from projections.recorder import PracticeViewRecorder
from projections.stored import StoredPracticeViews
from projections.stores import open_view

log = logging.getLogger(__name__)


class ViewsRunner:
    def __init__(
        self,
        app: Application[Any],
        recorder: PracticeViewRecorder,
        close: Callable[[], None] = lambda: None,
    ) -> None:
        self._app = app
        self.recorder = recorder
        self._close = close
        self._projection = PracticeProjection(view=recorder)
        self._advanced = Condition()
        self._stopping = Event()
        self._lock = Lock()
        self._following: FollowApplication | None = None
        self._thread = Thread(target=self._run, name="practice-views", daemon=True)
        self.error: BaseException | None = None
        self.views = StoredPracticeViews(recorder, app.name, waiter=self)

    def start(self) -> ViewsRunner:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ends the subscription and its threads, then closes the view's store."""
        with self._lock:
            self._stopping.set()
            if self._following is not None:
                self._following.stop()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._wake()
        self._close()

    def wait_until(self, reached: Callable[[], bool], timeout: float) -> bool:
        if self._stopping.is_set():
            return False
        if reached():
            return True
        with self._lock:
            if self._following is not None:
                self._following.nudge()
        with self._advanced:
            self._advanced.wait_for(lambda: self._stopping.is_set() or reached(), timeout)
        return not self._stopping.is_set() and reached()

    def _run(self) -> None:
        try:
            gt = self.recorder.max_tracking_id(self._app.name)
            with self._lock:
                if self._stopping.is_set():
                    return
                self._following = FollowApplication(self._app, gt)
            with self._following as following:
                for domain_event, tracking in following:
                    self._projection.process_event(domain_event, tracking)
                    self._wake()
        except Exception as error:
            log.exception("The practice views stopped following the event log")
            self.error = error
        finally:
            self._stopping.set()
            self._wake()

    def _wake(self) -> None:
        with self._advanced:
            self._advanced.notify_all()


def start_views(app: Application[Any], env: dict[str, str]) -> ViewsRunner:
    """Follows `app`'s log from the view's last position, in a background thread.

    A view ahead of the log (the events file was replaced) is only a stale cache of it,
    so it is dropped and rebuilt from the log.
    """
    recorder, close = open_view(env)
    tracked = recorder.max_tracking_id(app.name) or 0
    if tracked > (app.recorder.max_notification_id() or 0) and "SQLITE_DBNAME" in env:
        log.warning("The views were ahead of the event log; rebuilding them from the log")
        close()
        for suffix in ("", "-wal", "-shm"):
            Path(env["SQLITE_DBNAME"] + suffix).unlink(missing_ok=True)
        recorder, close = open_view(env)
    return ViewsRunner(app, recorder, close).start()
