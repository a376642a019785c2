"""What reaches the bot and in which order: a private bot ignores every other chat
entirely, a chat's updates are answered in the order they came, a newcomer's first
updates are never lost, and an answer resent by Telegram is not counted twice."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiogram.types import Update

from adapters.settings import Settings
from adapters.telegram.bot import make_bot
from adapters.telegram.conversation.dispatcher import build_dispatcher
from adapters.telegram.intake.admission import Admission
from adapters.telegram.intake.dedupe import RecentUpdates
from adapters.telegram.intake.front_door import FrontDoor
from tests.e2e.telegram_harness import BotUnderTest, scripted_bot
from tests.support.fake_telegram import FakeBotAPI

OWNER, STRANGER = 4001, 4002
SPOKEN = b"hello@0.5-0.9 there@1.0-1.3 coach@1.4-1.9"


@pytest.fixture(scope="module")
def private_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotUnderTest]:
    home = tmp_path_factory.mktemp("private")
    with scripted_bot(home, allowed_chats=str(OWNER)) as running:
        yield running


def _events(bot: BotUnderTest) -> int:
    return int(httpx.get(f"{bot.url}/readyz", timeout=10).json()["events"])


def test_a_private_bot_ignores_every_other_chat_entirely(private_bot: BotUnderTest):
    bot = private_bot
    events_before = _events(bot)
    for text in ("/start", "/practice", "/history", "/settings", "/progress", "hello"):
        assert bot.say(STRANGER, text).status_code == 200
    assert bot.post(bot.fake.callback_update(STRANGER, "mode:ielts_part2", 1)).status_code == 200
    assert (
        bot.post(bot.fake.voice_update(STRANGER, bot.fake.add_file(SPOKEN), duration=3)).status_code
        == 200
    )
    bot.say(OWNER, "/help")  # the owner is answered, so the stranger's updates had their turn
    bot.wait_text(OWNER, "How it works")
    stranger_calls = [
        call for call in bot.fake.calls if call.chat_id == STRANGER or call.method == "file"
    ]
    assert stranger_calls == [], "no reply, no button answered, no download"
    assert not bot.fake.calls_to("answerCallbackQuery")
    assert not bot.fake.calls_to("getFile")
    assert _events(bot) == events_before, "nothing recorded for a stranger"


def test_a_private_bot_coaches_its_owner(private_bot: BotUnderTest):
    bot = private_bot
    assert (
        bot.post(bot.fake.voice_update(OWNER, bot.fake.add_file(SPOKEN), duration=3)).status_code
        == 200
    )
    assert "hello there coach" in bot.wait_text(OWNER, "Next steps")


def test_long_polling_ignores_other_chats_at_the_dispatcher_too(tmp_path: Path):
    """Polling feeds updates to the dispatcher directly: the same allowlist stands there."""

    async def feed(fake: FakeBotAPI) -> None:
        settings = Settings(SPEECH_COACH_HOME=tmp_path, TELEGRAM_BOT_TOKEN=fake.token,
                            TELEGRAM_API_BASE=fake.base_url)  # fmt: skip
        bot = make_bot(settings)
        # No services: a handler that ran would fail, so only the allowlist can pass this.
        door = FrontDoor(Admission(frozenset({OWNER})), RecentUpdates(), recorder=None)
        dispatcher = build_dispatcher(None, door)  # type: ignore[arg-type]
        try:
            for chat in (STRANGER, OWNER):
                update = Update.model_validate(fake.text_update(chat, "/help"))
                await dispatcher.feed_update(bot, update)
        finally:
            await bot.session.close()

    with FakeBotAPI() as fake:
        asyncio.run(feed(fake))
        assert fake.calls_to("sendMessage", STRANGER) == []
        assert "How it works" in fake.calls_to("sendMessage", OWNER)[0].params["text"]


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotUnderTest]:
    home = tmp_path_factory.mktemp("front")
    with scripted_bot(home, answers_per_hour=1) as running:
        yield running


def test_a_newcomers_start_and_practice_sent_together_are_both_answered_in_order(
    bot: BotUnderTest,
):
    chats = range(4101, 4111)
    pairs = [
        (bot.fake.text_update(c, "/start"), bot.fake.text_update(c, "/practice")) for c in chats
    ]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        posted = list(pool.map(lambda pair: [bot.post(u).status_code for u in pair], pairs))
    assert posted == [[200, 200]] * len(pairs)
    for chat in chats:
        bot.wait_text(chat, "Send your answer as a voice message")
        texts = bot.texts(chat)
        assert len(texts) == 2, f"chat {chat}: {texts}"
        assert "speaking coach" in texts[0], "the welcome comes first, as /start came first"


def test_an_answer_resent_under_a_new_update_id_is_not_counted_against_the_limit(
    bot: BotUnderTest,
):
    chat = 4201
    file = bot.fake.add_file(SPOKEN)
    first = bot.fake.voice_update(chat, file, duration=3)
    assert bot.post(first).status_code == 200
    bot.wait_text(chat, "Next steps")
    resent = {**first, "update_id": first["update_id"] + 1_000_000}
    assert bot.post(resent).status_code == 200
    assert (
        bot.post(bot.fake.voice_update(chat, bot.fake.add_file(SPOKEN), duration=3)).status_code
        == 200
    )
    refusal = bot.wait_text(chat, "this hour")
    assert "You've sent 1 answers this hour" in refusal
    texts = bot.texts(chat)
    assert sum("this hour" in t for t in texts) == 1, "the resend was not refused, the new one was"
    assert sum("Next steps" in t for t in texts) == 1, "the resend was not coached twice"


def test_a_button_pressed_while_the_bot_was_away_still_gets_its_reply(bot: BotUnderTest):
    chat = 4401
    bot.say(chat, "/start")
    bot.wait_text(chat, "What are you practising for?")
    pressed = bot.fake.callback_update(chat, "mode:ielts_part2", message_id=1)
    pressed["callback_query"]["id"] = "too-old-to-answer"  # Telegram no longer knows it
    assert bot.post(pressed).status_code == 200
    assert "Mode set to <b>IELTS Part 2" in bot.wait_text(chat, "Mode set to")
