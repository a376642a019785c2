"""The view in SQLite: its tables live beside the library's tracking table, in one database.

Every write runs in one datastore transaction with `_insert_tracking`, which refuses a
position already passed, so a change and its position commit (or roll back) together.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteTrackingRecorder

from projections import codec
from projections.history import HistoryRow, SessionFacts
from projections.recorder import PracticeViewRecorder
from projections.views import FINISHED_STAGES, AttemptView, LearnerView

_TABLES = [
    "CREATE TABLE IF NOT EXISTS practice_learners ("
    "learner_id TEXT PRIMARY KEY, data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS practice_sessions ("
    "session_id TEXT PRIMARY KEY, learner_id TEXT NOT NULL, data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS practice_attempts ("
    "session_id TEXT NOT NULL, attempt INTEGER NOT NULL, learner_id TEXT NOT NULL, "
    "data TEXT NOT NULL, row_position INTEGER, row_data TEXT, "
    "PRIMARY KEY (session_id, attempt))",
    "CREATE INDEX IF NOT EXISTS practice_attempts_history "
    "ON practice_attempts (learner_id, row_position) WHERE row_position IS NOT NULL",
]

_UPSERT_ATTEMPT = (
    "INSERT INTO practice_attempts VALUES (:sid, :n, :lid, :data, :pos, :row) "
    "ON CONFLICT (session_id, attempt) DO UPDATE SET data = :data, "
    "row_position = COALESCE(:pos, row_position), row_data = COALESCE(:row, row_data)"
)

_IN_PROGRESS = (
    "SELECT COUNT(*) AS n FROM practice_attempts WHERE json_extract(data, '$.stage') NOT IN (?, ?)"
)

_HISTORY = (
    "SELECT row_data FROM practice_attempts WHERE learner_id = ? "
    "AND row_position IS NOT NULL ORDER BY row_position DESC LIMIT ?"
)


class SQLitePracticeView(SQLiteTrackingRecorder, PracticeViewRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *_TABLES]

    def record_learner(self, learner: LearnerView, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "INSERT OR REPLACE INTO practice_learners VALUES (?, ?)",
                (str(learner.learner_id), codec.dump_learner(learner)),
            )
            self._insert_tracking(c, tracking)

    def learner(self, learner_id: UUID) -> LearnerView | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT data FROM practice_learners WHERE learner_id = ?", (str(learner_id),))
            found = c.fetchone()
        return codec.load_learner(found["data"]) if found else None

    def record_session(self, session: SessionFacts, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "INSERT OR REPLACE INTO practice_sessions VALUES (?, ?, ?)",
                (str(session.session_id), str(session.learner_id), codec.dump_session(session)),
            )
            self._insert_tracking(c, tracking)

    def record_attempt(
        self, view: AttemptView, tracking: Tracking, row: HistoryRow | None = None
    ) -> None:
        params = {
            "sid": str(view.session_id),
            "n": view.attempt,
            "lid": str(view.learner_id),
            "data": codec.dump_attempt(view),
            "pos": tracking.notification_id if row is not None else None,
            "row": codec.dump_row(row) if row is not None else None,
        }
        with self.datastore.transaction(commit=True) as c:
            c.execute(_UPSERT_ATTEMPT, params)
            self._insert_tracking(c, tracking)

    def session(self, session_id: UUID) -> SessionFacts | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT data FROM practice_sessions WHERE session_id = ?", (str(session_id),))
            found = c.fetchone()
        return codec.load_session(found["data"]) if found else None

    def attempt(self, session_id: UUID, attempt: int) -> AttemptView | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT data FROM practice_attempts WHERE session_id = ? AND attempt = ?",
                (str(session_id), attempt),
            )
            found = c.fetchone()
        return codec.load_attempt(found["data"]) if found else None

    def history(self, learner_id: UUID, limit: int | None = None) -> list[HistoryRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(_HISTORY, (str(learner_id), -1 if limit is None else max(limit, 0)))
            found = c.fetchall()
        return [codec.load_row(r["row_data"]) for r in reversed(found)]

    def in_progress(self) -> int:
        with self.datastore.transaction(commit=False) as c:
            c.execute(_IN_PROGRESS, FINISHED_STAGES)
            return int(c.fetchone()["n"])
