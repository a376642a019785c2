"""The event log as the workers' queue: answers that another process recorded reach the bus.

The webhook records AudioReceived and nothing more; a worker process follows the log and
publishes each such event to its own bus. Recording an answer and queueing it are then one
write, so no answer can be recorded and never queued. At start the attempts left
unfinished (by a stop or a crash) are published again first.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.bus import AttemptMessage, EventBus
from application.coaching import CoachingApp
from projections.follow import FollowingThread

log = logging.getLogger(__name__)
NEW_ANSWER = "AudioReceived"
# How often a worker process looks for what other processes recorded (answers, events).
LOG_POLL_S = 0.05


def resume(
    app: CoachingApp, bus: EventBus, *, follow: bool, poll_s: float = LOG_POLL_S
) -> LogFollower | None:
    """Publish the unfinished attempts; with `follow`, then every answer recorded after them."""
    position = app.recorder.max_notification_id() or 0
    unfinished = app.unfinished_attempts()
    for message in unfinished:
        bus.publish(message)
    published = {(m.session_id, m.attempt) for m in unfinished if m.topic == NEW_ANSWER}
    log.info("%d unfinished answers published again", len(unfinished))
    return LogFollower(app, bus, position, published, poll_s).start() if follow else None


class LogFollower(FollowingThread):
    """Publishes each AudioReceived recorded after position `gt`, from a daemon thread.

    `published` are attempts already handed to the bus (the scan of unfinished attempts can
    see an answer recorded after `gt`); they are not published twice.
    """

    def __init__(
        self,
        app: CoachingApp,
        bus: EventBus,
        gt: int,
        published: set[tuple[UUID, int]],
        poll_s: float,
    ) -> None:
        super().__init__(app, "log-follower", poll_s)
        self.bus, self.position = bus, gt
        self._published = published

    def start_position(self) -> int:
        return self.position

    def handle(self, domain_event: Any, tracking: Tracking) -> None:
        self.position = tracking.notification_id
        if type(domain_event).__name__ != NEW_ANSWER:
            return
        key = (domain_event.originator_id, int(getattr(domain_event, "attempt", 0)))
        if key in self._published:
            self._published.discard(key)
            return
        self.bus.publish(AttemptMessage(NEW_ANSWER, *key))
