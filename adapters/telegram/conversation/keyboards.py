"""Inline keyboards for choosing a mode and a level, and answering their presses."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from adapters.telegram.text.render import MODE_LABELS
from domain.learner import LEVELS


def modes() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(text=label, callback_data=f"mode:{mode}")
        for mode, label in MODE_LABELS.items()
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    )


def levels() -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton(text=level, callback_data=f"level:{level}") for level in LEVELS]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def show_again(items: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per (label, callback data) to see an earlier answer's feedback again."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label, callback_data=data)] for label, data in items
        ]
    )


async def acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press. One Telegram no longer knows (pressed while the bot was down,
    or answered already) is passed over: the reply in the chat still goes out."""
    with contextlib.suppress(TelegramBadRequest):
        await query.answer(text)
