"""What an operator asks of the topology: how far each part has got, and the dead letters.

`status` reads the event store (its last position, and how far the relay and the views
have got) and Redis (each stream's length and each group's consumers, pending entries and
lag). The dead letters can be listed, and replayed: put back on their stream, after its
last entry, for the workers to take again (a step does nothing for an attempt that already
has its outcome, so a replay never doubles an answer).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import redis
from eventsourcing.utils import get_topic

from adapters.streams.names import (
    DEAD_LETTERS,
    append_after_last,
    groups_of,
    stream_of,
    text_of,
    texts_of,
)
from adapters.streams.workers import TOPICS_OF_KIND
from application.coaching import STEP_TOPICS, CoachingApp
from domain.session import PracticeSession

# Fields a dead letter adds to the entry it keeps; the rest is the entry as it was.
_DEAD_LETTER_FIELDS = ("kind", "stream", "entry", "failures", "error")


@dataclass
class GroupState:
    stream: str
    group: str
    consumers: int
    pending: int
    lag: int | None  # entries not yet read by the group (None: Redis cannot tell)


@dataclass
class Status:
    store: str
    log_position: int
    relay_position: int | None
    relay_lag: int  # step events in the log that the relay has not published yet
    views_position: int | None
    redis: str  # "up", or why not
    groups: list[GroupState] = field(default_factory=list)
    dead_letters: int = 0

    @property
    def healthy(self) -> bool:
        return self.redis == "up"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def redis_state(client: redis.Redis) -> tuple[str, list[GroupState], int]:
    """Whether Redis answers, its groups, and the dead letters' count."""
    try:
        client.ping()
    except (redis.ConnectionError, redis.TimeoutError) as error:
        return f"unreachable ({error})", [], 0
    groups = []
    for kind, topics in TOPICS_OF_KIND.items():
        for topic in topics:
            stream = stream_of(topic)
            group = groups_of(client, stream).get(kind)
            if group is None:
                groups.append(GroupState(stream, kind, 0, 0, int(client.xlen(stream))))
                continue
            lag = group.get("lag")
            groups.append(GroupState(stream, kind, int(group["consumers"]),
                                     int(group["pending"]),
                                     None if lag is None else int(lag)))  # fmt: skip
    return "up", groups, int(client.xlen(DEAD_LETTERS))


@dataclass(frozen=True)
class DeadLetter:
    id: str
    kind: str
    stream: str
    entry: str
    failures: int
    error: str
    fields: dict[str, str]  # the entry as it was

    @classmethod
    def of(cls, key: str, stored: dict[str, str]) -> DeadLetter:
        kept = {k: v for k, v in stored.items() if k not in _DEAD_LETTER_FIELDS}
        return cls(key, stored.get("kind", "?"), stored.get("stream", "?"),
                   stored.get("entry", "?"), int(stored.get("failures", "0") or 0),
                   stored.get("error", ""), kept)  # fmt: skip


def dead_letters(client: redis.Redis) -> list[DeadLetter]:
    stored: list[tuple[Any, Any]] = client.xrange(DEAD_LETTERS) or []
    return [DeadLetter.of(text_of(key), texts_of(fields or {})) for key, fields in stored]


def replay(client: redis.Redis, letter: DeadLetter) -> str:
    """Put the entry back on its stream, after its last entry, and drop the dead letter.
    Returns the new entry's id."""
    added = append_after_last(client, letter.stream, letter.fields)
    client.xdel(DEAD_LETTERS, letter.id)
    return added


def log_position(app: CoachingApp) -> int:
    return app.recorder.max_notification_id() or 0


def step_events_after(app: CoachingApp, position: int | None, most: int = 100_000) -> int:
    """How many step events the log holds after `position` (counted up to `most`)."""
    topics = [get_topic(getattr(PracticeSession, name)) for name in sorted(STEP_TOPICS)]
    start = (position or 0) + 1
    return len(app.recorder.select_notifications(start=start, limit=most, topics=topics))
