"""What the bot may ask of the read side: history rows and single attempts, never aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from domain.session import Stage
from domain.speech import Transcript
from projections.history import HistoryRow

UNDELIVERABLE = "undeliverable"
FINISHED_STAGES = (Stage.DELIVERED.value, UNDELIVERABLE)  # nothing more will happen to these


@dataclass(frozen=True)
class AttemptView:
    """Everything needed to show one answer again: its prompt, what was heard, what came of it.

    `stage` follows the session's stages ("received", "transcribed", "scored", "delivered",
    "failed"), or "undeliverable" when the outcome can never reach the learner; `feedback`
    is the FeedbackGenerated facts, `failure` the ProcessingFailed ones.
    `learner_id` lets a caller check that an attempt it was asked about is the asker's own.
    """

    session_id: UUID
    attempt: int
    learner_id: UUID
    mode: str
    prompt_id: str
    prompt_text: str
    stage: str
    received_at: datetime
    transcript: Transcript | None = None
    feedback: dict[str, Any] | None = None
    failure: dict[str, Any] | None = None


@dataclass(frozen=True)
class LearnerView:
    """A learner's settings and the prompt their next voice answer belongs to."""

    learner_id: UUID
    mode: str
    level: str
    active_session_id: UUID | None = None
    active_prompt_id: str | None = None


class PracticeViews(Protocol):
    def learner(self, learner_id: UUID) -> LearnerView | None:
        """The learner's settings and active prompt; None before they first wrote to us."""
        ...

    def history(self, learner_id: UUID, limit: int = 10) -> list[HistoryRow]:
        """The learner's latest outcomes, newest last."""
        ...

    def rows(self, learner_id: UUID) -> list[HistoryRow]:
        """All of the learner's outcomes, oldest first (for progress charts)."""
        ...

    def attempt(self, session_id: UUID, attempt: int) -> AttemptView | None: ...

    def in_progress(self) -> int:
        """Answers received whose outcome has not been delivered yet."""
        ...

    def max_tracking_id(self) -> int:
        """Position in the event log the views have caught up to (0 before any event)."""
        ...

    def wait(self, notification_id: int, timeout: float = 5.0) -> bool:
        """True once the views include `notification_id`; False if `timeout` passes first."""
        ...
