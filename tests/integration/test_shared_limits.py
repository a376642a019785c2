"""Two web processes share one memory of updates and one hourly limit per learner."""

from __future__ import annotations

import asyncio

import pytest
import redis
import redis.asyncio as aioredis

from adapters.telegram.intake.shared_limits import SharedAnswerRateLimit, SharedRecentUpdates

pytestmark = pytest.mark.server


def test_an_update_is_handled_once_whichever_process_gets_it(
    redis_url: str, redis_client: redis.Redis
):
    async def both() -> None:
        one = SharedRecentUpdates(aioredis.Redis.from_url(redis_url))
        other = SharedRecentUpdates(aioredis.Redis.from_url(redis_url))
        assert await one.first_time(41)
        assert not await other.first_time(41), "sent again to the other process"
        await other.forget(41)  # it could not be handled: its redelivery is welcome
        assert await one.first_time(41)
        await one.close()
        await other.close()

    asyncio.run(both())


def test_a_learners_limit_counts_answers_wherever_they_arrived(redis_client: redis.Redis):
    now = [1000.0]
    one = SharedAnswerRateLimit(redis_client, per_hour=2, clock=lambda: now[0])
    other = SharedAnswerRateLimit(redis_client, per_hour=2, clock=lambda: now[0])
    assert one.allow(7, "m1")
    assert other.allow(7, "m2")
    assert not one.allow(7, "m3"), "the third answer within the hour, in either process"
    assert other.allow(7, "m1"), "the same message again is not another answer"
    assert one.allow(8, "m1"), "each learner their own limit"
    assert one.wait_s(7) == pytest.approx(3600.0)
    now[0] += 3600.0
    assert other.allow(7, "m3"), "an hour later there is room again"


def test_while_redis_is_down_updates_and_answers_are_let_through():
    unreachable = redis.Redis(port=1, socket_connect_timeout=0.2)

    async def door() -> None:
        updates = SharedRecentUpdates(aioredis.Redis(port=1, socket_connect_timeout=0.2))
        assert await updates.first_time(5)
        await updates.forget(5)
        await updates.close()

    asyncio.run(door())
    assert SharedAnswerRateLimit(unreachable, per_hour=1).allow(7, "m1")
    assert SharedAnswerRateLimit(unreachable, per_hour=1).wait_s(7) == 0.0
