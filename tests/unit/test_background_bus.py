"""The workers' bus: a step that fails is tried again, and one that keeps failing is reported."""

from __future__ import annotations

import threading
import time
from uuid import uuid4

from adapters.buses import BackgroundBus
from application.bus import IO, AttemptMessage, RetryLaterError
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


def test_an_older_answers_next_step_runs_before_a_newer_answers_first_step():
    bus = BackgroundBus(workers=1, io_workers=1)
    done: list[tuple[str, int]] = []
    first_steps_ran = threading.Event()

    def transcribe(message: AttemptMessage) -> None:
        first_steps_ran.wait(5)  # let every answer queue before the first one finishes
        done.append(("transcribed", message.attempt))
        bus.publish(AttemptMessage("Transcribed", message.session_id, message.attempt))

    def score(message: AttemptMessage) -> None:
        done.append(("scored", message.attempt))

    bus.subscribe("AudioFetched", transcribe)
    bus.subscribe("Transcribed", score)
    session = uuid4()
    for attempt in range(1, 5):
        bus.publish(AttemptMessage("AudioFetched", session, attempt))
    first_steps_ran.set()
    bus.join()
    bus.close()
    assert done == [(step, n) for n in range(1, 5) for step in ("transcribed", "scored")], (
        "each answer is finished before the next is started"
    )


def test_a_hanging_download_does_not_hold_up_transcription():
    bus = BackgroundBus(workers=1, io_workers=2)
    release = threading.Event()
    transcribed: list[int] = []

    bus.subscribe("AudioReceived", lambda message: release.wait(10), lane=IO)
    bus.subscribe("AudioFetched", lambda message: transcribed.append(message.attempt))
    session = uuid4()
    bus.publish(AttemptMessage("AudioReceived", session, 1))
    bus.publish(AttemptMessage("AudioReceived", session, 2))  # both I/O threads now hang
    for attempt in (3, 4):
        bus.publish(AttemptMessage("AudioFetched", session, attempt))
    deadline = time.monotonic() + 5
    while len(transcribed) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert transcribed == [3, 4]
    release.set()
    bus.join()
    bus.close()


def test_a_step_that_asks_to_wait_runs_again_after_that_wait_without_holding_a_worker():
    bus = BackgroundBus(workers=1)
    runs: list[tuple[int, float]] = []
    started = time.monotonic()

    def deliver(message: AttemptMessage) -> None:
        runs.append((message.attempt, time.monotonic() - started))
        if message.attempt == 1 and len([r for r in runs if r[0] == 1]) == 1:
            raise RetryLaterError(0.3, "Telegram said retry after 0.3 s")

    bus.subscribe("FeedbackGenerated", deliver)
    session = uuid4()
    bus.publish(AttemptMessage("FeedbackGenerated", session, 1))
    bus.publish(AttemptMessage("FeedbackGenerated", session, 2))
    bus.join()
    bus.close()
    assert [attempt for attempt, _ in runs] == [1, 2, 1], "the other message ran meanwhile"
    assert runs[2][1] - runs[0][1] >= 0.3
