"""FakeBotAPI: the one object a test holds (see the package docstring for how to use it)."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from tests.support.fake_telegram import updates
from tests.support.fake_telegram.faults import Faults, Hold
from tests.support.fake_telegram.records import Call, CallLog, FileRef
from tests.support.fake_telegram.server import FakeServer
from tests.support.fake_telegram.state import BotState

# A made-up token: the fake accepts it and nothing else does.
DEFAULT_TOKEN = "123456789:AAFakeTokenForSpeechCoachTests-0123456"  # noqa: S105


class FakeBotAPI:
    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self._state = BotState(token)
        self._log = CallLog()
        self._faults = Faults()
        self._server = FakeServer(self._state, self._log, self._faults)
        self.base_url = ""

    def start(self) -> Self:
        self._server.start()
        self.base_url = f"http://127.0.0.1:{self._server.port}"
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def bot_id(self) -> int:
        return self._state.bot_id

    @property
    def calls(self) -> list[Call]:
        return self._log.all()

    def calls_to(
        self, method: str, chat_id: int | None = None, *, ok: bool | None = None
    ) -> list[Call]:
        return self._log.select(method, chat_id, ok)

    def shown(self, chat_id: int, needle: str) -> list[str]:
        """The texts of the bot's messages in the chat now (after edits) with `needle`."""
        texts = [str(message.get("text", "")) for message in self.messages_in(chat_id)]
        return [text for text in texts if needle in text]

    def texts_in(self, chat_id: int) -> list[str]:
        """Every text the bot showed in the chat, in order: each message as sent (refused
        ones too) and each edit that changed one."""
        return [
            str(call.params.get("text", ""))
            for call in self._log.all()
            if call.chat_id == chat_id
            and (call.method == "sendMessage" or (call.method == "editMessageText" and call.ok))
        ]

    def wait_for(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        count: int = 1,
        timeout: float = 30,
        ok: bool | None = None,
    ) -> list[Call]:
        return self._log.wait_for(method, chat_id, count, timeout, ok)

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        description: str = "",
        matching: str = "",
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls to `method` fail; with `matching` or `chat_id`, only calls
        whose text holds it, to that chat."""
        self._faults.add(method, status, retry_after, times, description, matching, chat_id)

    def hold_next(self, method: str, matching: str = "", chat_id: int | None = None) -> Hold:
        """Hold the next call to `method` (whose text holds `matching`, to `chat_id`) unanswered
        until the test releases it; a call whose client went away meanwhile is not acted on."""
        return self._faults.hold(method, matching, chat_id)

    def add_file(
        self,
        data: bytes,
        file_unique_id: str | None = None,
        *,
        file_path: str | None = None,
        file_size: int | None = None,
    ) -> FileRef:
        """A file to serve. `file_path=""`: getFile gives none (Telegram may not, for a file
        it cannot serve); `file_size`: what getFile and the update announce instead."""
        return self._state.add_file(data, file_unique_id, file_path, file_size)

    def file_bytes(self, file_id: str) -> bytes:
        """What the bot uploaded or a test registered, e.g. the PNG behind a sendPhoto."""
        with self._state.lock:
            return self._state.files[file_id][1]

    def messages_in(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages as the learner sees them now: after edits, without deleted ones."""
        with self._state.lock:
            shown = [m for (chat, _), m in self._state.messages.items() if chat == chat_id]
        return sorted(shown, key=lambda m: m["message_id"])

    @property
    def webhook(self) -> dict[str, Any]:
        with self._state.lock:
            return dict(self._state.webhook)

    def push_update(self, update: dict[str, Any]) -> None:
        self._state.push_update(update)
        self._server.wake()

    def voice_update(
        self,
        chat_id: int,
        file: FileRef,
        duration: int,
        message_id: int | None = None,
        update_id: int | None = None,
        kind: updates.AudioKind = "voice",
        first_name: str | None = None,
    ) -> dict[str, Any]:
        return updates.voice_update(
            self._state,
            chat_id,
            file,
            duration,
            message_id=message_id,
            update_id=update_id,
            kind=kind,
            first_name=first_name,
        )

    def text_update(
        self,
        chat_id: int,
        text: str,
        message_id: int | None = None,
        update_id: int | None = None,
        first_name: str | None = None,
    ) -> dict[str, Any]:
        return updates.text_update(
            self._state,
            chat_id,
            text,
            message_id=message_id,
            update_id=update_id,
            first_name=first_name,
        )

    def callback_update(
        self,
        chat_id: int,
        data: str,
        message_id: int,
        update_id: int | None = None,
        first_name: str | None = None,
    ) -> dict[str, Any]:
        return updates.callback_update(
            self._state, chat_id, data, message_id, update_id=update_id, first_name=first_name
        )
