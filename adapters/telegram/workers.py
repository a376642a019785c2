"""The workers: fetch, transcribe, score and deliver each answer the webhook recorded.

`serve` runs them in a process of their own (`speech-coach work`), so the webhook's
acknowledgements never share a CPU core's interpreter with Whisper, ffmpeg or the view
updates; answers reach them through the event log (adapters.outbox). Inline, in the
webhook's process, they share its application instead: for tests that replace adapters
and for the in-memory store, which no other process can read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from faststream.redis import RedisBroker

from adapters.bootstrap import Container, bootstrap
from adapters.buses import BackgroundBus, DirectBus
from adapters.outbox import LOG_POLL_S, LogFollower, resume
from adapters.persistence.audio_store import LocalAudioStore
from adapters.persistence.postgres import making_tables
from adapters.settings import Settings
from adapters.streams.workers import (
    KINDS,
    Claiming,
    create_groups,
    keep_reading,
    stream_broker,
)
from adapters.telegram.outputs.bridge import LoopBridge
from adapters.telegram.outputs.files import TelegramAudioStore
from adapters.telegram.outputs.notifier import TelegramNotifier
from adapters.telegram.outputs.status import StatusMessages
from application.bus import IO, EventBus
from application.coaching import CoachingApp
from application.steps import ReportGivingUp
from projections.runner import read_views, start_views
from projections.views import PracticeViews


class WorkersSettingError(ValueError):
    """Workers that cannot run with these settings (say which to change)."""


@dataclass
class Workers:
    container: Container
    bus: BackgroundBus
    views: PracticeViews
    close_views: Callable[[], None]
    follower: LogFollower | None

    async def close(self) -> None:
        if self.follower is not None:
            await asyncio.to_thread(self.follower.stop)
        await asyncio.to_thread(self.bus.close)
        await asyncio.to_thread(self.close_views)
        self.container.close()


async def start_workers(
    settings: Settings, bot: Bot, *, follow_log: bool, **overrides: Any
) -> Workers:
    """Workers on the running loop (the bot's HTTP session lives there).

    `follow_log`: take answers from the event log (a worker process); otherwise the
    application publishes them directly (inline). Overrides go to `bootstrap` (tests).
    """
    bus = BackgroundBus(workers=settings.workers)
    poll_s = LOG_POLL_S if follow_log else 0.2

    def kept_views(app: CoachingApp) -> tuple[PracticeViews, Callable[[], None]]:
        with making_tables(settings.views_env()):
            runner = start_views(app, settings.views_env(), poll_s)
        return runner.views, runner.stop

    container, (views, close_views) = await steps_on(
        bus, settings, bot, kept_views, app_publishes=True, **overrides
    )
    bus.on_give_up(ReportGivingUp(container.app))
    follower = await asyncio.to_thread(lambda: resume(container.app, bus, follow=follow_log))
    return Workers(container, bus, views, close_views, follower)


ViewsOf = Callable[[CoachingApp], tuple[PracticeViews, Callable[[], None]]]


async def steps_on(
    bus: EventBus,
    settings: Settings,
    bot: Bot,
    views_of: ViewsOf,
    *,
    app_publishes: bool,
    **overrides: Any,
) -> tuple[Container, tuple[PracticeViews, Callable[[], None]]]:
    """Every step of an answer subscribed on `bus`, with Telegram at its edges: recordings
    downloaded from Telegram, progress shown in the learner's status message, and the
    outcome delivered to the chat. `views_of` gives the views the notifier reads."""
    bridge = LoopBridge(asyncio.get_running_loop(), timeout_s=settings.telegram_timeout_s * 3)
    store = TelegramAudioStore(
        LocalAudioStore(settings.audio_dir), bot, bridge, settings.max_audio_bytes
    )
    status = StatusMessages(bot, bridge, lambda: container.app)
    container = await asyncio.to_thread(
        lambda: bootstrap(
            settings, progress=status, bus=bus, store=store, app_publishes=app_publishes,
            **overrides,
        )
    )  # fmt: skip
    views = await asyncio.to_thread(views_of, container.app)
    notifier = TelegramNotifier(
        container.app, bot, bridge, status, views[0], settings.delivery_give_up_s,
        record_patience_s=settings.claim_after_s / 2,  # before another worker takes it over
    )  # fmt: skip
    bus.subscribe("FeedbackGenerated", notifier, lane=IO)
    bus.subscribe("ProcessingFailed", notifier, lane=IO)
    return container, views


@dataclass
class StreamWorkers:
    """Workers of some kinds, taking step events from Redis Streams (adapters.streams)."""

    container: Container
    broker: RedisBroker
    close_views: Callable[[], None]
    watchdog: asyncio.Task[None]

    async def close(self) -> None:
        self.watchdog.cancel()
        await self.broker.stop()  # waits for the entries in hand (up to the claim time)
        await asyncio.to_thread(self.close_views)
        self.container.close()


async def start_stream_workers(
    settings: Settings,
    bot: Bot,
    kinds: tuple[str, ...] = KINDS,
    claiming: Claiming | None = None,
    consumer: str | None = None,
    **overrides: Any,
) -> StreamWorkers:
    """Consumers of `kinds`' streams in this process. They read the views that the relay's
    process keeps; the application here publishes nothing (the relay does)."""
    if settings.redis_url is None:
        raise WorkersSettingError("Workers on Redis Streams need REDIS_URL.")
    bus = DirectBus()
    container, (_, close_views) = await steps_on(
        bus, settings, bot, lambda app: _read_views(app, settings),
        app_publishes=False, **overrides,
    )  # fmt: skip
    url = settings.redis_url.get_secret_value()
    claiming = claiming or Claiming(settings.claim_after_s, settings.max_deliveries)
    broker = stream_broker(url, kinds, bus, ReportGivingUp(container.app), claiming, consumer)
    await create_groups(await broker.connect(), kinds)
    await broker.start()
    watchdog = asyncio.create_task(keep_reading(broker, kinds), name="stream-readers-watchdog")
    return StreamWorkers(container, broker, close_views, watchdog)


def _read_views(app: CoachingApp, settings: Settings) -> tuple[PracticeViews, Callable[[], None]]:
    with making_tables(settings.views_env()):
        return read_views(app.name, settings.views_env())
