"""The practice use cases, through the application layer, on every embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.bootstrap import Container, bootstrap
from domain.errors import SessionStateError
from domain.feedback import ScoredFeedback
from domain.metrics import measure
from domain.prompts import get_prompt
from domain.rubric import score_answer
from domain.session import PracticeSession, Stage
from domain.speech import AudioFacts
from domain.usage import Usage
from projections.history import build_history
from tests.support.fakes import script

ANSWER = (
    "I@0.5-0.7 think@0.7-1.0 um@1.2-1.5 students@2.8-3.3 should@3.3-3.6 work@3.6-3.9 "
    "because@3.9-4.3 they@4.3-4.5 learn@4.5-4.8 um@4.9-5.2 responsibility.@5.2-6.0"
)


def _nothing_said() -> ScoredFeedback:
    metrics = measure((), AudioFacts(1.0, 0.0, ()), 60)
    rubric = score_answer(metrics, "", "free_talk", "Describe your day.", None)
    return ScoredFeedback(metrics, rubric, "", "", (), Usage("rule-based"))


def _answer(container: Container, tmp_path: Path, spoken: str = ANSWER, key: str = "m1") -> tuple:
    app = container.app
    learner = app.register_learner("telegram", "1001", "toefl_interview", "B2")
    session_id = app.start_session(learner, get_prompt("toefl-int-06"), source_key=key)
    ref = container.store.put(script(tmp_path / f"{key}.txt", spoken))
    attempt = app.receive_audio(session_id, ref, 100, "audio/ogg")
    return session_id, attempt


def test_a_voice_answer_flows_to_feedback_through_the_bus(container: Container, tmp_path: Path):
    session_id, attempt = _answer(container, tmp_path)
    state = container.app.get_session(session_id).attempts[attempt]
    assert state.stage is Stage.SCORED
    assert state.transcript is not None
    assert "responsibility." in state.transcript.text
    assert state.feedback is not None
    assert state.feedback.next_steps, "feedback always ends with next steps"
    assert state.feedback.usage.provider == container.feedback.name
    assert state.transcript.usage is not None, "how it was heard is kept with the transcript"
    assert state.transcript.usage.provider == state.transcript.provider
    assert len(state.feedback.metrics.fillers) == 2


def test_a_redelivered_message_does_not_transcribe_or_score_twice(
    container: Container, tmp_path: Path
):
    session_id, attempt = _answer(container, tmp_path)
    events_before = len(list(container.app.all_events()))
    from application.bus import AttemptMessage

    container.bus.publish(AttemptMessage("AudioReceived", session_id, attempt))
    container.bus.publish(AttemptMessage("Transcribed", session_id, attempt))
    assert len(list(container.app.all_events())) == events_before
    assert container.stt.calls == 1  # type: ignore[attr-defined]


def test_the_same_source_message_lands_on_the_same_session(container: Container, tmp_path: Path):
    first, _ = _answer(container, tmp_path, key="dup")
    second, attempt = _answer(container, tmp_path, key="dup")
    assert first == second
    assert attempt == 1, "the same recording resent is the same attempt"


def test_a_second_recording_is_a_second_attempt(container: Container, tmp_path: Path):
    session_id, _ = _answer(container, tmp_path)
    ref = container.store.put(script(tmp_path / "again.txt", ANSWER.replace("um@1.2-1.5 ", "")))
    attempt = container.app.receive_audio(session_id, ref, 90, "audio/ogg")
    session = container.app.get_session(session_id)
    assert attempt == 2
    assert session.attempts[2].stage is Stage.SCORED
    assert session.attempts[2].feedback is not None
    assert len(session.attempts[2].feedback.metrics.fillers) == 1


@pytest.mark.parametrize("code", ["no_speech", "invalid_audio", "too_long"])
def test_bad_audio_ends_the_attempt_with_its_reason(
    container: Container, tmp_path: Path, code: str
):
    session_id, attempt = _answer(container, tmp_path, spoken=f"error:{code}")
    state = container.app.get_session(session_id).attempts[attempt]
    assert state.stage is Stage.FAILED
    assert state.failure is not None
    assert state.failure["reason_code"] == code
    assert state.failure["retryable"] is False


def test_an_answer_with_no_words_is_no_speech(container: Container, tmp_path: Path):
    session_id, attempt = _answer(container, tmp_path, spoken="")
    state = container.app.get_session(session_id).attempts[attempt]
    assert state.failure is not None
    assert state.failure["reason_code"] == "no_speech"


def test_feedback_cannot_be_recorded_before_a_transcript(container: Container):
    app = container.app
    learner = app.register_learner("cli", "me", "free_talk", "B1")
    session_id = app.start_session(learner, get_prompt("toefl-int-06"), "k")
    app.bus = None  # record the audio without running the steps
    attempt = app.receive_audio(session_id, "ref", 1, "audio/ogg")
    with pytest.raises(SessionStateError):
        app.record_feedback(session_id, attempt, _nothing_said())


def test_history_lists_each_outcome_for_its_learner_only(container: Container, tmp_path: Path):
    _answer(container, tmp_path, key="a")
    _answer(container, tmp_path, spoken="error:no_speech", key="b")
    other = container.app.register_learner("telegram", "2002", "free_talk", "B1")
    rows = build_history(
        container.app.all_events(),
        container.app.get_session(_answer(container, tmp_path, key="a")[0]).learner_id,
    )
    assert [r.outcome for r in rows] == ["scored", "no_speech"]
    assert build_history(container.app.all_events(), other) == []
    assert rows[0].wpm is not None
    assert rows[0].wpm > 0


def test_sessions_survive_a_restart_on_sqlite(tmp_path: Path):
    from adapters.feedback.rule_based import RuleBasedCoach
    from adapters.settings import Settings
    from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText

    settings = Settings(SPEECH_COACH_HOME=tmp_path / "home")
    parts = {
        "decoder": ScriptedDecoder(),
        "stt": ScriptedSpeechToText(),
        "feedback": RuleBasedCoach(),
    }
    first = bootstrap(settings, **parts)
    session_id, attempt = _answer(first, tmp_path)
    first.close()
    second = bootstrap(settings, **parts)
    session: PracticeSession = second.app.get_session(session_id)
    assert session.attempts[attempt].stage is Stage.SCORED
    second.close()


def test_an_answer_recorded_before_a_stop_is_finished_after_the_restart(
    container: Container, tmp_path: Path
):
    app = container.app
    bus = app.bus
    app.bus = None  # the process stops right after the answer was stored
    session_id, attempt = _answer(container, tmp_path, key="before-stop")
    assert app.get_session(session_id).attempts[attempt].stage is Stage.RECEIVED
    app.bus = bus
    unfinished = app.unfinished_attempts()
    assert [(m.topic, m.session_id, m.attempt) for m in unfinished] == [
        ("AudioReceived", session_id, attempt)
    ]
    for message in unfinished:
        container.bus.publish(message)
    assert app.get_session(session_id).attempts[attempt].stage is Stage.SCORED


def test_a_delivered_outcome_is_not_unfinished(container: Container, tmp_path: Path):
    session_id, attempt = _answer(container, tmp_path, key="told")
    assert [m.topic for m in container.app.unfinished_attempts()] == ["FeedbackGenerated"]
    container.app.mark_delivered(session_id, attempt, "telegram", "9")
    assert container.app.unfinished_attempts() == []
