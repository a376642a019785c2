"""The webhook's memory of updates and answers, shared by every web process through Redis
(with REDIS_URL): an update Telegram sends again to another process is still handled once,
and a learner's hourly limit counts their answers wherever they arrived.

While Redis cannot answer, both let the update through (and say so in the log): a voice
answer is recorded once all the same (the event store knows its message), and an answer is
never refused for a limit we cannot read."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

import redis
import redis.asyncio as aioredis

log = logging.getLogger(__name__)
_UPDATES = "speech-coach:update:"
_ANSWERS = "speech-coach:answers:"
UPDATE_KEPT_S = 24 * 3600  # Telegram gives up redelivering an update within a day

# Drop what left the window; a message already counted passes; else count it if there is room.
_ALLOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then return 1 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])))
return 1
"""


class SharedRecentUpdates:
    """`RecentUpdates`, in Redis: SET NX with an expiry. Asynchronous, on the webhook's
    event loop: a Redis slow to answer holds up this update, not every other."""

    def __init__(self, client: aioredis.Redis, kept_s: int = UPDATE_KEPT_S) -> None:
        self._client, self._kept_s = client, kept_s

    async def first_time(self, update_id: int) -> bool:
        try:
            key = f"{_UPDATES}{update_id}"
            return bool(await self._client.set(key, 1, nx=True, ex=self._kept_s))
        except redis.RedisError as error:
            log.warning("Redis cannot tell if update %s was seen (%s); handling it", update_id,
                        error)  # fmt: skip
            return True

    async def forget(self, update_id: int) -> None:
        with contextlib.suppress(redis.RedisError):
            await self._client.delete(f"{_UPDATES}{update_id}")

    async def close(self) -> None:
        await self._client.aclose()


class SharedAnswerRateLimit:
    """`AnswerRateLimit`, in Redis: a sorted set of message keys per chat, by time, changed by
    one script so that two processes never both take the last place."""

    def __init__(
        self,
        client: redis.Redis,
        per_hour: int,
        clock: Callable[[], float] = time.time,
        window_s: float = 3600.0,
    ) -> None:
        self._client, self.per_hour, self._clock, self._window = client, per_hour, clock, window_s
        self._allow = client.register_script(_ALLOW)

    def allow(self, chat_id: int, message_key: str) -> bool:
        args: list[str | float] = [self._clock(), self._window, self.per_hour, message_key]
        try:
            return bool(self._allow(keys=[f"{_ANSWERS}{chat_id}"], args=args))
        except redis.RedisError as error:
            log.warning("Redis cannot count answers (%s); letting this one in", error)
            return True

    def wait_s(self, chat_id: int) -> float:
        try:
            oldest = self._client.zrange(f"{_ANSWERS}{chat_id}", 0, 0, withscores=True)
        except redis.RedisError:
            return 0.0
        if not oldest:
            return 0.0
        return max(0.0, self._window - (self._clock() - float(oldest[0][1])))
