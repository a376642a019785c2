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

from adapters.telegram.intake.answers import CHANNEL, telegram_chat
from adapters.telegram.outputs.bridge import LoopBridge
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
        chat_id, message_id = self._where_is(message.session_id, message.attempt)
        if chat_id is None:  # not a Telegram answer
            return
        if message_id is not None:
            self._edit(chat_id, message_id, STAGE_TEXT[stage])
            return
        # A status line is a courtesy: failing to send it must not fail the answer.
        with contextlib.suppress(TelegramAPIError, TimeoutError):
            self.bridge.run(self.bot.send_chat_action(chat_id, ChatAction.TYPING))
            sent = self.bridge.run(self.bot.send_message(chat_id=chat_id, text=STAGE_TEXT[stage]))
            with self._lock:
                self._where[(message.session_id, message.attempt)] = (chat_id, sent.message_id)
            self.app().record_receipt(
                message.session_id, message.attempt, CHANNEL, str(sent.message_id)
            )

    def show(self, session_id: UUID, attempt: int, text: str) -> None:
        """Edit the answer's status message, if it has one."""
        chat_id, message_id = self._where_is(session_id, attempt)
        if chat_id is not None and message_id is not None:
            self._edit(chat_id, message_id, text)

    def forget(self, session_id: UUID, attempt: int) -> None:
        """The answer is finished: its status message will not change again."""
        with self._lock:
            self._where.pop((session_id, attempt), None)

    def _edit(self, chat_id: int, message_id: int, text: str) -> None:
        with contextlib.suppress(TelegramAPIError, TimeoutError):
            self.bridge.run(
                self.bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id)
            )

    def _where_is(self, session_id: UUID, attempt: int) -> tuple[int | None, int | None]:
        """The attempt's chat (None: not a Telegram answer) and its status message (None:
        none sent yet), from memory, else from the recorded receipt (one session read)."""
        with self._lock:
            found = self._where.get((session_id, attempt))
        if found is not None:
            return found
        app = self.app()
        session = app.get_session(session_id)
        chat_id = telegram_chat(app, session.learner_id)
        receipt = session.attempts[attempt].receipt
        if chat_id is None or receipt is None:
            return chat_id, None
        with self._lock:
            self._where[(session_id, attempt)] = (chat_id, int(receipt))
        return chat_id, int(receipt)
