"""The reconciler: an answer whose entry Redis no longer holds for a worker (lost with Redis's
data, or acknowledged without its step's event) is published again once it has waited past
the deadline; an answer a worker holds, or has yet to read, is left to the workers."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis

from adapters.settings import Settings
from adapters.streams.names import message_of, stream_of
from adapters.streams.reconcile import Reconciler
from adapters.streams.relay import StreamRelay, relay_position_store
from application.bus import AttemptMessage
from application.coaching import CoachingApp
from tests.support.answers import voice_answer

pytestmark = pytest.mark.server
NEW_ANSWERS = stream_of("AudioReceived")
AFTER_S = 300.0


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _answers(app: CoachingApp, chats: range) -> list[AttemptMessage]:
    return [
        AttemptMessage("AudioReceived", *app.answer_by_voice(voice_answer(chat, 1)))
        for chat in chats
    ]


def _relayed(app: CoachingApp, settings: Settings, client: redis.Redis, count: int,
             reconciler: Reconciler) -> None:  # fmt: skip
    """Run the relay until `count` answers are on the stream."""
    positions, close = relay_position_store(settings.eventsourcing_env())
    relay = StreamRelay(app, client, positions, reconciler=reconciler).start()
    deadline = time.monotonic() + 10
    while client.xlen(NEW_ANSWERS) < count:
        assert time.monotonic() < deadline, "the relay did not publish"
        time.sleep(0.02)
    relay.stop()
    close()


def _read(client: redis.Redis, count: int) -> list[tuple[str, AttemptMessage]]:
    """What a transcribe worker takes: `count` entries, left pending."""
    read: Any = client.xreadgroup("transcribe", "worker-1", {NEW_ANSWERS: ">"}, count=count)
    return [(key.decode(), message_of(fields)) for key, fields in read[0][1]] if read else []


def test_only_answers_no_worker_owes_are_published_again_and_only_after_the_deadline(
    app: CoachingApp, settings: Settings, redis_client: redis.Redis
):
    clock = Clock()
    reconciler = Reconciler(redis_client, AFTER_S, clock)
    acked, pending, unread, lost = _answers(app, range(1, 5))
    redis_client.xgroup_create(NEW_ANSWERS, "transcribe", id="0", mkstream=True)
    _relayed(app, settings, redis_client, 4, reconciler)
    (acked_entry, _), _ = _read(redis_client, 2)  # `acked` and `pending` taken by a worker
    redis_client.xack(NEW_ANSWERS, "transcribe", acked_entry)  # ...and one acknowledged
    lost_entry = redis_client.xrange(NEW_ANSWERS)[-1][0]
    redis_client.xdel(NEW_ANSWERS, lost_entry)

    clock.now = time.time() + AFTER_S - 1
    assert reconciler.check() == [], "nothing before the deadline"
    clock.now += 1
    assert sorted(map(str, reconciler.check())) == sorted(map(str, [acked, lost]))
    assert reconciler.check() == [], "published again once, and waiting anew"

    taken = [message for _, message in _read(redis_client, 10)]
    assert taken in ([unread, acked, lost], [unread, lost, acked])
    assert pending not in taken, "the entry a worker holds stays with it (claiming's job)"


def test_a_relay_that_starts_again_knows_the_unfinished_answers_from_the_log(
    app: CoachingApp, settings: Settings, redis_client: redis.Redis
):
    clock = Clock()
    answers = _answers(app, range(1, 4))
    _relayed(app, settings, redis_client, 3, Reconciler(redis_client, AFTER_S, clock))
    redis_client.flushall()  # Redis lost everything: entries and groups

    positions, close = relay_position_store(settings.eventsourcing_env())
    started_again = Reconciler(redis_client, AFTER_S, clock)
    started_again.seed(app, positions.max_tracking_id(app.name))
    close()
    assert started_again.waiting == 3
    clock.now = time.time() + AFTER_S
    assert sorted(map(str, started_again.check())) == sorted(map(str, answers))
    taken = [message for _, message in _read(redis_client, 10)]
    assert sorted(map(str, taken)) == sorted(map(str, answers)), "the group is back, at 0"
