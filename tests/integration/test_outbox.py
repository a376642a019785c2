"""The event log as the workers' queue: answers one process records reach another's bus."""

from __future__ import annotations

import threading
import time

from adapters.outbox import LogFollower, resume
from application.bus import AttemptMessage
from application.coaching import CoachingApp
from tests.support.answers import voice_answer


class RecordingBus:
    def __init__(self) -> None:
        self.messages: list[AttemptMessage] = []
        self._changed = threading.Condition()

    def subscribe(self, topic: str, handler: object) -> None:
        raise AssertionError("the follower only publishes")

    def publish(self, message: AttemptMessage) -> None:
        with self._changed:
            self.messages.append(message)
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[AttemptMessage]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)


def _answer(app: CoachingApp, chat: int, message_id: int) -> tuple[object, int]:
    return app.answer_by_voice(voice_answer(chat, message_id))


def test_an_answer_recorded_while_no_worker_ran_is_published_when_one_starts(apps):  # type: ignore[no-untyped-def]
    front, worker = apps
    before = _answer(front, 1, 10)
    bus = RecordingBus()
    follower = resume(worker, bus, follow=True, poll_s=0.01)
    try:
        after = _answer(front, 2, 20)
        messages = bus.wait_for(2)
        time.sleep(0.2)  # a duplicate would arrive within a few polls
        assert [(m.topic, m.session_id, m.attempt) for m in bus.messages] == [
            ("AudioReceived", *before),
            ("AudioReceived", *after),
        ]
        assert messages == bus.messages
    finally:
        assert follower is not None
        follower.stop()


def test_an_answer_already_published_at_start_is_not_published_again(apps):  # type: ignore[no-untyped-def]
    front, worker = apps
    recovered = _answer(front, 1, 10)
    new = _answer(front, 2, 20)
    bus = RecordingBus()
    # The scan of unfinished attempts saw `recovered` although it lies after position 0.
    follower = LogFollower(worker, bus, 0, {recovered}, poll_s=0.01).start()  # type: ignore[arg-type]
    try:
        bus.wait_for(1)
        time.sleep(0.2)
        assert [(m.session_id, m.attempt) for m in bus.messages] == [new]
    finally:
        follower.stop()


def test_without_following_only_the_unfinished_attempts_are_published(apps):  # type: ignore[no-untyped-def]
    front, worker = apps
    first = _answer(front, 1, 10)
    bus = RecordingBus()
    assert resume(worker, bus, follow=False) is None
    _answer(front, 2, 20)
    time.sleep(0.2)
    assert [(m.session_id, m.attempt) for m in bus.messages] == [first]
