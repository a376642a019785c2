"""The relay: every step event of the log reaches its Redis stream once, in log order, also
across a crash between publishing and recording its position, and across a Redis outage."""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis
from eventsourcing.persistence import Tracking, TrackingRecorder
from pydantic import SecretStr

from adapters.settings import Settings
from adapters.streams.names import entry_id, message_of, stream_of
from adapters.streams.relay import RunningRelay, StreamRelay, relay_position_store
from application.bus import AttemptMessage
from application.coaching import CoachingApp
from tests.support.answers import voice_answer
from tests.support.services import Services

pytestmark = pytest.mark.server
NEW_ANSWERS = stream_of("AudioReceived")


def _answers(app: CoachingApp, chats: range) -> list[AttemptMessage]:
    recorded = []
    for chat in chats:
        session_id, attempt = app.answer_by_voice(voice_answer(chat, 1))
        recorded.append(AttemptMessage("AudioReceived", session_id, attempt))
    return recorded


def _relay(app: CoachingApp, settings: Settings, client: redis.Redis, **kw: Any) -> StreamRelay:
    positions, _ = relay_position_store(settings.eventsourcing_env())
    return StreamRelay(app, client, kw.get("positions", positions)).start()


def _on_stream(client: redis.Redis, stream: str = NEW_ANSWERS) -> list[tuple[str, AttemptMessage]]:
    return [(key.decode(), message_of(fields)) for key, fields in client.xrange(stream)]


def _wait(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_each_answer_reaches_its_stream_once_in_log_order_with_its_position(
    app: CoachingApp, settings: Settings, redis_client: redis.Redis
):
    before = _answers(app, range(1, 4))
    relay = _relay(app, settings, redis_client)
    after = _answers(app, range(4, 6))
    _wait(lambda: redis_client.xlen(NEW_ANSWERS) == 5)
    relay.stop()
    on_stream = _on_stream(redis_client)
    assert [message for _, message in on_stream] == before + after
    positions = [n.id for n in app.recorder.select_notifications(start=1, limit=100)
                 if n.topic.endswith("AudioReceived")]  # fmt: skip
    assert [key for key, _ in on_stream] == [entry_id(p) for p in positions]

    again = _relay(app, settings, redis_client)  # a restart publishes nothing twice
    _answers(app, range(6, 7))
    _wait(lambda: redis_client.xlen(NEW_ANSWERS) == 6)
    time.sleep(0.2)
    again.stop()
    assert redis_client.xlen(NEW_ANSWERS) == 6


class CrashAfterPublishing(TrackingRecorder):
    """The relay's position store, failing as a crash would: after the entry went out."""

    def __init__(self, real: TrackingRecorder) -> None:
        self.real = real

    def insert_tracking(self, tracking: Tracking) -> None:
        raise RuntimeError("killed before recording its position")

    def max_tracking_id(self, application_name: str) -> int | None:
        return self.real.max_tracking_id(application_name)


def test_an_event_published_again_after_a_crash_is_not_doubled(
    app: CoachingApp, settings: Settings, redis_client: redis.Redis
):
    first = _answers(app, range(1, 2))
    positions, _ = relay_position_store(settings.eventsourcing_env())
    crashing = _relay(app, settings, redis_client, positions=CrashAfterPublishing(positions))
    _wait(lambda: crashing.error is not None)
    assert redis_client.xlen(NEW_ANSWERS) == 1, "the entry went out before the crash"

    relay = _relay(app, settings, redis_client)
    second = _answers(app, range(2, 3))
    _wait(lambda: redis_client.xlen(NEW_ANSWERS) == 2)
    time.sleep(0.2)
    relay.stop()
    assert [message for _, message in _on_stream(redis_client)] == first + second
    assert relay.error is None


def test_answers_recorded_while_redis_is_down_go_out_when_it_is_back(
    app: CoachingApp, settings: Settings
):
    with Services.started("redis") as services:
        client = redis.Redis.from_url(services.redis_url, socket_timeout=2)
        relay = _relay(app, settings, client)
        first = _answers(app, range(1, 2))
        _wait(lambda: client.xlen(NEW_ANSWERS) == 1)
        services.run("down", "redis")
        while_down = _answers(app, range(2, 4))
        time.sleep(1.0)  # the relay is trying, and waiting between tries
        services.run("up", "redis")
        _wait(lambda: client.xlen(NEW_ANSWERS) == 3, timeout=30)
        relay.stop()
        assert [message for _, message in _on_stream(client)] == first + while_down
        assert relay.error is None
        client.close()


def test_a_second_relay_stands_by_and_takes_over_when_the_first_stops(
    app: CoachingApp, settings: Settings, redis_client: redis.Redis, redis_url: str
):
    with_redis = settings.model_copy(update={"redis_url": SecretStr(redis_url)})
    first = RunningRelay(with_redis, standby_s=0.1).start()
    assert first.wait_active(10)
    second = RunningRelay(with_redis, standby_s=0.1).start()
    try:
        early = _answers(app, range(1, 3))
        _wait(lambda: redis_client.xlen(NEW_ANSWERS) == 2)
        time.sleep(0.3)
        assert not second.active, "one relay at a time"
        first.stop()
        assert second.wait_active(10), "the one standing by takes over"
        late = _answers(app, range(3, 5))
        _wait(lambda: redis_client.xlen(NEW_ANSWERS) == 4)
        assert [message for _, message in _on_stream(redis_client)] == early + late
        assert second.app is not None
        # The views moved on with the relay that took over.
        _wait(lambda: all(_views_know(second, m) for m in early + late))
        assert first.error is None
        assert second.error is None
    finally:
        second.stop()
        first.stop()


def _views_know(relay: RunningRelay, message: AttemptMessage) -> bool:
    active = relay._active  # the test reads the views the relay keeps
    return active is not None and (
        active.views.views.attempt(message.session_id, message.attempt) is not None
    )


def test_the_relay_trims_what_the_workers_acknowledged_and_keeps_the_rest(
    app: CoachingApp, settings: Settings, redis_client: redis.Redis
):
    redis_client.xgroup_create(NEW_ANSWERS, "transcribe", id="0", mkstream=True)
    relay = _relay(app, settings, redis_client)
    relay.trim_every_s = 0.0
    _answers(app, range(1, 4))
    _wait(lambda: redis_client.xlen(NEW_ANSWERS) == 3)
    taken = redis_client.xreadgroup("transcribe", "w", {NEW_ANSWERS: ">"}, count=2)
    redis_client.xack(NEW_ANSWERS, "transcribe", taken[0][1][0][0])  # one done, one in hand
    _answers(app, range(4, 5))  # the next publish trims
    _wait(lambda: relay.published == 4)
    relay.stop()
    left = [key.decode() for key, _ in redis_client.xrange(NEW_ANSWERS)]
    assert left[0] == taken[0][1][1][0].decode(), "the entry in hand stays; the done one went"
