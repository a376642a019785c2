"""/practice, /again, voice answers, and text where a voice answer was expected."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message

from adapters.telegram.conversation.services import BotServices
from adapters.telegram.intake.answers import Accepted, Refused, audio_of
from adapters.telegram.text import render
from domain.prompts import get_prompt, pick_prompt

NUDGE = (
    "I coach spoken answers, so please answer with a <b>voice message</b> "
    "(hold the microphone button). /practice gives you a prompt; /help explains more."
)


async def practice(message: Message, services: BotServices) -> None:
    learner = await services.learner(message.chat.id)
    await services.caught_up()
    seen = {row.prompt_id for row in await services.call(services.views.rows, learner.id)}
    prompt = pick_prompt(learner.mode, seen)
    await services.call(
        services.app.start_practice, learner.id, prompt,
        f"telegram:{message.chat.id}:{message.message_id}",
    )  # fmt: skip
    await message.answer(render.prompt_message(prompt))


async def again(message: Message, services: BotServices) -> None:
    learner = await services.learner_view(message.chat.id)
    if learner.active_prompt_id is None:
        await message.answer("There is no prompt to repeat yet. Send /practice to get one.")
        return
    await message.answer(
        render.prompt_message(get_prompt(learner.active_prompt_id), attempt_hint=True)
    )


async def voice(
    message: Message, services: BotServices, accepted: Accepted | Refused | None = None
) -> None:
    """The front door recorded it (adapters.telegram.intake.front_door): an accepted answer never
    reaches here (the workers show its progress); a refused one is told why."""
    if isinstance(accepted, Refused):
        await message.answer(_refusal(accepted, services, message.chat.id))


async def text_instead_of_voice(message: Message) -> None:
    await message.answer(NUDGE)


async def unknown_command(message: Message) -> None:
    await message.answer("I don't know that command. /help lists what I can do.")


async def not_audio(message: Message) -> None:
    await message.answer(
        "I can't coach that file. Send a voice message, or an audio file (OGG, MP3, M4A, WAV)."
    )


def _refusal(refused: Refused, services: BotServices, chat_id: int) -> str:
    minutes = max(1, round(services.intake.limit.wait_s(chat_id) / 60))
    return (
        f"You've sent {services.intake.limit.per_hour} answers this hour, which is as many as "
        f"I can take. Please try again in about {minutes} minutes."
    )


def build() -> Router:
    """A fresh router: aiogram attaches a router to one dispatcher only."""
    router = Router(name="practice")
    router.message.register(practice, Command("practice"))
    router.message.register(again, Command("again"))
    router.message.register(voice, F.func(lambda message: audio_of(message) is not None))
    router.message.register(text_instead_of_voice, F.text & ~F.text.startswith("/"))
    router.message.register(not_audio, F.document | F.photo | F.video | F.sticker)
    router.message.register(unknown_command, F.text.startswith("/"))
    return router
