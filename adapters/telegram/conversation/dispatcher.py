"""The dispatcher with one router per feature, behind the front door, a chat at a time."""

from __future__ import annotations

from aiogram import Dispatcher

from adapters.telegram.conversation.routers import practice, progress, settings
from adapters.telegram.conversation.services import BotServices
from adapters.telegram.conversation.turns import ChatTurns
from adapters.telegram.intake.front_door import FrontDoor


def build_dispatcher(services: BotServices, front_door: FrontDoor) -> Dispatcher:
    dispatcher = Dispatcher(services=services)
    dispatcher.update.outer_middleware(front_door)
    dispatcher.update.outer_middleware(ChatTurns())
    # Commands and buttons first; the catch-all text nudge in `practice` comes last.
    dispatcher.include_routers(settings.build(), progress.build(), practice.build())
    return dispatcher
