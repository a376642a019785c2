"""Trimming a stream drops only what every group has read and acknowledged."""

from __future__ import annotations

import pytest
import redis

from adapters.streams.trim import trim

pytestmark = pytest.mark.server
STREAM = "speech-coach:AudioReceived"


def _ids(client: redis.Redis) -> list[str]:
    return [key.decode() for key, _ in client.xrange(STREAM)]


def test_only_what_every_group_read_and_acknowledged_goes(redis_client: redis.Redis):
    for position in range(1, 7):
        redis_client.xadd(STREAM, {"n": str(position)}, id=f"{position}-0")
    assert trim(redis_client, STREAM) == 0, "no group reads it yet: its first workers want all"
    redis_client.xgroup_create(STREAM, "fast", id="0")
    redis_client.xgroup_create(STREAM, "slow", id="0")
    read = redis_client.xreadgroup("fast", "a", {STREAM: ">"}, count=5)
    redis_client.xack(STREAM, "fast", *[key for key, _ in read[0][1]])
    slow = redis_client.xreadgroup("slow", "b", {STREAM: ">"}, count=4)
    redis_client.xack(STREAM, "slow", *[key for key, _ in slow[0][1][:2]])  # 3-0, 4-0 pending
    assert trim(redis_client, STREAM) == 2
    assert _ids(redis_client) == ["3-0", "4-0", "5-0", "6-0"], "pending and unread stay"
    redis_client.xack(STREAM, "slow", "3-0", "4-0")
    assert trim(redis_client, STREAM) == 2
    assert _ids(redis_client) == ["5-0", "6-0"], "5-0 is read and acknowledged by fast only"


def test_a_missing_stream_is_left_alone(redis_client: redis.Redis):
    assert trim(redis_client, "speech-coach:nothing-here") == 0
