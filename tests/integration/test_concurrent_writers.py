"""Two writers on one event store (SQLite, PostgreSQL) at the same moment (two webhook
requests of a new learner, two workers finishing two answers of one session): both
succeed, nothing is lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from adapters.telegram.intake.answers import FREE_TALK
from application.coaching import CoachingApp
from domain.learner import Learner
from domain.speech import AudioFacts, Interval, Transcript, Word
from tests.support.answers import voice_answer


def _at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls on threads released together; their results, or the errors they raised."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        start.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test reports what each call did
            results[index] = error

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_new_learner_registered_by_two_requests_at_once_is_registered_once(apps):  # type: ignore[no-untyped-def]
    first, second = apps
    for chat in range(30):
        ids = _at_once(
            lambda: first.register_learner("telegram", f"new-{chat}", "free_talk", "B1"),  # noqa: B023
            lambda: second.register_learner("telegram", f"new-{chat}", "free_talk", "B1"),  # noqa: B023
        )
        assert not [i for i in ids if isinstance(i, Exception)], ids
        assert ids[0] == ids[1]
        registered = [
            e for e in first.all_events()
            if isinstance(e, Learner.Registered) and e.originator_id == ids[0]
        ]  # fmt: skip
        assert len(registered) == 1


def test_two_workers_finishing_two_answers_of_one_session_at_once_both_record(apps):  # type: ignore[no-untyped-def]
    first, second = apps
    first.start_practice(first.register_learner("telegram", "5", "free_talk", "B1"), FREE_TALK, "p")
    one, two = first.answer_by_voice(voice_answer(5, 1)), first.answer_by_voice(voice_answer(5, 2))
    assert one[0] == two[0], "both answers are attempts of the one session"
    transcript = Transcript("hello", (Word("hello", 0.5, 0.9),), "en", "scripted")
    facts = AudioFacts(1.5, 0.4, (Interval(0.5, 0.9),))
    outcomes = _at_once(
        lambda: first.record_transcript(one[0], one[1], transcript, facts),
        lambda: second.record_transcript(two[0], two[1], transcript, facts),
    )
    assert outcomes == [None, None]
    attempts = CoachingApp.get_session(second, one[0]).attempts
    assert attempts[1].transcript == transcript
    assert attempts[2].transcript == transcript
