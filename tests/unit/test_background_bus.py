"""The workers' bus: a step that fails is tried again, and one that keeps failing is reported."""

from __future__ import annotations

from uuid import uuid4

from application.bus import AttemptMessage, BackgroundBus
from application.coaching import CoachingApp
from application.steps import INTERNAL_ERROR_MESSAGE, ReportGivingUp
from domain.prompts import get_prompt
from domain.session import Stage


def _message(topic: str = "AudioReceived") -> AttemptMessage:
    return AttemptMessage(topic, uuid4(), 1)


def test_a_step_that_fails_once_is_tried_again_and_succeeds():
    bus = BackgroundBus(retry_after_s=(0.01, 0.01))
    calls: list[AttemptMessage] = []
    gave_up: list[AttemptMessage] = []

    def flaky(message: AttemptMessage) -> None:
        calls.append(message)
        if len(calls) == 1:
            raise RuntimeError("database is locked")

    bus.subscribe("AudioReceived", flaky)
    bus.on_give_up(lambda message, error: gave_up.append(message))
    message = _message()
    bus.publish(message)
    bus.join()
    bus.close()
    assert calls == [message, message]
    assert gave_up == []


def test_a_step_that_keeps_failing_is_given_up_and_the_next_message_still_runs():
    bus = BackgroundBus(retry_after_s=(0.01, 0.01))
    tries: dict[AttemptMessage, int] = {}
    gave_up: list[tuple[AttemptMessage, str]] = []
    broken, fine = _message(), _message()

    def step(message: AttemptMessage) -> None:
        tries[message] = tries.get(message, 0) + 1
        if message == broken:
            raise RuntimeError("disk full")

    bus.subscribe("AudioReceived", step)
    bus.on_give_up(lambda message, error: gave_up.append((message, str(error))))
    bus.publish(broken)
    bus.publish(fine)
    bus.join()
    bus.close()
    assert tries == {broken: 3, fine: 1}, "tried once and again after each of the two waits"
    assert gave_up == [(broken, "disk full")]


def test_giving_up_on_a_step_tells_the_learner_through_a_recorded_failure():
    app = CoachingApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    learner = app.register_learner("telegram", "1001", "toefl_interview", "B2")
    session_id = app.start_session(learner, get_prompt("toefl-int-06"), source_key="m1")
    attempt = app.receive_audio(session_id, "tg:u:f", 100, "audio/ogg")
    ReportGivingUp(app)(AttemptMessage("AudioReceived", session_id, attempt), OSError("boom"))
    state = app.get_session(session_id).attempts[attempt]
    assert state.stage is Stage.FAILED
    assert state.failure is not None
    assert state.failure["reason_code"] == "internal_error"
    assert state.failure["message"] == INTERNAL_ERROR_MESSAGE
    assert state.failure["retryable"] is True


def test_a_failed_delivery_is_not_turned_into_a_failed_answer():
    app = CoachingApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    learner = app.register_learner("telegram", "1001", "toefl_interview", "B2")
    session_id = app.start_session(learner, get_prompt("toefl-int-06"), source_key="m1")
    attempt = app.receive_audio(session_id, "tg:u:f", 100, "audio/ogg")
    ReportGivingUp(app)(AttemptMessage("FeedbackGenerated", session_id, attempt), OSError())
    assert app.get_session(session_id).attempts[attempt].stage is Stage.RECEIVED
