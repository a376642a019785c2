"""`speech-coach relay`: the event log's step events, published to Redis Streams.

The relay follows the event store's notification log and adds each step event
(AudioReceived, Transcribed, FeedbackGenerated, ProcessingFailed) to its stream, then
records how far it got in a tracking table of the event store's own database. At least
once: a crash between the two publishes the event again, and Redis refuses it (its entry id
is its log position, already passed), so nothing is doubled. While Redis is down the relay
waits and tries again; nothing is skipped, and the work is delayed, not lost. Every minute
it trims what every group has read and acknowledged from the streams, and the reconciler
(adapters.streams.reconcile) publishes again any attempt stuck with no worker holding it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis
from eventsourcing.persistence import InfrastructureFactory, Tracking, TrackingRecorder
from eventsourcing.utils import Environment

from adapters.bootstrap import coaching_app
from adapters.logs import protect_logs
from adapters.metrics import PUBLISHED, RECONCILED
from adapters.persistence.postgres import making_tables
from adapters.settings import Settings
from adapters.streams.names import entry_id, fields_of, passed_already, stream_of
from adapters.streams.reconcile import Reconciler
from adapters.streams.sole import sole_lock
from adapters.streams.trim import trim
from application.bus import AttemptMessage
from application.coaching import FINISHING_TOPICS, STEP_TOPICS, CoachingApp
from projections.follow import FollowingThread
from projections.runner import ViewsRunner, start_views

log = logging.getLogger(__name__)
RELAY_NAME = "StreamRelay"  # its tracking table: streamrelay_tracking
FIRST_WAIT_S, LONGEST_WAIT_S = 0.5, 10.0
TRIM_EVERY_S = 60.0
RECONCILE_EVERY_S = 30.0


def relay_position_store(env: dict[str, str]) -> tuple[TrackingRecorder, Callable[[], None]]:
    """Where the relay keeps its position: a tracking table beside the events."""
    factory = InfrastructureFactory.construct(Environment(RELAY_NAME, env))
    return factory.tracking_recorder(), factory.close


class StreamRelay(FollowingThread):
    def __init__(
        self,
        app: CoachingApp,
        client: redis.Redis,
        positions: TrackingRecorder,
        poll_s: float = 0.05,
        reconciler: Reconciler | None = None,
    ) -> None:
        super().__init__(app, "stream-relay", poll_s)
        self.client, self.positions, self.reconciler = client, positions, reconciler
        self.published = 0
        self.trim_every_s = TRIM_EVERY_S
        self._trimmed_at = time.monotonic()

    def start_position(self) -> int | None:
        return self.positions.max_tracking_id(self._app.name)

    def handle(self, domain_event: Any, tracking: Tracking) -> None:
        topic = type(domain_event).__name__
        if topic not in STEP_TOPICS:
            if topic in FINISHING_TOPICS:
                self._seen(domain_event, tracking)
            return
        attempt = int(getattr(domain_event, "attempt", 0))
        message = AttemptMessage(topic, domain_event.originator_id, attempt)
        self._publish(message, tracking.notification_id)
        self.positions.insert_tracking(tracking)
        self._seen(domain_event, tracking)
        self.published += 1
        PUBLISHED.labels(topic).inc()
        if time.monotonic() - self._trimmed_at >= self.trim_every_s:
            self._trim()

    def _seen(self, domain_event: Any, tracking: Tracking) -> None:
        if self.reconciler is not None:
            self.reconciler.seen(
                type(domain_event).__name__, domain_event.originator_id,
                int(domain_event.attempt), tracking.notification_id,
                domain_event.timestamp.timestamp(),
            )  # fmt: skip

    def reconcile(self) -> None:
        """Publish again the attempts stuck with no worker holding them (the reconciler)."""
        if self.reconciler is None:
            return
        try:
            for message in self.reconciler.check():
                RECONCILED.labels(message.topic).inc()
        except (redis.ConnectionError, redis.TimeoutError) as error:
            log.warning("could not look for stuck attempts (%s); trying again later", error)

    def _trim(self) -> None:
        """Drop what every group has read and acknowledged (adapters.streams.trim)."""
        self._trimmed_at = time.monotonic()
        try:
            dropped = sum(trim(self.client, stream_of(topic)) for topic in sorted(STEP_TOPICS))
        except (redis.ConnectionError, redis.TimeoutError) as error:
            log.warning("could not trim the streams (%s); trying again later", error)
            return
        if dropped:
            log.info("trimmed %d acknowledged entries from the streams", dropped)

    def _publish(self, message: AttemptMessage, position: int) -> None:
        wait_s = FIRST_WAIT_S
        while True:
            fields: Any = fields_of(message, position)
            try:
                self.client.xadd(stream_of(message.topic), fields, id=entry_id(position))
            except redis.ResponseError as error:
                if passed_already(error):
                    return  # published before a crash, or by a relay that ran before this one
                raise
            except (redis.ConnectionError, redis.TimeoutError) as error:
                if self._stopping.is_set():
                    raise
                log.warning("Redis cannot take events (%s); the relay tries again in %.1f s",
                            error, wait_s)  # fmt: skip
                self._stopping.wait(wait_s)
                wait_s = min(wait_s * 2, LONGEST_WAIT_S)
            else:
                return


class RunningRelay:
    """The relay's process: the relay, and the views it keeps beside it (both follow the
    log; the views are written by this one process and read by every other).

    Only one relay per event store is active (adapters.streams.sole): this one stands by
    until it holds the lock, looking again every `standby_s`, and gives up being active
    (then stands by again) if it loses the lock."""

    def __init__(self, settings: Settings, standby_s: float = 2.0) -> None:
        if settings.redis_url is None:
            raise ValueError("The relay needs REDIS_URL.")
        self._settings, self._standby_s = settings, standby_s
        self._url = settings.redis_url.get_secret_value()
        protect_logs(self._url)
        self._lock = sole_lock(settings.eventsourcing_env())
        self._stopping = threading.Event()
        self._active: _Active | None = None
        self.error: BaseException | None = None
        self.activations = 0
        self._thread = threading.Thread(target=self._run, name="relay-supervisor", daemon=True)

    @property
    def active(self) -> bool:
        return self._active is not None

    @property
    def app(self) -> CoachingApp | None:
        return self._active.app if self._active is not None else None

    def start(self) -> RunningRelay:
        self._thread.start()
        return self

    def wait_active(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.active and self.error is None and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.active

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(60)

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                if self._active is None:
                    if self._lock.try_acquire():
                        self._active = _Active.start(self._settings, self._url)
                        self.activations += 1
                    elif self.activations == 0 and not self._stopping.is_set():
                        log.info("another relay is active on this event store; standing by")
                elif not self._lock.still_held() or self._active.error is not None:
                    log.warning("the relay lost its lock or failed (%s); standing by",
                                self._active.error)  # fmt: skip
                    self._deactivate()
                self._stopping.wait(self._standby_s)
        except Exception as error:
            log.exception("the relay stopped")
            self.error = error
        finally:
            self._deactivate()

    def _deactivate(self) -> None:
        if self._active is not None:
            self._active.stop()
            self._active = None
        self._lock.release()


@dataclass
class _Active:
    app: CoachingApp
    relay: StreamRelay
    views: ViewsRunner
    closers: list[Callable[[], None]]
    reconciling: threading.Thread | None = None

    @classmethod
    def start(cls, settings: Settings, url: str) -> _Active:
        app = coaching_app(settings)
        with making_tables(settings.eventsourcing_env()):
            positions, close_positions = relay_position_store(settings.eventsourcing_env())
            views = start_views(app, settings.views_env(), poll_s=0.05)
        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        position = positions.max_tracking_id(app.name)
        reconciler = Reconciler(client, settings.reconcile_after_s)
        reconciler.seed(app, position)
        relay = StreamRelay(app, client, positions, reconciler=reconciler).start()
        log.info("active: publishing step events after position %s; %d attempts unfinished",
                 position or 0, reconciler.waiting)  # fmt: skip
        active = cls(app, relay, views, [close_positions, client.close, app.close])
        every_s = min(RECONCILE_EVERY_S, settings.reconcile_after_s / 2)
        active.reconciling = threading.Thread(
            target=active._reconcile, args=(every_s,), name="reconciler", daemon=True
        )
        active.reconciling.start()
        return active

    def _reconcile(self, every_s: float) -> None:
        while not self.relay.wait_stopping(every_s):
            self.relay.reconcile()

    @property
    def error(self) -> BaseException | None:
        return self.relay.error or self.views.error

    def stop(self) -> None:
        self.relay.stop()
        if self.reconciling is not None:
            self.reconciling.join(30)
        self.views.stop()
        for close in self.closers:
            close()


def start_relay(settings: Settings) -> RunningRelay:
    """The relay, active as soon as no other relay of the event store is."""
    return RunningRelay(settings).start()
