"""`speech-coach`'s webhook app served by uvicorn on 127.0.0.1, talking to the fake Bot API.

Tests POST real Update JSON (as Telegram sends it) to the running webhook, and read what the
bot did from the fake's recorded calls.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from adapters.settings import Settings
from adapters.telegram.edge.webhook import SECRET_HEADER, create_app
from tests.support.fake_telegram import FakeBotAPI

SECRET = "test-secret-3f9a"  # noqa: S105 - a test fixture, not a credential


@dataclass
class BotUnderTest:
    fake: FakeBotAPI
    url: str
    settings: Settings
    app: FastAPI

    def post(self, update: dict[str, Any], secret: str | None = SECRET) -> httpx.Response:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        return httpx.post(f"{self.url}/telegram/webhook", json=update, headers=headers, timeout=30)

    def say(self, chat_id: int, text: str) -> httpx.Response:
        return self.post(self.fake.text_update(chat_id, text))

    def press(self, chat_id: int, data: str) -> httpx.Response:
        shown = self.fake.messages_in(chat_id)
        message_id = int(shown[-1]["message_id"]) if shown else 1
        return self.post(self.fake.callback_update(chat_id, data, message_id))

    def send_voice(self, chat_id: int, audio: Path, kind: str = "voice") -> httpx.Response:
        file = self.fake.add_file(audio.read_bytes())
        return self.post(self.fake.voice_update(chat_id, file, duration=10, kind=kind))

    def texts(self, chat_id: int) -> list[str]:
        return self.fake.texts_in(chat_id)

    def wait_text(self, chat_id: int, needle: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for text in self.texts(chat_id):
                if needle in text:
                    return text
            time.sleep(0.1)
        raise AssertionError(f"no message with {needle!r} in chat {chat_id}: {self.texts(chat_id)}")


@contextmanager
def running_bot(home: Path, **overrides: Any) -> Iterator[BotUnderTest]:
    with FakeBotAPI() as fake:
        settings = Settings(
            SPEECH_COACH_HOME=home,
            TELEGRAM_BOT_TOKEN=fake.token,
            TELEGRAM_WEBHOOK_SECRET=SECRET,
            TELEGRAM_API_BASE=fake.base_url,
            SPEECH_COACH_ANSWERS_PER_HOUR=overrides.pop("answers_per_hour", 30),
            TELEGRAM_ALLOWED_CHATS=overrides.pop("allowed_chats", ""),
            SPEECH_COACH_DELIVERY_GIVE_UP_S=overrides.pop("delivery_give_up_s", 86_400),
            DATABASE_URL=overrides.pop("database_url", None),
            SPEECH_COACH_POSTGRES_SCHEMA=overrides.pop("postgres_schema", "public"),
            REDIS_URL=overrides.pop("redis_url", None),
            SPEECH_COACH_RECONCILE_AFTER_S=overrides.pop("reconcile_after_s", 300.0),
        )
        app = create_app(settings, overrides.pop("workers", None), **overrides)
        server = uvicorn.Server(
            uvicorn.Config(
                app,
                host="127.0.0.1",
                port=0,
                log_level="warning",
                lifespan="on",
            )
        )
        thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the webhook server did not start")
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        try:
            yield BotUnderTest(fake, f"http://127.0.0.1:{port}", settings, app)
        finally:
            server.should_exit = True
            thread.join(timeout=60)


@contextmanager
def scripted_bot(home: Path, **overrides: Any) -> Iterator[BotUnderTest]:
    """`running_bot` with scripted audio and speech at the ports: a "recording" is a text of
    timed words (tests.support.fakes), so answers are coached in milliseconds."""
    from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText

    overrides = {"decoder": ScriptedDecoder(), "stt": ScriptedSpeechToText(), **overrides}
    with running_bot(home, **overrides) as running:
        yield running
