"""/progress (a chart) and /history (the last answers, each viewable again)."""

from __future__ import annotations

import datetime as dt
import uuid

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from adapters.charts import progress_png
from adapters.telegram.conversation import keyboards
from adapters.telegram.conversation.services import BotServices
from adapters.telegram.text import render

HISTORY_SIZE = 10


async def progress(message: Message, services: BotServices) -> None:
    learner_id = services.learner_id(message.chat.id)
    await services.caught_up()
    rows = [
        r for r in await services.call(services.views.rows, learner_id) if r.outcome == "scored"
    ]
    if not rows:
        await message.answer("No scored answers yet. Send /practice and answer by voice first.")
        return
    png = await services.call(progress_png, rows)
    await message.answer_photo(
        BufferedInputFile(png, filename="progress.png"),
        caption=render.progress_caption(rows, dt.datetime.now(dt.UTC).date()),
    )


async def history(message: Message, services: BotServices) -> None:
    await services.caught_up()
    rows = await services.call(
        services.views.history, services.learner_id(message.chat.id), HISTORY_SIZE
    )
    buttons = [
        (f"See {row.at:%d %b} · {row.prompt_id}", f"show:{row.session_id.hex}:{row.attempt}")
        for row in rows
        if row.outcome == "scored"
    ]
    await message.answer(
        render.history_message(rows),
        reply_markup=keyboards.show_again(buttons[-5:]) if buttons else None,
    )


async def show_again(query: CallbackQuery, services: BotServices) -> None:
    if query.message is None:
        return
    try:
        _, session_hex, attempt = (query.data or "").split(":")
        view = await services.call(services.views.attempt, uuid.UUID(session_hex), int(attempt))
    except ValueError:
        view = None
    mine = services.learner_id(query.message.chat.id)
    if view is None or view.learner_id != mine or view.feedback is None or view.transcript is None:
        await keyboards.acknowledge(query, "I can't find that answer any more.")
        return
    await keyboards.acknowledge(query)
    for text in render.feedback_messages(
        view.prompt_text, view.mode, view.transcript, view.feedback
    ):
        await query.message.answer(text)


def build() -> Router:
    """A fresh router: aiogram attaches a router to one dispatcher only."""
    router = Router(name="progress")
    router.message.register(progress, Command("progress"))
    router.message.register(history, Command("history"))
    router.callback_query.register(show_again, F.data.startswith("show:"))
    return router
