"""`speech-coach worker KIND`: workers that take step events from Redis Streams.

Each kind is a consumer group on its streams (transcribe: AudioReceived; coach:
Transcribed; notify: FeedbackGenerated and ProcessingFailed); each process is one consumer,
so a kind scales by starting more processes. An entry is acknowledged only after its step
recorded its event (FastStream's default for groups: ack on success, left pending when the
handler raised). Steps are idempotent: a redelivered entry finds its event recorded and does
nothing.

Entries left pending (a handler that raised, a worker killed mid-step) are claimed again
once idle for `claim_after_s`, by any consumer of the group: each subscription has a second,
claiming subscriber (FastStream's `min_idle_time` runs XAUTOCLAIM, and only that). After
`max_deliveries` the attempt ends: ProcessingFailed is recorded (the learner is told once,
through the notify workers) and the entry moves to the dead-letter stream. A step that asks
to be run again later (RetryLaterError: Telegram's 429) is not failing: it waits in the
handler, or for a claim, as long as it asks, and decides itself when to give up.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis
from faststream.redis import RedisBroker, RedisStreamMessage, StreamSub

from adapters.buses import DirectBus
from adapters.logs import about_answer
from adapters.metrics import STEP_SECONDS, STEPS
from adapters.streams.names import DEAD_LETTERS, group_exists, message_of, stream_of
from application.bus import AttemptMessage, GiveUpHandler, RetryLaterError

log = logging.getLogger(__name__)

TOPICS_OF_KIND: dict[str, tuple[str, ...]] = {
    "transcribe": ("AudioReceived",),
    "coach": ("Transcribed",),
    "notify": ("FeedbackGenerated", "ProcessingFailed"),
}
KINDS = tuple(TOPICS_OF_KIND)
LAST_ERRORS = "speech-coach:last-errors"  # hash: "<stream> <entry id>" -> the last failure
_WAITING = "waiting"  # a last "failure" that was a step asking to be run again later


@dataclass(frozen=True)
class Claiming:
    claim_after_s: float  # longer than the slowest step
    max_deliveries: int


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


async def create_groups(client: aioredis.Redis, kinds: tuple[str, ...]) -> None:
    """Each kind's group on its streams, reading from the stream's start: entries the relay
    added before any worker of the kind ever ran are theirs too. (FastStream would create
    the group at "$", the stream's end, and they would be skipped.)"""
    for kind in kinds:
        for topic in TOPICS_OF_KIND[kind]:
            try:
                await client.xgroup_create(stream_of(topic), kind, id="0", mkstream=True)
            except aioredis.ResponseError as error:
                if not group_exists(error):
                    raise


async def keep_reading(broker: RedisBroker, kinds: tuple[str, ...], every_s: float = 2.0) -> None:
    """Start again the readers FastStream stopped for good.

    FastStream stops a subscriber whose group is gone (a Redis that lost its data, or was
    flushed) and expects a FastStream app to exit; here nobody would, and the worker would
    sit idle. So: the groups are made again at the start of their streams (the relay's
    reconciler publishes again what was lost), and the stopped readers started again.
    Cancel the task to stop it.
    """
    while True:
        await asyncio.sleep(every_s)
        stopped = [sub for sub in broker.subscribers if not sub.running]
        if not stopped:
            continue
        log.warning("%d stream readers stopped (their group was gone); starting them again",
                    len(stopped))  # fmt: skip
        try:
            await create_groups(await broker.connect(), kinds)
            for sub in stopped:
                await sub.start()
        except (aioredis.ConnectionError, aioredis.TimeoutError) as error:
            log.warning("Redis is unreachable (%s); trying again", error)


def stream_broker(
    url: str,
    kinds: tuple[str, ...],
    steps: DirectBus,
    give_up: GiveUpHandler,
    claiming: Claiming,
    consumer: str | None = None,
) -> RedisBroker:
    """A broker whose subscribers run `steps` for the entries of `kinds`' streams."""
    broker = RedisBroker(url, graceful_timeout=claiming.claim_after_s, logger=log)
    consumer = consumer or consumer_name()
    for kind in kinds:
        for topic in TOPICS_OF_KIND[kind]:
            handle = _entry_handler(broker, kind, steps, give_up, claiming)
            stream = stream_of(topic)
            # One entry at a time: what this consumer has not begun stays for the others.
            reading = StreamSub(stream, group=kind, consumer=consumer, max_records=1)
            claiming_sub = StreamSub(
                stream,
                group=kind,
                consumer=f"{consumer}-claims",
                min_idle_time=round(claiming.claim_after_s * 1000),
                polling_interval=min(1000, round(claiming.claim_after_s * 500)),
            )
            broker.subscriber(stream=claiming_sub)(broker.subscriber(stream=reading)(handle))
    return broker


def _entry_handler(
    broker: RedisBroker, kind: str, steps: DirectBus, give_up: GiveUpHandler, claiming: Claiming
) -> Callable[..., Any]:
    async def handle(body: dict[str, Any], msg: RedisStreamMessage) -> None:
        entry = msg.raw_message["message_ids"][0].decode()
        stream = msg.raw_message["channel"]
        where = f"{stream} {entry}"
        message = _attempt_in(body)
        if message is None:
            log.error("%s: not an attempt (%s); moved to the dead letters", where, body)
            await _dead_letter(broker, kind, stream, entry, body, "not an attempt")
            STEPS.labels(kind, "dead_letter").inc()
            return
        with about_answer(message.session_id, message.attempt):  # on each log line of it
            deliveries = await msg.get_delivery_count()
            client = await broker.connect()
            if deliveries > claiming.max_deliveries:
                last = await client.hget(LAST_ERRORS, where)
                why = last.decode() if isinstance(last, bytes) else str(last or "no error recorded")
                if not why.startswith(_WAITING):  # a step that waits decides when to stop itself
                    log.error("%s: %s failed %d times (%s); giving up",
                              where, kind, deliveries - 1, why)  # fmt: skip
                    await asyncio.to_thread(give_up, message, RuntimeError(why))
                    await _dead_letter(broker, kind, stream, entry, body, why, deliveries - 1)
                    await client.hdel(LAST_ERRORS, where)
                    STEPS.labels(kind, "dead_letter").inc()
                    return
            started = time.perf_counter()
            try:
                await _run_step(steps, message, claiming.claim_after_s / 2)
            except RetryLaterError as later:
                log.info("%s: %s waits %.0f s (%s)", where, kind, later.after_s, later)
                await client.hset(LAST_ERRORS, where, f"{_WAITING}: {later}"[:500])
                STEPS.labels(kind, "waiting").inc()
                raise  # left pending: taken again once idle for claim_after_s
            except Exception as error:
                log.warning("%s: %s failed (delivery %d): %s", where, kind, deliveries, error)
                await client.hset(LAST_ERRORS, where, f"{type(error).__name__}: {error}"[:500])
                STEPS.labels(kind, "failed").inc()
                raise  # left pending: claimed again once idle for claim_after_s
            STEP_SECONDS.labels(kind).observe(time.perf_counter() - started)
            STEPS.labels(kind, "ok").inc()
            await client.hdel(LAST_ERRORS, where)

    return handle


async def _run_step(steps: DirectBus, message: AttemptMessage, longest_wait_s: float) -> None:
    """Run the entry's step; a step that asks to be run again later (Telegram's 429 with
    retry_after, a network error's pause) is, here, while the waits add up to at most
    `longest_wait_s` (half the claim time: no other worker takes the entry meanwhile).
    A longer wait leaves the entry pending, for a claim."""
    waited_s = 0.0
    while True:
        try:
            await asyncio.to_thread(steps.publish, message)
        except RetryLaterError as later:
            if waited_s + later.after_s > longest_wait_s:
                raise
            await asyncio.sleep(later.after_s)
            waited_s += later.after_s
        else:
            return


def _attempt_in(body: dict[str, Any]) -> AttemptMessage | None:
    try:
        return message_of(body)
    except (KeyError, ValueError):
        return None


async def _dead_letter(
    broker: RedisBroker,
    kind: str,
    stream: str,
    entry: str,
    body: dict[str, Any],
    why: str,
    failures: int = 0,
) -> None:
    client = await broker.connect()
    await client.xadd(
        DEAD_LETTERS,
        {
            **{str(k): str(v) for k, v in body.items()},
            "kind": kind,
            "stream": stream,
            "entry": entry,
            "failures": str(failures),
            "error": why,
        },
    )
