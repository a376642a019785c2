"""The view's storage port: a tracking recorder whose every write carries its log position.

Each backend (POPO, SQLite; PostgreSQL next) stores the change and the tracking record in
one transaction and refuses a position it has already passed, so an event is applied once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from uuid import UUID

from eventsourcing.persistence import Tracking, TrackingRecorder

from projections.history import HistoryRow, SessionFacts
from projections.views import AttemptView, LearnerView


class PracticeViewRecorder(TrackingRecorder, ABC):
    @abstractmethod
    def record_learner(self, learner: LearnerView, tracking: Tracking) -> None:
        """Replace a learner's view, with the position of the event that changed it."""

    @abstractmethod
    def learner(self, learner_id: UUID) -> LearnerView | None: ...

    @abstractmethod
    def record_session(self, session: SessionFacts, tracking: Tracking) -> None:
        """Keep a started session's facts, with the position of its `Started` event."""

    @abstractmethod
    def record_attempt(
        self, view: AttemptView, tracking: Tracking, row: HistoryRow | None = None
    ) -> None:
        """Replace an attempt's view; with its history row once the attempt has an outcome."""

    @abstractmethod
    def session(self, session_id: UUID) -> SessionFacts | None: ...

    @abstractmethod
    def attempt(self, session_id: UUID, attempt: int) -> AttemptView | None: ...

    @abstractmethod
    def history(self, learner_id: UUID, limit: int | None = None) -> list[HistoryRow]:
        """The learner's rows in log order, newest last; only the last `limit` when given."""

    @abstractmethod
    def in_progress(self) -> int:
        """Attempts received whose outcome has not been delivered yet (the workers' backlog)."""
