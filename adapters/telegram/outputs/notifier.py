"""The last step: tell the learner the outcome, part by part, then record FeedbackDelivered.

Each message sent is recorded (FeedbackPartSent, with Telegram's message id) before the
next is sent, so a retry, or a worker started again after a crash, sends only what is
missing. Telegram has no idempotency key: a crash between Telegram taking a message and
our record of it still sends that one message again.

When Telegram cannot take a message now (429 with retry_after, 5xx, the network), the
delivery is tried again later, as Telegram asks or with a growing pause, without holding
a worker; once the answer is older than `give_up_after_s`, a final DeliveryFailed is
recorded. A chat that blocked the bot (403) or a message Telegram refuses (400) ends at
once: retrying cannot help.
"""

from __future__ import annotations

import logging
import random
import time
from datetime import UTC, datetime
from uuid import UUID

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
)

from adapters.telegram.intake.answers import CHANNEL, telegram_chat
from adapters.telegram.outputs.bridge import LoopBridge
from adapters.telegram.outputs.status import StatusMessages
from adapters.telegram.text import render
from application.bus import AttemptMessage, RetryLaterError
from application.coaching import CoachingApp
from domain.errors import SessionStateError
from domain.session import Attempt, PracticeSession, Stage
from projections.views import PracticeViews

_log = logging.getLogger(__name__)
FIRST_PAUSE_S, LONGEST_PAUSE_S = 2.0, 300.0
DAY_S = 86_400.0


class TelegramNotifier:
    def __init__(
        self,
        app: CoachingApp,
        bot: Bot,
        bridge: LoopBridge,
        status: StatusMessages,
        views: PracticeViews,
        give_up_after_s: float = DAY_S,
        record_patience_s: float = 60.0,
    ) -> None:
        self.app, self.bot, self.bridge, self.status = app, bot, bridge, status
        self.views = views
        self.give_up_after_s, self.record_patience_s = give_up_after_s, record_patience_s
        self._tries: dict[tuple[UUID, int], int] = {}

    def __call__(self, message: AttemptMessage) -> None:
        session = self.app.get_session(message.session_id)
        attempt = session.attempts[message.attempt]
        chat_id = telegram_chat(self.app, session.learner_id)
        if attempt.finished or chat_id is None:
            return
        texts = self._texts(session, attempt, message)
        if not texts:
            return
        if not attempt.sent_parts:
            done = (
                "✅ Done." if attempt.stage is not Stage.FAILED else "⚠️ I could not score this one."
            )
            self.status.show(message.session_id, message.attempt, done)
        last: str | None = ""
        for part, text in enumerate(texts, start=1):
            last = attempt.sent_parts.get(part) or self._send(message, chat_id, part, text)
            if last is None:
                return  # the delivery ended for good
        self._tries.pop((message.session_id, message.attempt), None)
        self.status.forget(message.session_id, message.attempt)
        self.app.mark_delivered(message.session_id, message.attempt, CHANNEL, last or "")

    def _texts(
        self, session: PracticeSession, attempt: Attempt, message: AttemptMessage
    ) -> list[str]:
        if attempt.stage is Stage.FAILED and attempt.failure is not None:
            return [
                render.failure_message(attempt.failure["reason_code"], attempt.failure["message"])
            ]
        if attempt.feedback is not None and attempt.transcript is not None:
            texts = render.feedback_messages(
                session.prompt_text, session.mode, attempt.transcript, attempt.feedback.to_dict()
            )
            return texts + self._comparison(session.learner_id, message)
        return []

    def _send(self, message: AttemptMessage, chat_id: int, part: int, text: str) -> str | None:
        """Send one part and record it: its message id, or None when the delivery ended."""
        try:
            sent = self.bridge.run(self.bot.send_message(chat_id=chat_id, text=text))
        except TelegramForbiddenError:
            self._end(message, "chat_blocked", "The learner blocked the bot or left the chat.")
            return None
        except TelegramBadRequest as refused:
            self._end(message, "telegram_refused", f"Telegram refused it: {refused.message}")
            return None
        except TelegramRetryAfter as busy:
            self._later_or_end(message, float(busy.retry_after), "Telegram asked us to wait")
            return None
        except (TelegramAPIError, TelegramNetworkError, TimeoutError) as error:
            self._later_or_end(message, None, type(error).__name__)
            return None
        message_id = str(sent.message_id)
        self._record_sent(message, part, message_id)
        return message_id

    def _record_sent(self, message: AttemptMessage, part: int, message_id: str) -> None:
        """The part is in the learner's chat, so its record must follow: a step that failed
        here would be run again and send the part twice. A database that is restarting is
        waited for, up to `record_patience_s` (shorter than the time after which another
        worker takes the step over), instead of failing the step."""
        deadline = time.monotonic() + self.record_patience_s
        pause_s = 0.2
        while True:
            try:
                self.app.record_part_sent(
                    message.session_id, message.attempt, part, CHANNEL, message_id
                )
            except SessionStateError:
                raise
            except Exception as error:
                if time.monotonic() + pause_s > deadline:
                    raise
                _log.warning("recording part %d of %s as sent failed (%s); trying again",
                             part, message, error)  # fmt: skip
                time.sleep(pause_s)
                pause_s = min(pause_s * 2, 2.0)
            else:
                return

    def _later_or_end(self, message: AttemptMessage, asked_s: float | None, why: str) -> None:
        """Raise RetryLaterError (after what Telegram asked, or a pause that doubles each
        time), or, when the answer would be older than `give_up_after_s` by then, end."""
        key = (message.session_id, message.attempt)
        tries = self._tries[key] = self._tries.get(key, 0) + 1
        backoff = min(FIRST_PAUSE_S * 2 ** (tries - 1), LONGEST_PAUSE_S)
        jitter = 1 + random.uniform(0, 0.1)  # noqa: S311 - spreads retries, no security role
        pause = (asked_s if asked_s is not None else backoff) * jitter
        if self._age_s(message) + pause > self.give_up_after_s:
            self._end(message, "gave_up", f"Telegram did not take it in time ({why}).")
            return
        raise RetryLaterError(pause, f"delivery not taken ({why})")

    def _age_s(self, message: AttemptMessage) -> float:
        view = self.views.attempt(message.session_id, message.attempt)
        if view is None:
            return 0.0
        received = view.received_at
        if received.tzinfo is None:
            received = received.replace(tzinfo=UTC)
        return (datetime.now(UTC) - received).total_seconds()

    def _end(self, message: AttemptMessage, reason_code: str, why: str) -> None:
        _log.warning("delivery of %s ended: %s", message, why)
        self._tries.pop((message.session_id, message.attempt), None)
        self.status.forget(message.session_id, message.attempt)
        self.app.record_delivery_failure(message.session_id, message.attempt, reason_code, why)

    def _comparison(self, learner_id: UUID, message: AttemptMessage) -> list[str]:
        """After a repeat (/again), how this attempt compares with the last scored one."""
        if message.attempt < 2:
            return []
        self.views.wait(self.app.recorder.max_notification_id() or 0)
        rows = [
            row
            for row in self.views.rows(learner_id)
            if row.session_id == message.session_id and row.outcome == "scored"
        ]
        latest = [row for row in rows if row.attempt == message.attempt]
        earlier = [row for row in rows if row.attempt < message.attempt]
        if not latest or not earlier:
            return []
        return [render.comparison_message(earlier[-1], latest[0])]
