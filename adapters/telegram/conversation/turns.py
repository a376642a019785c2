"""A chat's updates are handled one after another, in the order they came: /start then
/practice is answered in that order, by webhook and by long polling alike (both run each
update as a task of its own). Chats do not wait for each other."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram.types import TelegramObject, Update

from adapters.telegram.intake.admission import NextHandler, chat_of


class ChatTurns:
    """An outer middleware of `Dispatcher.update`; asyncio.Lock serves its waiters first come,
    first served, and updates reach it in the order their tasks were created."""

    def __init__(self) -> None:
        self._turns: dict[int | None, tuple[asyncio.Lock, int]] = {}

    async def __call__(
        self, handler: NextHandler, event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        chat = chat_of(event) if isinstance(event, Update) else None
        lock, waiting = self._turns.get(chat, (asyncio.Lock(), 0))
        self._turns[chat] = (lock, waiting + 1)
        try:
            async with lock:
                return await handler(event, data)
        finally:
            lock, waiting = self._turns[chat]
            if waiting == 1:
                del self._turns[chat]
            else:
                self._turns[chat] = (lock, waiting - 1)
