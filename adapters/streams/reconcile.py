"""The reconciler: an attempt stuck after a step event that no worker holds is published again.

Claiming takes over an entry a worker took and did not finish, but it cannot help an entry
that is no longer in Redis: a Redis that lost its data (restored from an old file, flushed
by hand), or an entry acknowledged without its step's event recorded. The relay sees every
event, so it knows each unfinished attempt's last step event and when it was recorded. An
attempt whose last step event is older than `after_s`, and whose entry no group still owes
(not unread, not pending), gets a new entry with the same message, after the stream's last
one. The step finds what is already recorded and does nothing twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import redis
from eventsourcing.utils import get_topic

from adapters.streams.names import (
    append_after_last,
    entry_id,
    entry_key,
    fields_of,
    group_exists,
    groups_of,
    stream_of,
    text_of,
)
from adapters.streams.workers import TOPICS_OF_KIND
from application.bus import AttemptMessage
from application.coaching import FINISHING_TOPICS, STEP_TOPICS, CoachingApp
from domain.session import PracticeSession

log = logging.getLogger(__name__)
SEED_EVENTS = 50_000  # step and finishing events read back when a relay becomes active
_GROUPS_OF_TOPIC = {t: k for k, topics in TOPICS_OF_KIND.items() for t in topics}


@dataclass
class Waiting:
    """An unfinished attempt: its last step event's message, its entry and since when."""

    message: AttemptMessage
    position: int
    entry: str
    since: float


class Reconciler:
    def __init__(
        self, client: redis.Redis, after_s: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.client, self.after_s, self._clock = client, after_s, clock
        self._waiting: dict[tuple[UUID, int], Waiting] = {}
        self._lock = threading.Lock()

    def seen(self, topic: str, session_id: UUID, attempt: int, position: int, at: float) -> None:
        """An event of the log, in order: a step event is the attempt's latest, a finishing
        one ends it."""
        key = (session_id, attempt)
        with self._lock:
            if topic in FINISHING_TOPICS:
                self._waiting.pop(key, None)
            elif topic in STEP_TOPICS:
                message = AttemptMessage(topic, session_id, attempt)
                self._waiting[key] = Waiting(message, position, entry_id(position), at)

    def seed(self, app: CoachingApp, before: int | None) -> None:
        """Learn the attempts still unfinished from the log's step and finishing events up
        to position `before` (the relay goes on from there)."""
        if not before:
            return
        names = sorted(STEP_TOPICS | FINISHING_TOPICS)
        topics = [get_topic(getattr(PracticeSession, name)) for name in names]
        start = max(1, before - SEED_EVENTS + 1)
        while start <= before:
            notifications = app.recorder.select_notifications(
                start=start, limit=1000, stop=before, topics=topics
            )
            if not notifications:
                break
            for notification in notifications:
                event: Any = app.mapper.to_domain_event(notification)
                self.seen(type(event).__name__, event.originator_id, int(event.attempt),
                          notification.id, event.timestamp.timestamp())  # fmt: skip
            start = notifications[-1].id + 1

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)

    def check(self) -> list[AttemptMessage]:
        """Publish again what has waited longer than `after_s` with no group owing it."""
        now = self._clock()
        with self._lock:
            due = [w for w in self._waiting.values() if now - w.since >= self.after_s]
        republished = []
        for waiting in due:
            if self._owed(waiting):
                continue
            message = waiting.message
            stream = stream_of(message.topic)
            self._ensure_group(stream, _GROUPS_OF_TOPIC[message.topic])
            added = append_after_last(self.client, stream, fields_of(message, waiting.position))
            log.warning(
                "%s waited %.0f s after %s with no worker holding it; published it again as %s",
                message, now - waiting.since, message.topic, added,
            )  # fmt: skip
            with self._lock:
                if self._waiting.get((message.session_id, message.attempt)) is waiting:
                    waiting.entry, waiting.since = added, now
            republished.append(message)
        return republished

    def _ensure_group(self, stream: str, group: str) -> None:
        """A Redis that lost its data lost the groups too: the workers read again once
        their group is back (from the start of the stream, as `create_groups` makes it)."""
        try:
            self.client.xgroup_create(stream, group, id="0", mkstream=True)
        except redis.ResponseError as error:
            if not group_exists(error):
                raise

    def _owed(self, waiting: Waiting) -> bool:
        """Whether the group that reads the entry has yet to read it or holds it pending."""
        stream = stream_of(waiting.message.topic)
        group = _GROUPS_OF_TOPIC[waiting.message.topic]
        if not self.client.xrange(stream, waiting.entry, waiting.entry, 1):
            return False  # no longer in Redis
        groups = groups_of(self.client, stream)
        if group not in groups:
            return True  # no worker of its kind ran yet: its group will start at 0
        last_read = text_of(groups[group]["last-delivered-id"])
        if entry_key(waiting.entry) > entry_key(last_read):
            return True  # not read yet
        pending: Iterable[Any] = self.client.xpending_range(
            stream, group, min=waiting.entry, max=waiting.entry, count=1
        )
        return bool(list(pending))
