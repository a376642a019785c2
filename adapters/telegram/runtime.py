"""The bot's composition: the webhook side, with its workers inline, in a child process,
or elsewhere (`speech-coach work` run on its own).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Literal

from aiogram import Bot, Dispatcher

from adapters.bootstrap import recording_app
from adapters.persistence.postgres import making_tables
from adapters.settings import Settings
from adapters.telegram.bot import make_bot
from adapters.telegram.conversation.dispatcher import build_dispatcher
from adapters.telegram.conversation.services import BotServices
from adapters.telegram.intake.admission import Admission
from adapters.telegram.intake.answers import Intake
from adapters.telegram.intake.dedupe import RecentUpdates
from adapters.telegram.intake.front_door import FrontDoor
from adapters.telegram.intake.ratelimit import AnswerRateLimit
from adapters.telegram.intake.recording import AnswerRecorder
from adapters.telegram.intake.shared_limits import SharedAnswerRateLimit, SharedRecentUpdates
from adapters.telegram.worker_process import WorkerProcess
from adapters.telegram.workers import Workers, WorkersSettingError, start_workers
from application.coaching import CoachingApp
from projections.runner import drop_stale_views, read_views
from projections.views import PracticeViews

WorkersAt = Literal["process", "inline", "elsewhere"]


@dataclass
class TelegramRuntime:
    settings: Settings
    app: CoachingApp
    bot: Bot
    dispatcher: Dispatcher
    services: BotServices
    front_door: FrontDoor
    inline: Workers | None = None
    process: WorkerProcess | None = None
    close_views: Callable[[], None] = lambda: None
    _conversations: set[asyncio.Task[None]] = field(default_factory=set)

    def converse(self, conversation: Coroutine[Any, Any, None]) -> None:
        """Run a conversation after the acknowledgement, as a task of its own: Starlette's
        background tasks would hold the HTTP connection, and Telegram's next update on it,
        until the conversation ends. (A chat's conversations take turns: ChatTurns.)"""
        task = asyncio.create_task(conversation)
        self._conversations.add(task)
        task.add_done_callback(self._conversations.discard)

    @property
    def views(self) -> PracticeViews:
        return self.services.views

    def workers_state(self) -> str:
        if self.inline is not None:
            return "inline"
        if self.process is None:
            return "elsewhere"
        return self.process.state

    async def close(self) -> None:
        if self._conversations:
            await asyncio.wait(self._conversations, timeout=self.settings.telegram_timeout_s)
        await asyncio.to_thread(self.services.recorder.close)
        await self.front_door.close()
        if self.process is not None:
            await self.process.stop()
        if self.inline is not None:
            await self.inline.close()
        else:
            self.close_views()
            self.app.close()
        await self.bot.session.close()


async def start_runtime(
    settings: Settings, workers: WorkersAt | None = None, **overrides: Any
) -> TelegramRuntime:
    """Build everything on the current event loop.

    `workers` defaults to a child process, or inline when adapters are overridden (tests)
    or the event store is in memory. Overrides go to `bootstrap`.
    """
    at = workers or ("inline" if overrides or not settings.shared_store else "process")
    if at != "inline" and (overrides or not settings.shared_store):
        raise WorkersSettingError(
            "Workers outside this process need a shared event store (SQLite, the default, or "
            "PostgreSQL), and adapters cannot be overridden across processes."
        )
    bot = make_bot(settings)
    runtime_parts: dict[str, Any] = {}
    if at == "inline":
        inline = await start_workers(settings, bot, follow_log=False, **overrides)
        app, views = inline.container.app, inline.views
        runtime_parts["inline"] = inline
    else:
        app = await asyncio.to_thread(recording_app, settings)

        def open_views() -> tuple[PracticeViews, Callable[[], None]]:
            with making_tables(settings.views_env()):
                drop_stale_views(app, settings.views_env())
                return read_views(app.name, settings.views_env())

        views, runtime_parts["close_views"] = await asyncio.to_thread(open_views)
        if at == "process":
            runtime_parts["process"] = await WorkerProcess(settings).start()
    updates, limit = _limits(settings)
    intake = Intake(app, limit)
    services = BotServices(settings, app, intake, views, AnswerRecorder(intake.accept_messages))
    front_door = FrontDoor(Admission(settings.allowed_chats), updates, services.recorder)
    return TelegramRuntime(
        settings, app, bot, build_dispatcher(services, front_door), services, front_door,
        **runtime_parts,
    )  # fmt: skip


def _limits(
    settings: Settings,
) -> tuple[RecentUpdates | SharedRecentUpdates, AnswerRateLimit | SharedAnswerRateLimit]:
    """Which updates were handled, and each learner's hourly count: in this process, or
    (with REDIS_URL) in Redis, shared by every web process."""
    if settings.redis_url is None:
        return RecentUpdates(), AnswerRateLimit(settings.answers_per_hour)
    import redis
    import redis.asyncio as aioredis

    url = settings.redis_url.get_secret_value()
    updates = SharedRecentUpdates(
        aioredis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    )
    # The hourly count is kept by the recorder's thread, as it records the answers.
    counts = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return updates, SharedAnswerRateLimit(counts, settings.answers_per_hour)
