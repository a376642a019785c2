"""Who may use the bot. With TELEGRAM_ALLOWED_CHATS set, every other chat is ignored
entirely, at the front door (adapters.telegram.intake.front_door, which the webhook and long
polling share): no reply, no button answered, nothing recorded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.types import TelegramObject, Update

# What an outer middleware of `Dispatcher.update` is handed: the rest of the chain.
NextHandler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def chat_of(update: Update) -> int | None:
    """The chat an update comes from (a button's chat, or its presser's private chat)."""
    if update.message is not None:
        return update.message.chat.id
    query = update.callback_query
    if query is not None:
        return query.message.chat.id if query.message is not None else query.from_user.id
    return None


class Admission:
    def __init__(self, allowed_chats: frozenset[int]) -> None:
        self.allowed_chats = allowed_chats

    def admits(self, update: Update) -> bool:
        if not self.allowed_chats:
            return True
        return chat_of(update) in self.allowed_chats

    async def __call__(
        self, handler: NextHandler, event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        """As an outer middleware of `Dispatcher.update`: drop what it does not admit."""
        if isinstance(event, Update) and not self.admits(event):
            return None
        return await handler(event, data)
