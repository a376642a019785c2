"""The streams' figures as Prometheus reads them: pending and waiting entries of each group,
whether Redis answers, and the dead letters."""

from __future__ import annotations

import pytest
import redis
from prometheus_client import CollectorRegistry, generate_latest

from adapters.metrics import StreamsCollector
from adapters.streams.names import DEAD_LETTERS, stream_of

pytestmark = pytest.mark.server


def _scrape(client: redis.Redis) -> str:
    registry = CollectorRegistry()
    registry.register(StreamsCollector(client))
    return generate_latest(registry).decode()


def test_pending_waiting_and_dead_letters_are_read_from_redis(redis_client: redis.Redis):
    stream = stream_of("AudioReceived")
    for position in (1, 2, 3):
        redis_client.xadd(stream, {"n": str(position)}, id=f"{position}-0")
    redis_client.xgroup_create(stream, "transcribe", id="0")
    redis_client.xreadgroup("transcribe", "w", {stream: ">"}, count=1)  # one taken, not acked
    redis_client.xadd(DEAD_LETTERS, {"kind": "coach"})
    scraped = _scrape(redis_client)
    where = f'group="transcribe",stream="{stream}"'
    assert f"speech_coach_stream_pending{{{where}}} 1.0" in scraped
    assert f"speech_coach_stream_waiting{{{where}}} 2.0" in scraped
    assert "speech_coach_redis_up 1.0" in scraped
    assert "speech_coach_dead_letters 1.0" in scraped


def test_a_redis_that_does_not_answer_is_reported_down():
    scraped = _scrape(redis.Redis(port=1, socket_connect_timeout=0.2))
    assert "speech_coach_redis_up 0.0" in scraped
