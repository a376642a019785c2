"""One status message per answer, edited as the stages finish ("transcribing…", "scoring…").

The workers send it when they start on an answer (with a chat action), so the webhook's
acknowledgement does no Telegram call of its own.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from uuid import UUID

from aiogram import Bot
from aiogram.enums import ChatAction
from aiogram.exceptions import TelegramAPIError

from adapters.telegram.bridge import LoopBridge
from application.bus import AttemptMessage

STAGE_TEXT = {
    "decoding": "🎧 Got your answer. Listening…",
    "transcribing": "✍️ Transcribing…",
    "scoring": "📏 Measuring pace, pauses and fillers…",
    "writing feedback": "📝 Writing your feedback…",
}


class StatusMessages:
    """Progress (see application.ports) that shows the learner how far their answer got.

    `chat_of` names the Telegram chat of a session (None: not a Telegram answer).
    """

    def __init__(self, bot: Bot, bridge: LoopBridge, chat_of: Callable[[UUID], int | None]) -> None:
        self.bot, self.bridge, self.chat_of = bot, bridge, chat_of
        self._where: dict[tuple[UUID, int], tuple[int, int]] = {}
        self._lock = threading.Lock()

    def __call__(self, stage: str, message: AttemptMessage | None = None) -> None:
        if message is None or stage not in STAGE_TEXT:
            return
        with self._lock:
            shown = (message.session_id, message.attempt) in self._where
        if shown:
            self.show(message.session_id, message.attempt, STAGE_TEXT[stage])
            return
        chat_id = self.chat_of(message.session_id)
        if chat_id is None:
            return
        # A status line is a courtesy: failing to send it must not fail the answer.
        with contextlib.suppress(TelegramAPIError, TimeoutError):
            self.bridge.run(self.bot.send_chat_action(chat_id, ChatAction.TYPING))
            sent = self.bridge.run(self.bot.send_message(chat_id=chat_id, text=STAGE_TEXT[stage]))
            with self._lock:
                self._where[(message.session_id, message.attempt)] = (chat_id, sent.message_id)

    def show(self, session_id: UUID, attempt: int, text: str, *, final: bool = False) -> None:
        """Edit the answer's status message, if it has one; `final` forgets it afterwards."""
        with self._lock:
            where = self._where.pop if final else self._where.get
            found = where((session_id, attempt), None)
        if found is None:
            return
        chat_id, message_id = found
        with contextlib.suppress(TelegramAPIError, TimeoutError):
            self.bridge.run(
                self.bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id)
            )
