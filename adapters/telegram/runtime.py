"""The bot's composition: the core container with Telegram adapters, built on a running loop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from aiogram import Bot, Dispatcher

from adapters.bootstrap import Container, bootstrap
from adapters.persistence.audio_store import LocalAudioStore
from adapters.settings import Settings
from adapters.telegram.bot import make_bot
from adapters.telegram.bridge import LoopBridge
from adapters.telegram.dedupe import RecentUpdates
from adapters.telegram.dispatcher import build_dispatcher
from adapters.telegram.files import TelegramAudioStore
from adapters.telegram.intake import Intake
from adapters.telegram.notifier import TelegramNotifier
from adapters.telegram.ratelimit import AnswerRateLimit
from adapters.telegram.services import BotServices
from adapters.telegram.status import StatusMessages
from application.bus import BackgroundBus
from projections.runner import ViewsRunner, start_views


@dataclass
class TelegramRuntime:
    settings: Settings
    container: Container
    bot: Bot
    dispatcher: Dispatcher
    services: BotServices
    bus: BackgroundBus
    views: ViewsRunner
    updates: RecentUpdates

    async def close(self) -> None:
        await asyncio.to_thread(self.bus.close)
        self.views.stop()
        await self.bot.session.close()
        self.container.close()


async def start_runtime(settings: Settings, **overrides: Any) -> TelegramRuntime:
    """Build everything on the current event loop; overrides go to `bootstrap` (tests)."""
    bot = make_bot(settings)
    bridge = LoopBridge(asyncio.get_running_loop(), timeout_s=settings.telegram_timeout_s * 3)
    status = StatusMessages(bot, bridge)
    bus = BackgroundBus(workers=settings.workers)
    store = TelegramAudioStore(LocalAudioStore(settings.audio_dir), bot, bridge)
    container = await asyncio.to_thread(
        lambda: bootstrap(settings, progress=status, bus=bus, store=store, **overrides)
    )
    app = container.app
    views = await asyncio.to_thread(start_views, app, settings.views_env())
    notifier = TelegramNotifier(app, bot, bridge, status, views.views)
    bus.subscribe("FeedbackGenerated", notifier)
    bus.subscribe("ProcessingFailed", notifier)
    intake = Intake(app, AnswerRateLimit(settings.answers_per_hour), settings.allowed_chats)
    services = BotServices(settings, app, intake, views.views, status)
    for message in await asyncio.to_thread(app.unfinished_attempts):
        bus.publish(message)  # answers accepted before a stop are finished, not lost
    return TelegramRuntime(
        settings, container, bot, build_dispatcher(services), services, bus, views, RecentUpdates()
    )
