"""The last step: tell the learner the outcome, part by part, then record FeedbackDelivered.

Telegram has no idempotency key: a worker killed between Telegram taking a message and our
record of it would send that message again when the step is run again. So each part is
delivered in two moves: a short placeholder is sent and recorded (FeedbackPartOpened),
then the placeholder is edited into the part, and that is recorded (FeedbackPartSent).
An edit can be repeated safely ("message is not modified"), so a step run again fills
the message already opened; a crash in the same narrow window now leaves at most one
stray placeholder, never a second copy of the feedback.

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
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar
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
T = TypeVar("T")
FIRST_PAUSE_S, LONGEST_PAUSE_S = 2.0, 300.0
NOT_MODIFIED = "message is not modified"
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
        last = ""
        for part, text in enumerate(texts, start=1):
            if part in attempt.sent_parts:
                last = attempt.sent_parts[part]
                continue
            opened = attempt.opened_parts.get(part) or self._open(
                message, chat_id, part, len(texts)
            )
            if opened is None or not self._fill(message, chat_id, opened, text):
                return  # the delivery ended for good, or goes on later
            sent = (message.session_id, message.attempt, part, CHANNEL, opened)
            self._record(message, f"part {part} as sent", partial(self.app.record_part_sent, *sent))
            last = opened
        self._tries.pop((message.session_id, message.attempt), None)
        self.status.forget(message.session_id, message.attempt)
        self.app.mark_delivered(message.session_id, message.attempt, CHANNEL, last)

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

    def _open(self, message: AttemptMessage, chat_id: int, part: int, parts: int) -> str | None:
        """Send the placeholder that will carry `part` and record it: its message id, or
        None when the delivery ended or goes on later."""
        sent = self._call(
            message, self.bot.send_message(chat_id=chat_id, text=render.placeholder(part, parts))
        )
        if sent is None:
            return None
        message_id = str(sent.message_id)
        opened = (message.session_id, message.attempt, part, CHANNEL, message_id)
        self._record(message, f"the message for part {part}",
                     partial(self.app.record_part_opened, *opened))  # fmt: skip
        return message_id

    def _fill(self, message: AttemptMessage, chat_id: int, message_id: str, text: str) -> bool:
        """Edit the opened message into the part's text: whether it now says it."""
        return self._call(message, self._edit(chat_id, int(message_id), text)) is not None

    async def _edit(self, chat_id: int, message_id: int, text: str) -> bool:
        """An edit repeated after a crash finds the message saying it already: done."""
        try:
            await self.bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id)
        except TelegramBadRequest as refused:
            if NOT_MODIFIED not in refused.message:
                raise
        return True

    def _call(self, message: AttemptMessage, call: Coroutine[Any, Any, T]) -> T | None:
        """Make one Bot API call: its result, or None when the delivery ended or was put off."""
        try:
            return self.bridge.run(call)
        except TelegramForbiddenError:
            self._end(message, "chat_blocked", "The learner blocked the bot or left the chat.")
        except TelegramBadRequest as refused:
            self._end(message, "telegram_refused", f"Telegram refused it: {refused.message}")
        except TelegramRetryAfter as busy:
            self._later_or_end(message, float(busy.retry_after), "Telegram asked us to wait")
        except (TelegramAPIError, TelegramNetworkError, TimeoutError) as error:
            self._later_or_end(message, None, type(error).__name__)
        return None

    def _record(self, message: AttemptMessage, what: str, record: Callable[[], None]) -> None:
        """What is in the learner's chat must be recorded: a step that failed here would be
        run again and send it twice. A database that is restarting is waited for, up to
        `record_patience_s` (shorter than the time after which another worker takes the
        step over), instead of failing the step."""
        deadline = time.monotonic() + self.record_patience_s
        pause_s = 0.2
        while True:
            try:
                record()
            except SessionStateError:
                raise
            except Exception as error:
                if time.monotonic() + pause_s > deadline:
                    raise
                _log.warning("recording %s for %s failed (%s); trying again",
                             what, message, error)  # fmt: skip
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
