"""The webhook's answer recorder: one thread, several answers to a transaction."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from adapters.telegram.intake.answers import Refused
from adapters.telegram.intake.recording import AnswerRecorder, RecorderBusyError


class SlowStore:
    """accept_messages for the recorder: holds its first call until released."""

    def __init__(self) -> None:
        self.calls: list[list[Any]] = []
        self.release = threading.Event()
        self.failure: Exception | None = None
        self.called = threading.Event()

    def __call__(self, messages: list[Any]) -> list[Any]:
        self.calls.append(list(messages))
        self.called.set()
        self.release.wait(10)
        if self.failure is not None:
            raise self.failure
        return [Refused(f"seen {message}") for message in messages]


async def _started(store: SlowStore) -> None:
    """Until the recorder is busy with its first batch."""
    await asyncio.to_thread(store.called.wait, 10)


def test_answers_that_arrive_while_one_is_recorded_are_recorded_together():
    store = SlowStore()
    recorder = AnswerRecorder(store)

    async def scenario() -> list[Any]:
        first = asyncio.create_task(recorder.accept("a"))  # type: ignore[arg-type]
        await _started(store)
        others = [asyncio.create_task(recorder.accept(m)) for m in "bcdef"]  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        store.release.set()
        return await asyncio.gather(first, *others)

    outcomes = asyncio.run(scenario())
    recorder.close()
    assert store.calls == [["a"], list("bcdef")]
    assert outcomes == [Refused(f"seen {m}") for m in "abcdef"], "each gets its own outcome"


def test_a_failure_to_record_reaches_every_answer_of_the_batch():
    store = SlowStore()
    store.failure = OSError("database is locked")
    recorder = AnswerRecorder(store)

    async def scenario() -> list[Any]:
        first = asyncio.create_task(recorder.accept("a"))  # type: ignore[arg-type]
        await _started(store)
        second = asyncio.create_task(recorder.accept("b"))  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        store.release.set()
        return await asyncio.gather(first, second, return_exceptions=True)

    outcomes = asyncio.run(scenario())
    recorder.close()
    assert [str(outcome) for outcome in outcomes] == ["database is locked"] * 2


def test_when_too_many_answers_wait_the_next_is_refused_at_once():
    store = SlowStore()
    recorder = AnswerRecorder(store, max_waiting=3)

    async def scenario() -> list[Any]:
        first = asyncio.create_task(recorder.accept("a"))  # type: ignore[arg-type]
        await _started(store)
        waiting = [asyncio.create_task(recorder.accept(m)) for m in "bcd"]  # type: ignore[arg-type]
        await asyncio.sleep(0.01)
        with pytest.raises(RecorderBusyError):
            await recorder.accept("e")  # type: ignore[arg-type]
        store.release.set()
        return await asyncio.gather(first, *waiting)

    outcomes = asyncio.run(scenario())
    recorder.close()
    assert len(outcomes) == 4, "the ones already waiting are all recorded"


def test_closing_records_what_is_waiting_first():
    store = SlowStore()
    recorder = AnswerRecorder(store)

    async def scenario() -> list[Any]:
        tasks = [asyncio.create_task(recorder.accept(m)) for m in "ab"]  # type: ignore[arg-type]
        await _started(store)
        later = asyncio.create_task(recorder.accept("c"))  # type: ignore[arg-type]
        await asyncio.sleep(0.01)
        closing = asyncio.create_task(asyncio.to_thread(recorder.close))
        await asyncio.sleep(0.01)
        store.release.set()
        await closing
        return await asyncio.gather(*tasks, later)

    assert asyncio.run(scenario()) == [Refused(f"seen {m}") for m in "abc"]
