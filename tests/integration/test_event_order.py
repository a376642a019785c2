"""The event store on PostgreSQL appends in one statement and keeps the log's order: an
event committed later never gets a lower notification id than one a follower (the relay,
the views) has already read past."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from adapters.bootstrap import coaching_app
from adapters.persistence.postgres import OrderedAppendRecorder
from application.coaching import CoachingApp
from tests.support.services import settings_on


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[CoachingApp, str]]:
    with settings_on("postgres", tmp_path, request) as settings:
        built = coaching_app(settings)
        yield built, settings.postgres_schema
        built.close()


def _waiting_for_the_table(db: psycopg.Connection, schema: str) -> int:
    """Sessions waiting for a lock on the events table."""
    row = db.execute(
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass",
        (f"{schema}.speechcoach_events",),
    ).fetchone()
    return int(row[0]) if row else 0


def test_an_append_waits_for_an_earlier_uncommitted_one_so_a_follower_never_passes_a_gap(
    app: tuple[CoachingApp, str], postgres_url: str
):
    coaching, schema = app
    assert isinstance(coaching.recorder, OrderedAppendRecorder)
    with (
        psycopg.connect(postgres_url, autocommit=True) as watcher,
        psycopg.connect(postgres_url) as slow,
    ):
        # Another writer has taken its notification id and not yet committed.
        earlier = slow.execute(
            f'INSERT INTO "{schema}".speechcoach_events '  # noqa: S608 - the test's own schema
            "(originator_id, originator_version, topic, state) "
            "VALUES (%s, 1, 'x', '\\x00') RETURNING notification_id",
            (uuid.uuid4(),),
        ).fetchone()[0]  # type: ignore[index]
        done = threading.Event()

        def append() -> None:
            coaching.register_learner("cli", "late", "free_talk", "B1")
            done.set()

        appending = threading.Thread(target=append)
        appending.start()
        deadline = time.monotonic() + 30
        while _waiting_for_the_table(watcher, schema) == 0:
            assert not done.is_set(), "the append went ahead of an uncommitted earlier one"
            assert time.monotonic() < deadline, "the append neither waited nor finished"
            time.sleep(0.02)
        seen = [n.id for n in coaching.recorder.select_notifications(start=1, limit=100)]
        assert seen == [], "a follower sees nothing past the gap while it is open"
        slow.commit()
        appending.join(timeout=30)
    assert done.is_set()
    ids = [n.id for n in coaching.recorder.select_notifications(start=1, limit=100)]
    assert ids[0] == earlier, "the earlier writer's event comes first in the log"
    assert ids == sorted(ids)
    assert len(ids) > 1, "the late append is in the log after it"
