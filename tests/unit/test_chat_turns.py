"""A chat's updates are handled one after another, in the order they came; chats do not wait
for each other (the dispatcher's ChatTurns middleware, for webhook and polling alike)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram.types import Update

from adapters.telegram.conversation.turns import ChatTurns
from tests.support.fake_telegram.state import BotState
from tests.support.fake_telegram.updates import text_update


def _update(state: BotState, chat: int, text: str) -> Update:
    return Update.model_validate(
        text_update(state, chat, text, message_id=None, update_id=None, first_name=None)
    )


def test_a_slow_first_update_is_finished_before_the_chats_next_starts_and_others_go_on():
    async def scenario() -> list[str]:
        turns, log = ChatTurns(), []
        slow_may_finish = asyncio.Event()
        state = BotState("1234567:AAtoken")

        async def handle(update: Update, data: dict[str, Any]) -> None:
            text = update.message.text if update.message else ""
            log.append(f"start {update.message.chat.id if update.message else 0} {text}")
            if text == "/start":
                await slow_may_finish.wait()
            log.append(f"end {text}")

        first = asyncio.create_task(turns(handle, _update(state, 1, "/start"), {}))
        second = asyncio.create_task(turns(handle, _update(state, 1, "/help"), {}))
        other = asyncio.create_task(turns(handle, _update(state, 2, "/history"), {}))
        await other  # another chat is not held up by chat 1's slow update
        slow_may_finish.set()
        await asyncio.gather(first, second)
        return log

    assert asyncio.run(scenario()) == [
        "start 1 /start", "start 2 /history", "end /history", "end /start",
        "start 1 /help", "end /help",
    ]  # fmt: skip
