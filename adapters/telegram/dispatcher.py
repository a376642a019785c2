"""The dispatcher with one router per feature, behind the allowlist."""

from __future__ import annotations

from aiogram import Dispatcher

from adapters.telegram.admission import Admission
from adapters.telegram.routers import practice, progress, settings
from adapters.telegram.services import BotServices


def build_dispatcher(services: BotServices, admission: Admission) -> Dispatcher:
    dispatcher = Dispatcher(services=services)
    dispatcher.update.outer_middleware(admission)
    # Commands and buttons first; the catch-all text nudge in `practice` comes last.
    dispatcher.include_routers(settings.build(), progress.build(), practice.build())
    return dispatcher
