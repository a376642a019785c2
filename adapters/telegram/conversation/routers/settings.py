"""/start, /mode, /settings, /help and the mode and level buttons."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import CallbackQuery, Message

from adapters.telegram.conversation import keyboards
from adapters.telegram.conversation.services import BotServices
from adapters.telegram.text.render import MODE_LABELS
from domain.learner import LEVELS

HELP = (
    "<b>How it works</b>\n"
    "1. /practice gives you a prompt with its preparation and answer time.\n"
    "2. Answer with a voice message (audio files and video notes work too).\n"
    "3. In a few seconds you get your score with its evidence, your pace, pauses and fillers "
    "in your own words, a stronger version of your answer and two or three next steps.\n\n"
    "/again — try the same prompt again and compare\n"
    "/progress — your trends as a chart\n"
    "/history — your last answers\n"
    "/mode — TOEFL, IELTS, job interview or free talk\n"
    "/settings — your mode and level\n\n"
    "A voice message without a prompt is coached as free talk."
)


async def start(message: Message, services: BotServices) -> None:
    await services.learner(message.chat.id)
    await message.answer(
        "Hi! I'm your speaking coach. Record answers, and I'll tell you precisely how they "
        "sound and how to improve.\n\nWhat are you practising for?",
        reply_markup=keyboards.modes(),
    )


async def help_(message: Message) -> None:
    await message.answer(HELP)


async def mode(message: Message) -> None:
    await message.answer("Choose what to practise:", reply_markup=keyboards.modes())


async def settings(message: Message, services: BotServices) -> None:
    learner = await services.learner_view(message.chat.id)
    await message.answer(
        f"Mode: <b>{MODE_LABELS.get(learner.mode, learner.mode)}</b>\n"
        f"Level: <b>{learner.level}</b>\n\nChange your level:",
        reply_markup=keyboards.levels(),
    )


async def chose(query: CallbackQuery, services: BotServices) -> None:
    """A mode or level button: "mode:<mode>" or "level:<level>"."""
    kind, _, chosen = (query.data or "").partition(":")
    valid = MODE_LABELS if kind == "mode" else LEVELS
    if chosen not in valid or query.message is None:
        await keyboards.acknowledge(query, "That option is no longer available.")
        return
    learner = await services.learner(query.message.chat.id)
    mode, level = (chosen, learner.level) if kind == "mode" else (learner.mode, chosen)
    await services.call(services.app.change_settings, learner.id, mode, level)
    label = MODE_LABELS.get(chosen, chosen)
    await keyboards.acknowledge(query, f"{kind.title()}: {label}")
    if kind == "mode":
        await query.message.answer(
            f"Mode set to <b>{label}</b>. Which level are you aiming for?",
            reply_markup=keyboards.levels(),
        )
    else:
        await query.message.answer(f"Level set to <b>{label}</b>. Send /practice for a prompt.")


def build() -> Router:
    """A fresh router: aiogram attaches a router to one dispatcher only."""
    router = Router(name="settings")
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    router.message.register(mode, Command("mode"))
    router.message.register(settings, Command("settings"))
    router.callback_query.register(chose, F.data.startswith("mode:") | F.data.startswith("level:"))
    return router
