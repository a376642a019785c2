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
from adapters.telegram.intake import CHANNEL, telegram_chat
from application.bus import AttemptMessage
from application.coaching import CoachingApp

STAGE_TEXT = {
    "decoding": "🎧 Got your answer. Listening…",
    "transcribing": "✍️ Transcribing…",
    "scoring": "📏 Measuring pace, pauses and fillers…",
    "writing feedback": "📝 Writing your feedback…",
}


class StatusMessages:
    """Progress (see application.ports) that shows the learner how far their answer got.

    The status message is recorded (ReceiptSent), so a worker started again after a crash
    edits the message the learner already has instead of sending a second one.
    `app` gives the application once it is built (it is built with this as its progress).
    """

    def __init__(self, bot: Bot, bridge: LoopBridge, app: Callable[[], CoachingApp]) -> None:
        self.bot, self.bridge, self.app = bot, bridge, app
        self._where: dict[tuple[UUID, int], tuple[int, int]] = {}
        self._lock = threading.Lock()

    def __call__(self, stage: str, message: AttemptMessage | None = None) -> None:
        if message is None or stage not in STAGE_TEXT:
            return
        if self._find(message.session_id, message.attempt) is not None:
            self.show(message.session_id, message.attempt, STAGE_TEXT[stage])
            return
        app = self.app()
        chat_id = telegram_chat(app, app.get_session(message.session_id).learner_id)
        if chat_id is None:
            return
        # A status line is a courtesy: failing to send it must not fail the answer.
        with contextlib.suppress(TelegramAPIError, TimeoutError):
            self.bridge.run(self.bot.send_chat_action(chat_id, ChatAction.TYPING))
            sent = self.bridge.run(self.bot.send_message(chat_id=chat_id, text=STAGE_TEXT[stage]))
            with self._lock:
                self._where[(message.session_id, message.attempt)] = (chat_id, sent.message_id)
            app.record_receipt(message.session_id, message.attempt, CHANNEL, str(sent.message_id))

    def show(self, session_id: UUID, attempt: int, text: str) -> None:
        """Edit the answer's status message, if it has one."""
        found = self._find(session_id, attempt)
        if found is None:
            return
        chat_id, message_id = found
        with contextlib.suppress(TelegramAPIError, TimeoutError):
            self.bridge.run(
                self.bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id)
            )

    def forget(self, session_id: UUID, attempt: int) -> None:
        """The answer is finished: its status message will not change again."""
        with self._lock:
            self._where.pop((session_id, attempt), None)

    def _find(self, session_id: UUID, attempt: int) -> tuple[int, int] | None:
        """The (chat, message) of the attempt's status message, if it has one."""
        with self._lock:
            found = self._where.get((session_id, attempt))
        if found is not None:
            return found
        app = self.app()
        session = app.get_session(session_id)
        receipt = session.attempts[attempt].receipt
        chat_id = telegram_chat(app, session.learner_id) if receipt else None
        if receipt is None or chat_id is None:
            return None
        with self._lock:
            self._where[(session_id, attempt)] = (chat_id, int(receipt))
        return chat_id, int(receipt)
