"""Properties of the practice views: the tracked projection agrees with the pure fold."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import Tracking
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.session import PracticeSession
from domain.speech import AudioFacts
from projections import codec
from projections.history import build_history
from projections.popo_view import POPOPracticeView
from projections.projection import PracticeProjection
from projections.views import AttemptView
from tests.support.values import json_objects, scored_feedbacks, transcripts

LEARNERS = (uuid4(), uuid4())
FACTS = AudioFacts(3.0, 2.5, ())


@given(transcript=st.none() | transcripts, feedback=st.none() | json_objects)
def test_an_attempt_survives_its_stored_form(transcript: Any, feedback: Any):
    view = AttemptView(
        session_id=uuid4(),
        attempt=2,
        learner_id=uuid4(),
        mode="job_interview",
        prompt_id="job-01",
        prompt_text="Tell me about a time you failed.",
        stage="scored",
        received_at=datetime(2025, 3, 1, 12, 30, 15, 123456, tzinfo=UTC),
        transcript=transcript,
        feedback=feedback,
    )
    assert codec.load_attempt(codec.dump_attempt(view)) == view


outcomes = st.sampled_from(["scored", "scored_and_delivered", "failed_early", "failed_late"])


@st.composite
def session_events(draw: st.DrawFn, key: int) -> list[Any]:
    session = PracticeSession(
        learner_id=draw(st.sampled_from(LEARNERS)),
        source_key=f"m{key}",
        mode="free_talk",
        prompt_id="free-01",
        prompt_text="Describe your morning.",
        prep_s=0,
        answer_s=60,
    )
    for outcome in draw(st.lists(outcomes, max_size=3)):
        number = session.receive_audio(f"ref-{uuid4()}", 10, "audio/ogg")
        if outcome == "failed_early":
            session.record_failure(number, "decode", "invalid_audio", "unreadable", retryable=False)
            continue
        session.record_transcript(number, draw(transcripts), FACTS)
        if outcome == "failed_late":
            session.record_failure(number, "feedback", "busy", "try again", retryable=True)
            continue
        session.record_feedback(number, draw(scored_feedbacks))
        if outcome == "scored_and_delivered":
            session.mark_delivered(number, "telegram", "42")
    return list(session.collect_events())


@st.composite
def interleaved_logs(draw: st.DrawFn) -> list[Any]:
    pending = [draw(session_events(key)) for key in range(draw(st.integers(1, 4)))]
    log: list[Any] = []
    while any(pending):
        queue = draw(st.sampled_from([events for events in pending if events]))
        log.append(queue.pop(0))
    return log


@settings(max_examples=60, deadline=None)
@given(log=interleaved_logs(), replayed=st.integers(0, 40))
def test_the_tracked_view_equals_folding_the_log_even_when_replayed(log: list[Any], replayed: int):
    view = POPOPracticeView()
    projection = PracticeProjection(view=view)
    positions = list(enumerate(log, start=1))
    for position, event in [*positions, *positions[:replayed]]:
        projection.process_event(event, Tracking("SpeechCoach", position))
    for learner in LEARNERS:
        assert view.history(learner) == build_history(log, learner)
    assert view.max_tracking_id("SpeechCoach") == (len(log) or None)
    for session_id, number in _attempts(log):
        shown = view.attempt(session_id, number)
        assert shown is not None
        assert shown.stage == _last_stage(log, session_id, number)


def _attempts(log: list[Any]) -> set[tuple[UUID, int]]:
    return {
        (e.originator_id, e.attempt) for e in log if isinstance(e, PracticeSession.AudioReceived)
    }


_STAGES = {
    PracticeSession.AudioReceived: "received",
    PracticeSession.Transcribed: "transcribed",
    PracticeSession.FeedbackGenerated: "scored",
    PracticeSession.ProcessingFailed: "failed",
    PracticeSession.FeedbackDelivered: "delivered",
}


def _last_stage(log: list[Any], session_id: UUID, number: int) -> str:
    mine = [
        e for e in log if e.originator_id == session_id and getattr(e, "attempt", None) == number
    ]
    return _STAGES[type(mine[-1])]
