"""One status message per answer, edited as the stages finish ("transcribing…", "scoring…")."""

from __future__ import annotations

import contextlib
import threading
from uuid import UUID

from aiogram import Bot
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
    """Progress (see application.ports) that edits the learner's status message."""

    def __init__(self, bot: Bot, bridge: LoopBridge) -> None:
        self.bot, self.bridge = bot, bridge
        self._where: dict[tuple[UUID, int], tuple[int, int]] = {}
        self._lock = threading.Lock()

    def register(self, session_id: UUID, attempt: int, chat_id: int, message_id: int) -> None:
        with self._lock:
            self._where[(session_id, attempt)] = (chat_id, message_id)

    def __call__(self, stage: str, message: AttemptMessage | None = None) -> None:
        if message is None or stage not in STAGE_TEXT:
            return
        self.show(message.session_id, message.attempt, STAGE_TEXT[stage])

    def show(self, session_id: UUID, attempt: int, text: str, *, final: bool = False) -> None:
        with self._lock:
            where = self._where.pop if final else self._where.get
            found = where((session_id, attempt), None)
        if found is None:
            return
        chat_id, message_id = found
        # A status line is a courtesy: failing to edit it must not fail the answer.
        with contextlib.suppress(TelegramAPIError, TimeoutError):
            self.bridge.run(
                self.bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id)
            )
