"""The in-process bus runs one answer's steps in order, without recursion."""

from __future__ import annotations

import uuid

import pytest

from adapters.buses import InProcessBus
from application.bus import AttemptMessage


def test_a_message_published_by_a_handler_runs_after_the_current_one():
    bus, seen = InProcessBus(), []
    session = uuid.uuid4()

    def transcribe(message: AttemptMessage) -> None:
        seen.append(("transcribe", message.attempt))
        bus.publish(AttemptMessage("Transcribed", session, message.attempt))
        seen.append(("transcribe done", message.attempt))

    bus.subscribe("AudioReceived", transcribe)
    bus.subscribe("Transcribed", lambda m: seen.append(("score", m.attempt)))
    bus.publish(AttemptMessage("AudioReceived", session, 1))
    assert seen == [("transcribe", 1), ("transcribe done", 1), ("score", 1)]


def test_a_failing_handler_surfaces_its_error_and_leaves_the_bus_usable():
    bus, seen = InProcessBus(), []

    def broken(message: AttemptMessage) -> None:
        raise RuntimeError("disk full")

    bus.subscribe("AudioReceived", broken)
    bus.subscribe("Transcribed", lambda m: seen.append(m.attempt))
    with pytest.raises(RuntimeError, match="disk full"):
        bus.publish(AttemptMessage("AudioReceived", uuid.uuid4(), 1))
    bus.publish(AttemptMessage("Transcribed", uuid.uuid4(), 2))
    assert seen == [2]


def test_a_topic_nobody_handles_is_dropped_quietly():
    InProcessBus().publish(AttemptMessage("FeedbackDelivered", uuid.uuid4(), 1))
