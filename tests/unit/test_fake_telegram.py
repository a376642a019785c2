"""The fake Bot API answers the real aiogram client the way Telegram does, over real HTTP."""

from __future__ import annotations

import asyncio
import json
import struct
import threading
import urllib.error
import urllib.request
import zlib
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup, Update
from aiohttp import ClientResponseError

from tests.support.fake_telegram import FakeBotAPI

T = TypeVar("T")
OTHER_TOKEN = "987654321:AAsomeoneElsesToken"  # noqa: S105 (made up)
SECRET = "s3cret"  # noqa: S105 (made up)


class LocalSession(AiohttpSession):
    """aiogram waits 250 ms on close for TLS shutdown; plain HTTP to 127.0.0.1 has none."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def with_bot(
    fake: FakeBotAPI, scenario: Callable[[Bot], Awaitable[T]], token: str | None = None
) -> T:
    async def main() -> T:
        session = LocalSession(api=TelegramAPIServer.from_base(fake.base_url))
        async with Bot(token or fake.token, session=session) as bot:
            return await scenario(bot)

    return asyncio.run(main())


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as server:
        yield server


def test_get_me_names_the_bot_that_owns_the_token(fake: FakeBotAPI) -> None:
    me = with_bot(fake, lambda bot: bot.get_me())
    assert me.is_bot
    assert me.id == int(fake.token.split(":")[0])


def test_message_ids_count_up_per_chat_and_share_the_chat_with_the_learner(
    fake: FakeBotAPI,
) -> None:
    async def scenario(bot: Bot) -> list[tuple[int, int]]:
        first = await bot.send_message(7, "hello")
        other = await bot.send_message(8, "hello")
        learner = fake.text_update(7, "hi")["message"]["message_id"]
        second = await bot.send_message(7, "again")
        return [(first.message_id, learner), (learner, second.message_id), (other.message_id, 0)]

    (first, learner), (_, second), (other, _) = with_bot(fake, scenario)
    assert first < learner < second
    assert other == first


def test_html_text_comes_back_as_plain_text_with_entities(fake: FakeBotAPI) -> None:
    sent = with_bot(
        fake, lambda bot: bot.send_message(7, "<b>Score</b> 4 &amp; up", parse_mode="HTML")
    )
    assert sent.text == "Score 4 & up"
    assert sent.entities is not None
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 5)]


@pytest.mark.parametrize("text", ["you said <um> twice", "2 < 3", "<b>open", "<b><i>x</b></i>"])
def test_html_telegram_cannot_parse_is_refused(fake: FakeBotAPI, text: str) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        with_bot(fake, lambda bot: bot.send_message(7, text, parse_mode="HTML"))


def test_a_message_over_4096_characters_is_refused(fake: FakeBotAPI) -> None:
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        with_bot(fake, lambda bot: bot.send_message(7, "a" * 4097))


def test_an_edit_changes_what_the_learner_sees(fake: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        status = await bot.send_message(7, "transcribing…")
        await bot.edit_message_text("scoring…", chat_id=7, message_id=status.message_id)

    with_bot(fake, scenario)
    assert [m["text"] for m in fake.messages_in(7)] == ["scoring…"]
    assert fake.calls_to("editMessageText", 7)[0].params["message_id"] == 1


def test_an_edit_that_changes_nothing_is_refused_as_not_modified(fake: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        status = await bot.send_message(7, "scoring…")
        await bot.edit_message_text("scoring…", chat_id=7, message_id=status.message_id)

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        with_bot(fake, scenario)


def test_editing_a_message_the_bot_never_sent_is_refused(fake: FakeBotAPI) -> None:
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        with_bot(fake, lambda bot: bot.edit_message_text("x", chat_id=7, message_id=99))


def test_a_deleted_message_disappears_and_cannot_be_deleted_twice(fake: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(7, "temporary")
        await bot.send_message(7, "kept")
        assert await bot.delete_message(7, sent.message_id)
        await bot.delete_message(7, sent.message_id)

    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        with_bot(fake, scenario)
    assert [m["text"] for m in fake.messages_in(7)] == ["kept"]


def test_an_inline_keyboard_arrives_as_json_and_comes_back_on_the_message(fake: FakeBotAPI) -> None:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="IELTS", callback_data="mode:ielts_part2")]]
    )
    sent = with_bot(fake, lambda bot: bot.send_message(7, "Choose", reply_markup=keyboard))
    markup = fake.calls_to("sendMessage", 7)[0].params["reply_markup"]
    assert markup["inline_keyboard"][0][0]["callback_data"] == "mode:ielts_part2"
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == keyboard.model_dump()


def test_removing_the_keyboard_after_a_choice_leaves_the_text(fake: FakeBotAPI) -> None:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Free talk", callback_data="mode:free_talk")]]
    )

    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(7, "Choose a mode", reply_markup=keyboard)
        await bot.edit_message_reply_markup(chat_id=7, message_id=sent.message_id)

    with_bot(fake, scenario)
    [shown] = fake.messages_in(7)
    assert shown["text"] == "Choose a mode"
    assert "reply_markup" not in shown


def test_photo_bytes_arrive_intact_and_can_be_fetched_back(fake: FakeBotAPI) -> None:
    chart = png(64, 48)
    sent = with_bot(
        fake,
        lambda bot: bot.send_photo(7, BufferedInputFile(chart, "progress.png"), caption="Pace"),
    )
    assert fake.calls_to("sendPhoto", 7)[0].files["photo"] == chart
    assert sent.photo is not None
    assert (sent.photo[-1].width, sent.photo[-1].height) == (64, 48)
    assert fake.file_bytes(sent.photo[-1].file_id) == chart
    assert sent.caption == "Pace"


def test_a_photo_that_is_not_an_image_is_refused(fake: FakeBotAPI) -> None:
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        with_bot(fake, lambda bot: bot.send_photo(7, BufferedInputFile(b"not a png", "x.png")))


def test_a_document_keeps_its_name_and_bytes(fake: FakeBotAPI) -> None:
    report = b"date,score\n2024-05-01,3.5\n"
    sent = with_bot(
        fake, lambda bot: bot.send_document(7, BufferedInputFile(report, "history.csv"))
    )
    assert sent.document is not None
    assert sent.document.file_name == "history.csv"
    assert fake.calls_to("sendDocument", 7)[0].files["document"] == report


def test_chat_actions_are_recorded_and_unknown_ones_refused(fake: FakeBotAPI) -> None:
    assert with_bot(fake, lambda bot: bot.send_chat_action(7, "typing"))
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        with_bot(fake, lambda bot: bot.send_chat_action(7, "thinking"))
    assert [c.params["action"] for c in fake.calls_to("sendChatAction", 7)] == [
        "typing",
        "thinking",
    ]


def test_a_button_press_can_be_answered_once(fake: FakeBotAPI) -> None:
    update = Update.model_validate(fake.callback_update(7, "mode:free_talk", message_id=3))
    assert update.callback_query is not None
    query_id = update.callback_query.id
    assert with_bot(fake, lambda bot: bot.answer_callback_query(query_id, text="Free talk"))
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        with_bot(fake, lambda bot: bot.answer_callback_query(query_id))


def test_a_registered_file_downloads_as_the_same_bytes(fake: FakeBotAPI) -> None:
    recording = b"OggS" + bytes(range(256)) * 40
    ref = fake.add_file(recording)

    async def scenario(bot: Bot) -> tuple[str | None, bytes]:
        found = await bot.get_file(ref.file_id)
        downloaded = await bot.download(ref.file_id)
        assert downloaded is not None
        return found.file_path, downloaded.read()

    path, data = with_bot(fake, scenario)
    assert path == ref.file_path
    assert data == recording
    assert fake.calls_to("file")[0].params == {"file_path": ref.file_path}


def test_an_unknown_file_id_is_a_bad_request(fake: FakeBotAPI) -> None:
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        with_bot(fake, lambda bot: bot.get_file("AwACAgIAAxkBAAnotthere"))


def test_downloading_an_unknown_path_is_not_found(fake: FakeBotAPI) -> None:
    with pytest.raises(ClientResponseError) as raised:
        with_bot(fake, lambda bot: bot.download_file("voice/file_404.oga"))
    assert raised.value.status == 404


def test_another_token_is_unauthorized(fake: FakeBotAPI) -> None:
    with pytest.raises(TelegramUnauthorizedError):
        with_bot(fake, lambda bot: bot.get_me(), token=OTHER_TOKEN)
    assert fake.calls_to("getMe")[0].status == 401


def test_a_throttled_call_raises_retry_after_and_the_next_one_succeeds(fake: FakeBotAPI) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as raised:
        with_bot(fake, lambda bot: bot.send_message(7, "feedback"))
    assert raised.value.retry_after == 7
    with_bot(fake, lambda bot: bot.send_message(7, "feedback"))
    assert [c.status for c in fake.calls_to("sendMessage", 7)] == [429, 200]
    assert len(fake.calls_to("sendMessage", 7, ok=True)) == 1


def test_an_unknown_method_is_not_found_as_telegram_says_it(fake: FakeBotAPI) -> None:
    url = f"{fake.base_url}/bot{fake.token}/sendHologram"
    request = urllib.request.Request(url, data=b"")  # noqa: S310 (the fake's own http URL)
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310
    assert raised.value.code == 404
    assert json.loads(raised.value.read()) == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found",
    }


def test_get_updates_offset_confirms_and_forgets_earlier_updates(fake: FakeBotAPI) -> None:
    sent = [fake.text_update(7, f"answer {n}") for n in range(3)]
    for update in sent:
        fake.push_update(update)
    ids = [u["update_id"] for u in sent]

    async def scenario(bot: Bot) -> list[list[int]]:
        batches = [
            await bot.get_updates(),
            await bot.get_updates(offset=ids[1]),
            await bot.get_updates(),
            await bot.get_updates(offset=ids[2] + 1),
        ]
        return [[u.update_id for u in batch] for batch in batches]

    assert with_bot(fake, scenario) == [ids, ids[1:], ids[1:], []]


def test_a_long_poll_returns_an_update_pushed_while_it_waits(fake: FakeBotAPI) -> None:
    update = fake.voice_update(7, fake.add_file(b"OggS"), duration=45)

    async def scenario(bot: Bot) -> list[Update]:
        asyncio.get_running_loop().call_later(0.1, fake.push_update, update)
        return await bot.get_updates(timeout=10)

    received = with_bot(fake, scenario)
    assert [u.update_id for u in received] == [update["update_id"]]


def test_polling_while_a_webhook_is_set_is_a_conflict(fake: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        await bot.set_webhook("https://coach.example/telegram/webhook", secret_token=SECRET)
        await bot.get_updates()

    with pytest.raises(TelegramConflictError):
        with_bot(fake, scenario)
    assert fake.webhook["secret_token"] == SECRET
    assert with_bot(fake, lambda bot: bot.delete_webhook(drop_pending_updates=True))
    assert with_bot(fake, lambda bot: bot.get_updates()) == []


def test_a_webhook_url_without_https_is_refused(fake: FakeBotAPI) -> None:
    with pytest.raises(TelegramBadRequest, match="HTTPS URL"):
        with_bot(fake, lambda bot: bot.set_webhook("http://coach.example/telegram/webhook"))


def test_twenty_learners_at_once_each_get_their_own_messages(fake: FakeBotAPI) -> None:
    chats = range(1001, 1021)

    async def scenario(bot: Bot) -> None:
        async def learner(chat_id: int) -> None:
            await bot.send_message(chat_id, f"status for {chat_id}")
            await bot.send_message(chat_id, f"feedback for {chat_id}")

        await asyncio.gather(*(learner(chat_id) for chat_id in chats))

    with_bot(fake, scenario)
    assert len(fake.calls_to("sendMessage")) == 40
    for chat_id in chats:
        shown = fake.messages_in(chat_id)
        assert [m["text"] for m in shown] == [f"status for {chat_id}", f"feedback for {chat_id}"]
        assert len({m["message_id"] for m in shown}) == 2


def test_wait_for_wakes_when_the_call_arrives_from_another_thread(fake: FakeBotAPI) -> None:
    sender = threading.Thread(target=with_bot, args=(fake, lambda bot: bot.send_message(7, "hi")))
    sender.start()
    try:
        arrived = fake.wait_for("sendMessage", chat_id=7, timeout=10)
    finally:
        sender.join()
    assert arrived[0].params["text"] == "hi"


def test_wait_for_gives_up_listing_the_calls_it_saw(fake: FakeBotAPI) -> None:
    with_bot(fake, lambda bot: bot.send_message(7, "only text"))
    with pytest.raises(AssertionError, match="sendMessage"):
        fake.wait_for("sendPhoto", chat_id=7, timeout=0.2)


@pytest.mark.parametrize("kind", ["voice", "audio", "video_note", "document"])
def test_audio_updates_are_updates_aiogram_reads(fake: FakeBotAPI, kind: Any) -> None:
    ref = fake.add_file(b"OggS" * 10)
    update = Update.model_validate(fake.voice_update(7, ref, duration=45, kind=kind))
    assert update.message is not None
    media = getattr(update.message, kind)
    assert media.file_id == ref.file_id
    assert media.file_size == 40
    assert update.message.from_user is not None
    assert not update.message.from_user.is_bot


def test_a_command_update_marks_the_command_as_an_entity(fake: FakeBotAPI) -> None:
    update = Update.model_validate(fake.text_update(7, "/practice ielts_part2", first_name="Ada"))
    assert update.message is not None
    assert update.message.entities is not None
    command = update.message.entities[0]
    assert (command.type, command.offset, command.length) == ("bot_command", 0, 9)
    assert update.message.chat.first_name == "Ada"
