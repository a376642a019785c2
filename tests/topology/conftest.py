"""The production topology in one test process: the webhook (workers elsewhere), the relay
with the views, and stream workers of each kind, on a real PostgreSQL and a real Redis,
against the fake Bot API. Speech and audio are scripted, so an answer takes milliseconds."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis

from adapters.settings import Settings
from adapters.streams.relay import RunningRelay, start_relay
from adapters.streams.workers import Claiming
from adapters.telegram.bot import make_bot
from adapters.telegram.workers import StreamWorkers, start_stream_workers
from application.ports import SpeechToText
from tests.e2e.telegram_harness import BotUnderTest, running_bot
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText
from tests.support.services import fresh_schema


class WorkersThread:
    """Stream workers on an event loop of their own thread, as a worker process has."""

    def __init__(self, settings: Settings, kinds: tuple[str, ...], claiming: Claiming,
                 consumer: str, **overrides: Any) -> None:  # fmt: skip
        self._started = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(
            target=asyncio.run,
            args=(self._main(settings, kinds, claiming, consumer, overrides),),
            name=f"stream-workers-{consumer}",
            daemon=True,
        )

    def start(self) -> WorkersThread:
        self._thread.start()
        assert self._started.wait(30), "the stream workers did not start"
        if self.error is not None:
            raise self.error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(60)

    async def _main(self, settings: Settings, kinds: tuple[str, ...], claiming: Claiming,
                    consumer: str, overrides: dict[str, Any]) -> None:  # fmt: skip
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        bot = make_bot(settings)
        workers: StreamWorkers | None = None
        try:
            workers = await start_stream_workers(
                settings, bot, kinds, claiming, consumer, **overrides
            )
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            self.error = error
        self._started.set()
        try:
            await self._stop.wait()
        finally:
            if workers is not None:
                await workers.close()
            await bot.session.close()


@contextmanager
def topology(
    home: Path,
    postgres_url: str,
    redis_url: str,
    claiming: Claiming,
    transcribers: tuple[SpeechToText, ...] = (),
    reconcile_after_s: float = 300.0,
) -> Iterator[tuple[BotUnderTest, RunningRelay, list[WorkersThread]]]:
    """The webhook, the relay, and one worker of each kind; one transcribe worker for each
    of `transcribers` (its speech-to-text), by default one that hears the script."""
    scripted = {"decoder": ScriptedDecoder(), "stt": ScriptedSpeechToText()}
    with (
        fresh_schema(postgres_url) as schema,
        running_bot(
            home,
            database_url=postgres_url,
            postgres_schema=schema,
            redis_url=redis_url,
            workers="elsewhere",
            reconcile_after_s=reconcile_after_s,
        ) as bot,
    ):
        relay = start_relay(bot.settings)
        workers = [
            WorkersThread(
                bot.settings,
                ("transcribe",),
                claiming,
                f"transcribe-{n}",
                **{**scripted, "stt": stt},
            ).start()
            for n, stt in enumerate(transcribers or (ScriptedSpeechToText(),), start=1)
        ] + [
            WorkersThread(bot.settings, (kind,), claiming, f"{kind}-1", **scripted).start()
            for kind in ("coach", "notify")
        ]
        try:
            yield bot, relay, workers
        finally:
            for worker in workers:
                worker.stop()
            relay.stop()


@pytest.fixture
def empty_redis(redis_url: str, redis_client: redis.Redis) -> str:
    """The URL of the session's Redis, emptied for the test (by `redis_client`)."""
    return redis_url
