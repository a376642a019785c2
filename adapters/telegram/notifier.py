"""The last step: tell the learner the outcome, then record FeedbackDelivered."""

from __future__ import annotations

from uuid import UUID

from aiogram import Bot

from adapters.telegram import render
from adapters.telegram.bridge import LoopBridge
from adapters.telegram.intake import CHANNEL, telegram_chat
from adapters.telegram.status import StatusMessages
from application.bus import AttemptMessage
from application.coaching import CoachingApp
from domain.session import Stage
from projections.views import PracticeViews


class TelegramNotifier:
    def __init__(
        self,
        app: CoachingApp,
        bot: Bot,
        bridge: LoopBridge,
        status: StatusMessages,
        views: PracticeViews,
    ) -> None:
        self.app, self.bot, self.bridge, self.status = app, bot, bridge, status
        self.views = views

    def __call__(self, message: AttemptMessage) -> None:
        session = self.app.get_session(message.session_id)
        attempt = session.attempts[message.attempt]
        chat_id = telegram_chat(self.app, session.learner_id)
        if attempt.delivered or chat_id is None:
            return
        if attempt.stage is Stage.FAILED and attempt.failure is not None:
            texts = [
                render.failure_message(attempt.failure["reason_code"], attempt.failure["message"])
            ]
            self.status.show(message.session_id, message.attempt, "⚠️ I could not score this one.",
                             final=True)  # fmt: skip
        elif attempt.feedback is not None and attempt.transcript is not None:
            texts = render.feedback_messages(
                session.prompt_text, session.mode, attempt.transcript, attempt.feedback
            )
            self.status.show(message.session_id, message.attempt, "✅ Done.", final=True)
            texts += self._comparison(session.learner_id, message)
        else:
            return
        sent = None
        for text in texts:
            sent = self.bridge.run(self.bot.send_message(chat_id=chat_id, text=text))
        self.app.mark_delivered(
            message.session_id, message.attempt, CHANNEL, str(sent.message_id if sent else "")
        )

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
