"""The view in memory, for the in-memory event store: one lock guards rows and position."""

from __future__ import annotations

from copy import deepcopy
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.popo import POPOTrackingRecorder

from projections.history import HistoryRow, SessionFacts
from projections.recorder import PracticeViewRecorder
from projections.views import FINISHED_STAGES, AttemptView, LearnerView


class POPOPracticeView(POPOTrackingRecorder, PracticeViewRecorder):
    def __init__(self) -> None:
        super().__init__()
        self._sessions: dict[UUID, SessionFacts] = {}
        self._learners: dict[UUID, LearnerView] = {}
        self._attempts: dict[tuple[UUID, int], AttemptView] = {}
        self._rows: dict[UUID, dict[tuple[UUID, int], tuple[int, HistoryRow]]] = {}

    def record_learner(self, learner: LearnerView, tracking: Tracking) -> None:
        with self._database_lock:
            self._assert_tracking_uniqueness(tracking)
            self._learners[learner.learner_id] = learner
            self._insert_tracking(tracking)

    def learner(self, learner_id: UUID) -> LearnerView | None:
        with self._database_lock:
            return self._learners.get(learner_id)

    def record_session(self, session: SessionFacts, tracking: Tracking) -> None:
        with self._database_lock:
            self._assert_tracking_uniqueness(tracking)
            self._sessions[session.session_id] = session
            self._insert_tracking(tracking)

    def record_attempt(
        self, view: AttemptView, tracking: Tracking, row: HistoryRow | None = None
    ) -> None:
        with self._database_lock:
            self._assert_tracking_uniqueness(tracking)
            self._attempts[(view.session_id, view.attempt)] = view
            if row is not None:
                rows = self._rows.setdefault(row.learner_id, {})
                rows[(row.session_id, row.attempt)] = (tracking.notification_id, row)
            self._insert_tracking(tracking)

    def session(self, session_id: UUID) -> SessionFacts | None:
        with self._database_lock:
            return self._sessions.get(session_id)

    def attempt(self, session_id: UUID, attempt: int) -> AttemptView | None:
        with self._database_lock:
            return deepcopy(self._attempts.get((session_id, attempt)))

    def history(self, learner_id: UUID, limit: int | None = None) -> list[HistoryRow]:
        with self._database_lock:
            ordered = sorted(self._rows.get(learner_id, {}).values(), key=lambda pair: pair[0])
        rows = [row for _, row in ordered]
        if limit is None:
            return rows
        return rows[-limit:] if limit > 0 else []

    def in_progress(self) -> int:
        with self._database_lock:
            return sum(v.stage not in FINISHED_STAGES for v in self._attempts.values())
