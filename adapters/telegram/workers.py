"""The workers: fetch, transcribe, score and deliver each answer the webhook recorded.

`serve` runs them in a process of their own (`speech-coach work`), so the webhook's
acknowledgements never share a CPU core's interpreter with Whisper, ffmpeg or the view
updates; answers reach them through the event log (adapters.outbox). Inline, in the
webhook's process, they share its application instead: for tests that replace adapters
and for the in-memory store, which no other process can read.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from aiogram import Bot

from adapters.bootstrap import Container, bootstrap
from adapters.outbox import LOG_POLL_S, LogFollower, resume
from adapters.persistence.audio_store import LocalAudioStore
from adapters.settings import Settings
from adapters.telegram.bridge import LoopBridge
from adapters.telegram.files import TelegramAudioStore
from adapters.telegram.notifier import TelegramNotifier
from adapters.telegram.status import StatusMessages
from application.bus import IO, BackgroundBus
from application.steps import ReportGivingUp
from projections.runner import ViewsRunner, start_views


@dataclass
class Workers:
    container: Container
    bus: BackgroundBus
    views: ViewsRunner
    follower: LogFollower | None

    async def close(self) -> None:
        if self.follower is not None:
            await asyncio.to_thread(self.follower.stop)
        await asyncio.to_thread(self.bus.close)
        await asyncio.to_thread(self.views.stop)
        self.container.close()


async def start_workers(
    settings: Settings, bot: Bot, *, follow_log: bool, **overrides: Any
) -> Workers:
    """Workers on the running loop (the bot's HTTP session lives there).

    `follow_log`: take answers from the event log (a worker process); otherwise the
    application publishes them directly (inline). Overrides go to `bootstrap` (tests).
    """
    bridge = LoopBridge(asyncio.get_running_loop(), timeout_s=settings.telegram_timeout_s * 3)
    bus = BackgroundBus(workers=settings.workers)
    store = TelegramAudioStore(
        LocalAudioStore(settings.audio_dir), bot, bridge, settings.max_audio_bytes
    )

    status = StatusMessages(bot, bridge, lambda: container.app)
    container = await asyncio.to_thread(
        lambda: bootstrap(settings, progress=status, bus=bus, store=store, **overrides)
    )
    app = container.app
    poll_s = LOG_POLL_S if follow_log else 0.2
    views = await asyncio.to_thread(start_views, app, settings.views_env(), poll_s)
    notifier = TelegramNotifier(app, bot, bridge, status, views.views, settings.delivery_give_up_s)
    bus.subscribe("FeedbackGenerated", notifier, lane=IO)
    bus.subscribe("ProcessingFailed", notifier, lane=IO)
    bus.on_give_up(ReportGivingUp(app))
    follower = await asyncio.to_thread(lambda: resume(app, bus, follow=follow_log))
    return Workers(container, bus, views, follower)
