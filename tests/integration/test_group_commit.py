"""Answers recorded together (the webhook's group commit), on a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from adapters.settings import Settings
from adapters.telegram.intake.answers import FREE_TALK
from application.coaching import CoachingApp, VoiceAnswer
from domain.session import MAX_ATTEMPTS, PracticeSession
from tests.support.answers import voice_answer


def _audio_refs(app: CoachingApp, session_id: Any) -> list[str]:
    session: PracticeSession = app.repository.get(session_id)
    return [session.attempts[n].audio_ref for n in sorted(session.attempts)]


def test_answers_of_many_learners_are_each_recorded_in_their_own_session(apps):  # type: ignore[no-untyped-def]
    app, _ = apps
    results = app.answer_by_voice_many([voice_answer(chat, 1) for chat in range(1, 21)])
    sessions = {session_id for session_id, _ in results}  # type: ignore[misc]
    assert len(sessions) == 20
    assert all(attempt == 1 for _, attempt in results)  # type: ignore[misc]
    for chat, (session_id, _) in zip(range(1, 21), results, strict=True):  # type: ignore[misc]
        assert app.get_session(session_id).learner_id == app.register_learner(
            "telegram", str(chat), "free_talk", "B1"
        )


def test_a_learners_answers_in_one_batch_become_attempts_in_the_order_sent(apps):  # type: ignore[no-untyped-def]
    app, _ = apps
    app.answer_by_voice_many([voice_answer(7, 1)])  # a free-talk answer before the prompt
    app.start_practice(app.register_learner("telegram", "7", "free_talk", "B1"), FREE_TALK, "p")
    active = app.get_learner(app.register_learner("telegram", "7", "free_talk", "B1"))
    results = app.answer_by_voice_many([voice_answer(7, 2), voice_answer(8, 1), voice_answer(7, 3)])
    session_id = active.active_session_id
    assert [results[0], results[2]] == [(session_id, 1), (session_id, 2)]
    assert _audio_refs(app, active.active_session_id) == ["tg:u2:f2", "tg:u3:f3"]


def test_the_same_answer_twice_in_one_batch_is_one_attempt(apps):  # type: ignore[no-untyped-def]
    app, _ = apps
    results = app.answer_by_voice_many([voice_answer(9, 1), voice_answer(9, 1)])
    assert results[0] == results[1]
    session_id, _ = results[0]  # type: ignore[misc]
    assert _audio_refs(app, session_id) == ["tg:u1:f1"]


def test_a_batch_that_meets_another_writer_records_every_answer_on_its_own(apps):  # type: ignore[no-untyped-def]
    app, other = apps
    staged = app._stage_answer

    def other_writes_first(answer: VoiceAnswer) -> Any:
        result = staged(answer)
        if answer.newcomer.external_id == "11":  # meanwhile another process registers them
            other.answer_by_voice(voice_answer(11, 99))
        return result

    app._stage_answer = other_writes_first  # type: ignore[method-assign]
    results = app.answer_by_voice_many(
        [voice_answer(10, 1), voice_answer(11, 1), voice_answer(12, 1)]
    )
    app._stage_answer = staged  # type: ignore[method-assign]
    assert all(not isinstance(result, Exception) for result in results)
    session_of_11, attempt = results[1]  # type: ignore[misc]
    assert (attempt, _audio_refs(app, session_of_11)) == (1, ["tg:u1:f1"])
    assert len({session_id for session_id, _ in results}) == 3  # type: ignore[misc]


def test_when_the_store_stays_locked_every_answer_of_the_batch_gets_the_error(tmp_path: Path):
    env = {**Settings(SPEECH_COACH_HOME=tmp_path).eventsourcing_env(), "SQLITE_LOCK_TIMEOUT": "1"}
    app = CoachingApp(env=env)
    locker = sqlite3.connect(env["SQLITE_DBNAME"], isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        results = app.answer_by_voice_many([voice_answer(20, 1), voice_answer(21, 1)])
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert all(isinstance(result, Exception) for result in results)
    assert "locked" in str(results[0])
    assert [
        r for r in app.answer_by_voice_many([voice_answer(20, 1)]) if isinstance(r, Exception)
    ] == []
    app.close()


def test_answers_beyond_a_sessions_last_go_on_in_a_new_session_of_the_same_prompt(apps):  # type: ignore[no-untyped-def]
    app, _ = apps
    learner_id = app.register_learner("telegram", "30", "free_talk", "B1")
    first_session = app.start_practice(learner_id, FREE_TALK, "practice-1")
    answers = [voice_answer(30, n) for n in range(1, MAX_ATTEMPTS + 3)]
    results = [app.answer_by_voice(answer) for answer in answers]
    assert {session for session, _ in results[:MAX_ATTEMPTS]} == {first_session}
    next_session, attempt = results[MAX_ATTEMPTS]
    assert next_session != first_session
    assert attempt == 1
    assert results[MAX_ATTEMPTS + 1] == (next_session, 2), "and the learner's next ones follow"
    continued = app.get_session(next_session)
    assert (continued.prompt_id, continued.prompt_text) == (FREE_TALK.id, FREE_TALK.text)
    assert app.get_learner(learner_id).active_session_id == next_session
    assert app.answer_by_voice(answers[MAX_ATTEMPTS]) == (next_session, 1), "resent: same one"
    assert app.answer_by_voice_many(answers[-2:]) == results[-2:], "also when sent together"
