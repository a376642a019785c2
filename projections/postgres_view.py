"""The view in PostgreSQL: its tables beside the library's tracking table, in the event
store's database, so that every web process reads the same views.

Every write runs in one transaction with `_insert_tracking`, which refuses a position
already passed, so a change and its position commit (or roll back) together.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.sql import SQL, Composed, Identifier

from projections import codec
from projections.history import HistoryRow, SessionFacts
from projections.recorder import PracticeViewRecorder
from projections.views import FINISHED_STAGES, AttemptView, LearnerView

_TABLES = [
    "CREATE TABLE IF NOT EXISTS {schema}.practice_learners ("
    "learner_id uuid PRIMARY KEY, data text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {schema}.practice_sessions ("
    "session_id uuid PRIMARY KEY, learner_id uuid NOT NULL, data text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {schema}.practice_attempts ("
    "session_id uuid NOT NULL, attempt integer NOT NULL, learner_id uuid NOT NULL, "
    "data text NOT NULL, row_position bigint, row_data text, "
    "PRIMARY KEY (session_id, attempt))",
    "CREATE INDEX IF NOT EXISTS practice_attempts_history "
    "ON {schema}.practice_attempts (learner_id, row_position) WHERE row_position IS NOT NULL",
]

_UPSERT_LEARNER = (
    "INSERT INTO {schema}.practice_learners VALUES (%(id)s, %(data)s) "
    "ON CONFLICT (learner_id) DO UPDATE SET data = EXCLUDED.data"
)
_UPSERT_SESSION = (
    "INSERT INTO {schema}.practice_sessions VALUES (%(id)s, %(lid)s, %(data)s) "
    "ON CONFLICT (session_id) DO UPDATE SET learner_id = EXCLUDED.learner_id, data = EXCLUDED.data"
)
_UPSERT_ATTEMPT = (
    "INSERT INTO {schema}.practice_attempts AS a "
    "VALUES (%(sid)s, %(n)s, %(lid)s, %(data)s, %(pos)s, %(row)s) "
    "ON CONFLICT (session_id, attempt) DO UPDATE SET data = EXCLUDED.data, "
    "row_position = COALESCE(EXCLUDED.row_position, a.row_position), "
    "row_data = COALESCE(EXCLUDED.row_data, a.row_data)"
)
_LEARNER = "SELECT data FROM {schema}.practice_learners WHERE learner_id = %s"
_SESSION = "SELECT data FROM {schema}.practice_sessions WHERE session_id = %s"
_ATTEMPT = "SELECT data FROM {schema}.practice_attempts WHERE session_id = %s AND attempt = %s"
_HISTORY = (
    "SELECT row_data FROM {schema}.practice_attempts WHERE learner_id = %s "
    "AND row_position IS NOT NULL ORDER BY row_position DESC LIMIT %s"
)
_IN_PROGRESS = (
    "SELECT COUNT(*) AS n FROM {schema}.practice_attempts "
    "WHERE (data::jsonb ->> 'stage') NOT IN (%s, %s)"
)


class PostgresPracticeView(PostgresTrackingRecorder, PracticeViewRecorder):
    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_statements.extend(self._sql(statement) for statement in _TABLES)

    def _sql(self, statement: str) -> Composed:
        return SQL(statement).format(schema=Identifier(self.datastore.schema))

    def record_learner(self, learner: LearnerView, tracking: Tracking) -> None:
        params = {"id": learner.learner_id, "data": codec.dump_learner(learner)}
        self._write(_UPSERT_LEARNER, params, tracking)

    def record_session(self, session: SessionFacts, tracking: Tracking) -> None:
        params = {
            "id": session.session_id,
            "lid": session.learner_id,
            "data": codec.dump_session(session),
        }
        self._write(_UPSERT_SESSION, params, tracking)

    def record_attempt(
        self, view: AttemptView, tracking: Tracking, row: HistoryRow | None = None
    ) -> None:
        params = {
            "sid": view.session_id,
            "n": view.attempt,
            "lid": view.learner_id,
            "data": codec.dump_attempt(view),
            "pos": tracking.notification_id if row is not None else None,
            "row": codec.dump_row(row) if row is not None else None,
        }
        self._write(_UPSERT_ATTEMPT, params, tracking)

    def learner(self, learner_id: UUID) -> LearnerView | None:
        found = self._one(_LEARNER, (learner_id,))
        return codec.load_learner(found) if found else None

    def session(self, session_id: UUID) -> SessionFacts | None:
        found = self._one(_SESSION, (session_id,))
        return codec.load_session(found) if found else None

    def attempt(self, session_id: UUID, attempt: int) -> AttemptView | None:
        found = self._one(_ATTEMPT, (session_id, attempt))
        return codec.load_attempt(found) if found else None

    def history(self, learner_id: UUID, limit: int | None = None) -> list[HistoryRow]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(_HISTORY), (learner_id, None if limit is None else max(limit, 0)))
            found = c.fetchall()
        return [codec.load_row(r["row_data"]) for r in reversed(found)]

    def in_progress(self) -> int:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(_IN_PROGRESS), FINISHED_STAGES)
            found = c.fetchone()
        return int(found["n"]) if found else 0

    def _write(self, statement: str, params: dict[str, Any], tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(self._sql(statement), params)
            self._insert_tracking(c, tracking)

    def _one(self, statement: str, params: tuple[Any, ...]) -> str | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._sql(statement), params)
            found = c.fetchone()
        return str(found["data"]) if found else None
