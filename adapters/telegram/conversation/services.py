"""What the routers need, handed to every handler by the dispatcher (workflow data)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from adapters.settings import Settings
from adapters.telegram.intake.answers import CHANNEL, DEFAULT_LEVEL, DEFAULT_MODE, Intake
from adapters.telegram.intake.recording import AnswerRecorder
from application.coaching import CoachingApp
from domain.learner import Learner
from projections.views import LearnerView, PracticeViews

T = TypeVar("T")


@dataclass
class BotServices:
    settings: Settings
    app: CoachingApp
    intake: Intake
    views: PracticeViews
    recorder: AnswerRecorder  # records voice answers (webhook and long polling alike)

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """The event store is synchronous: run it off the event loop."""
        return await asyncio.to_thread(function, *args, **kwargs)

    async def learner(self, chat_id: int) -> Learner:
        def register_and_get() -> Learner:
            learner_id = self.app.register_learner(
                CHANNEL, str(chat_id), DEFAULT_MODE, DEFAULT_LEVEL
            )
            return self.app.get_learner(learner_id)

        return await self.call(register_and_get)

    async def learner_view(self, chat_id: int) -> LearnerView:
        """The learner's settings from the read side (a newcomer is registered first)."""
        learner_id = self.learner_id(chat_id)
        await self.caught_up()
        view = await self.call(self.views.learner, learner_id)
        if view is None:
            await self.learner(chat_id)
            await self.caught_up()
            view = await self.call(self.views.learner, learner_id)
        return view or LearnerView(learner_id, DEFAULT_MODE, DEFAULT_LEVEL)

    async def caught_up(self) -> None:
        """Wait until the read side includes every event written so far (our own writes too)."""
        position = await self.call(self.app.recorder.max_notification_id)
        await self.call(self.views.wait, position or 0, 5.0)

    def learner_id(self, chat_id: int) -> UUID:
        from domain.ids import learner_id

        return learner_id(CHANNEL, str(chat_id))
