"""A fake Telegram Bot API server that the real aiogram client talks to over real HTTP.

It listens on 127.0.0.1 (a free port) in its own thread, answers methods at
`{base_url}/bot{token}/{method}` and serves files at `{base_url}/file/bot{token}/{file_path}`,
with the JSON Telegram sends: `{"ok": true, "result": ...}` or `{"ok": false, "error_code",
"description", "parameters"}`, so aiogram's own types and exceptions apply unchanged.

    with FakeBotAPI() as fake:
        api = TelegramAPIServer.from_base(fake.base_url)
        bot = Bot(fake.token, session=AiohttpSession(api=api))
        # or run the app with TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE=fake.base_url
        answer = fake.add_file(ogg_bytes)  # FileRef(file_id, file_unique_id, file_size, file_path)
        update = fake.voice_update(42, answer, duration=45)  # Update JSON to post to the webhook
        fake.text_update(42, "/start")
        fake.callback_update(42, "mode:ielts_part2", message_id=3)
        sent = fake.wait_for("sendMessage", chat_id=42, count=2)  # list[Call], in order
        png = fake.calls_to("sendPhoto", 42)[0].files["photo"]
        fake.messages_in(42)  # the bot's messages as the learner sees them now, after edits
        fake.fail_next("sendMessage", status=429, retry_after=1)  # aiogram: TelegramRetryAfter
        fake.fail_next("sendMessage", status=500, matching="Next steps")  # only such a text
        held = fake.hold_next("sendMessage", matching="Next steps")  # a request in flight
        held.arrived.wait(30); ...; held.release()
        fake.push_update(update)  # queue it for getUpdates (long polling, offset semantics)

Methods: getMe, sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage,
sendChatAction, sendPhoto, sendDocument, answerCallbackQuery, getFile, setWebhook, deleteWebhook,
getWebhookInfo, setMyCommands, getUpdates (names case-insensitive, like Telegram). Another
method: 404; another token: 401. File download of an unknown path: 404. Uploads up to 50 MB.

It refuses what Telegram refuses, with Telegram's wording (all 400 "Bad Request: ..."):
parse_mode=HTML that does not parse (unknown tag, stray `<`, unclosed tag), a text over 4096
characters or empty, an edit that changes nothing ("message is not modified"), editing or
deleting a message it never sent, a photo that is not PNG/JPEG, a chat action it does not know,
a callback query answered twice or never issued, a non-HTTPS webhook URL; getUpdates while a
webhook is set is 409.

Recording: `calls` lists every request in order (failed ones too, with their `status`; file
downloads as method "file" with params {"file_path"}). `calls_to` and `wait_for` filter by method,
chat_id and optionally `ok=True` (success only); `wait_for` blocks on a condition variable and
on timeout raises AssertionError listing every call seen. Message ids count up per chat and are
shared by the learner's updates and the bot's replies, as in a private chat.
"""

from tests.support.fake_telegram.api import DEFAULT_TOKEN, FakeBotAPI
from tests.support.fake_telegram.records import Call, FileRef

__all__ = ["DEFAULT_TOKEN", "Call", "FakeBotAPI", "FileRef"]
