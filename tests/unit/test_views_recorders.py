"""The view recorders on their own: each write commits with its log position, or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from domain.speech import Transcript, Word
from projections.history import HistoryRow, SessionFacts
from projections.recorder import PracticeViewRecorder
from projections.stores import open_view
from projections.views import AttemptView, LearnerView

APP = "SpeechCoach"
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["popo", "sqlite"])
def recorder(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PracticeViewRecorder]:
    env = {"PERSISTENCE_MODULE": f"eventsourcing.{request.param}"}
    if request.param == "sqlite":
        env["SQLITE_DBNAME"] = str(tmp_path / "views.sqlite")
    opened, close = open_view(env)
    yield opened
    close()


def _session(learner: UUID) -> SessionFacts:
    return SessionFacts(
        uuid4(), learner, "ielts_part1", "ielts-p1-01", "Do you & your <friends> cook?", 0, 60
    )


def _attempt(session: SessionFacts, number: int = 1, **changes: object) -> AttemptView:
    view = AttemptView(
        session_id=session.session_id,
        attempt=number,
        learner_id=session.learner_id,
        mode=session.mode,
        prompt_id=session.prompt_id,
        prompt_text=session.prompt_text,
        stage="received",
        received_at=START,
    )
    return replace(view, **changes)  # type: ignore[arg-type]


def _row(session: SessionFacts, number: int, minutes: int) -> HistoryRow:
    return HistoryRow(
        session_id=session.session_id,
        learner_id=session.learner_id,
        attempt=number,
        at=START + timedelta(minutes=minutes),
        mode=session.mode,
        prompt_id=session.prompt_id,
        prompt_text=session.prompt_text,
        outcome="scored",
        overall=6.5,
        wpm=131.0,
    )


def _answered(recorder: PracticeViewRecorder, learner: UUID, answers: int) -> list[HistoryRow]:
    rows, position = [], 0
    for number in range(1, answers + 1):
        session = _session(learner)
        position += 1
        recorder.record_session(session, Tracking(APP, position))
        row = _row(session, 1, number)
        position += 1
        recorder.record_attempt(_attempt(session, stage="scored"), Tracking(APP, position), row)
        rows.append(row)
    return rows


def test_a_stored_attempt_reads_back_as_it_was_written(recorder: PracticeViewRecorder):
    session = _session(uuid4())
    transcript = Transcript(
        "um I cook", (Word("um", 0.1, 0.4), Word("I", 0.9, 1.0, 0.8)), "en", "s"
    )
    written = _attempt(
        session,
        stage="scored",
        transcript=transcript,
        feedback={"rubric": {"overall": 6.5}, "next_steps": ["Slow down", "Drop “um”"]},
    )
    recorder.record_session(session, Tracking(APP, 1))
    recorder.record_attempt(written, Tracking(APP, 2))
    assert recorder.session(session.session_id) == session
    assert recorder.attempt(session.session_id, 1) == written
    assert recorder.attempt(session.session_id, 2) is None
    assert recorder.max_tracking_id(APP) == 2


def test_a_write_at_a_position_already_passed_is_refused_and_changes_nothing(
    recorder: PracticeViewRecorder,
):
    session = _session(uuid4())
    recorder.record_session(session, Tracking(APP, 1))
    scored = _attempt(session, stage="scored", feedback={"summary": "clear"})
    recorder.record_attempt(scored, Tracking(APP, 5), _row(session, 1, 0))
    with pytest.raises(IntegrityError):
        recorder.record_attempt(_attempt(session, stage="failed"), Tracking(APP, 5))
    with pytest.raises(IntegrityError):
        recorder.record_session(replace(session, mode="free_talk"), Tracking(APP, 3))
    assert recorder.attempt(session.session_id, 1) == scored
    assert recorder.session(session.session_id) == session
    assert len(recorder.history(session.learner_id)) == 1
    assert recorder.max_tracking_id(APP) == 5


def test_history_gives_the_last_rows_newest_last(recorder: PracticeViewRecorder):
    learner = uuid4()
    rows = _answered(recorder, learner, 4)
    assert recorder.history(learner) == rows
    assert recorder.history(learner, 2) == rows[2:]
    assert recorder.history(learner, 10) == rows
    assert recorder.history(learner, 0) == []
    assert recorder.history(uuid4()) == []


def test_a_changed_attempt_keeps_its_place_in_history(recorder: PracticeViewRecorder):
    learner = uuid4()
    rows = _answered(recorder, learner, 2)
    first = recorder.attempt(rows[0].session_id, 1)
    assert first is not None
    recorder.record_attempt(replace(first, stage="delivered"), Tracking(APP, 99))
    assert recorder.history(learner) == rows
    delivered = recorder.attempt(rows[0].session_id, 1)
    assert delivered is not None
    assert delivered.stage == "delivered"


def test_a_learner_reads_back_as_written_and_only_at_a_new_position(
    recorder: PracticeViewRecorder,
):
    learner = LearnerView(uuid4(), "free_talk", "B1")
    recorder.record_learner(learner, Tracking(APP, 1))
    assert recorder.learner(learner.learner_id) == learner
    practising = replace(learner, active_session_id=uuid4(), active_prompt_id="free-01")
    recorder.record_learner(practising, Tracking(APP, 2))
    assert recorder.learner(learner.learner_id) == practising
    with pytest.raises(IntegrityError):
        recorder.record_learner(replace(learner, level="C2"), Tracking(APP, 2))
    assert recorder.learner(learner.learner_id) == practising
    assert recorder.learner(uuid4()) is None


def test_a_stored_row_with_a_field_this_version_does_not_know_still_reads():
    """A rolling upgrade: new workers write rows with a field the older web process lacks."""
    import json
    import uuid
    from datetime import UTC, datetime

    from projections.codec import dump_row, load_row
    from projections.history import HistoryRow

    row = HistoryRow(uuid.uuid4(), uuid.uuid4(), 1, datetime(2026, 12, 1, tzinfo=UTC),
                     "free_talk", "free-open", "Free talk", "scored",
                     grammar_checked=True, grammar_patterns=("tense",))  # fmt: skip
    stored = json.loads(dump_row(row))
    assert load_row(json.dumps(stored)) == row, "grammar patterns come back as they went in"
    stored["pronunciation_score"] = 0.8
    assert load_row(json.dumps(stored)) == row
