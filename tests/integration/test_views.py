"""The practice views, kept by a runner that follows the app, on each store (in memory,
SQLite, PostgreSQL)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking

from adapters.bootstrap import Container, bootstrap
from adapters.feedback.rule_based import RuleBasedCoach
from adapters.persistence.postgres import prepare_database
from adapters.settings import Settings
from domain.ids import learner_id
from domain.prompts import get_prompt
from projections.history import build_history
from projections.projection import PracticeProjection
from projections.runner import ViewsRunner, start_views
from projections.stores import open_view
from projections.views import LearnerView
from tests.conftest import STORES
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText, script
from tests.support.services import settings_on

ANSWER = (
    "I@0.5-0.7 think@0.7-1.0 um@1.2-1.5 students@2.8-3.3 should@3.3-3.6 work@3.6-3.9 "
    "because@3.9-4.3 they@4.3-4.5 learn@4.5-4.8 responsibility.@5.2-6.0"
)


@dataclass
class Coach:
    container: Container
    runner: ViewsRunner
    settings: Settings
    folder: Path

    def learner(self, chat: str) -> UUID:
        return self.container.app.register_learner("telegram", chat, "toefl_interview", "B2")

    def answer(self, learner: UUID, key: str, spoken: str = ANSWER) -> tuple[UUID, int]:
        app = self.container.app
        session_id = app.start_session(learner, get_prompt("toefl-int-06"), source_key=key)
        ref = self.container.store.put(script(self.folder / f"{key}.txt", spoken))
        return session_id, app.receive_audio(session_id, ref, 100, "audio/ogg")

    @staticmethod
    def learner_id_of(chat: str) -> UUID:
        return learner_id("telegram", chat)

    def caught_up(self) -> bool:
        return self.runner.views.wait(self.container.app.recorder.max_notification_id() or 0)


def _container(settings: Settings) -> Container:
    return bootstrap(
        settings, decoder=ScriptedDecoder(), stt=ScriptedSpeechToText(), feedback=RuleBasedCoach()
    )


@pytest.fixture(params=STORES)
def coach(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Coach]:
    with settings_on(request.param, tmp_path / "home", request) as settings:
        container = _container(settings)
        runner = start_views(container.app, settings.views_env())
        yield Coach(container, runner, settings, tmp_path)
        runner.stop()
        container.close()


def test_a_scored_answer_can_be_shown_again_from_the_view(coach: Coach):
    session_id, attempt = coach.answer(coach.learner("1001"), "m1")
    assert coach.caught_up()
    shown = coach.runner.views.attempt(session_id, attempt)
    recorded = coach.container.app.get_session(session_id).attempts[attempt]
    assert shown is not None
    assert shown.stage == "scored"
    assert shown.prompt_text == get_prompt("toefl-int-06").text
    assert shown.mode == "toefl_interview"
    assert shown.transcript == recorded.transcript
    assert recorded.feedback is not None
    assert shown.feedback == recorded.feedback.to_dict()
    assert shown.failure is None


def test_a_failed_answer_shows_its_reason_and_counts_in_history(coach: Coach):
    learner = coach.learner("1001")
    session_id, attempt = coach.answer(learner, "bad", spoken="error:no_speech")
    assert coach.caught_up()
    shown = coach.runner.views.attempt(session_id, attempt)
    assert shown is not None
    assert shown.feedback is None
    assert shown.failure is not None
    assert shown.failure["reason_code"] == "no_speech"
    assert [row.outcome for row in coach.runner.views.history(learner)] == ["no_speech"]


def test_history_is_each_learners_own_newest_last_and_limited(coach: Coach):
    me, other = coach.learner("1001"), coach.learner("2002")
    mine = [coach.answer(me, key)[0] for key in ("first", "second", "third")]
    coach.answer(other, "theirs")
    assert coach.caught_up()
    views = coach.runner.views
    assert [row.session_id for row in views.rows(me)] == mine
    assert [row.session_id for row in views.history(me, limit=2)] == mine[1:]
    assert {row.learner_id for row in views.rows(other)} == {other}
    assert views.history(coach.learner("3003")) == []


def test_the_view_holds_the_same_rows_as_folding_the_whole_log(coach: Coach):
    learner = coach.learner("1001")
    coach.answer(learner, "a")
    coach.answer(learner, "b", spoken="error:invalid_audio")
    coach.answer(learner, "c", spoken=ANSWER.replace("um@1.2-1.5 ", ""))
    assert coach.caught_up()
    folded = build_history(coach.container.app.all_events(), learner)
    assert coach.runner.views.rows(learner) == folded


def test_rebuilding_the_views_from_scratch_gives_the_same_views(coach: Coach):
    learner = coach.learner("1001")
    answers = [coach.answer(learner, key) for key in ("a", "b")]
    answers.append(coach.answer(learner, "c", spoken="error:too_long"))
    assert coach.caught_up()
    env = coach.settings.views_env()
    if "SQLITE_DBNAME" in env:
        env["SQLITE_DBNAME"] = str(coach.folder / "rebuilt.sqlite")
    if "POSTGRES_SCHEMA" in env:  # a second schema beside the test's own, dropped with it
        env["POSTGRES_SCHEMA"] += "_rebuilt"
        prepare_database(env)
    recorder, close = open_view(env)
    rebuilt = ViewsRunner(coach.container.app, recorder, close).start()
    try:
        assert rebuilt.views.wait(coach.runner.views.max_tracking_id())
        assert rebuilt.views.rows(learner) == coach.runner.views.rows(learner)
        assert rebuilt.views.learner(learner) == coach.runner.views.learner(learner)
        for session_id, attempt in answers:
            assert rebuilt.views.attempt(session_id, attempt) == coach.runner.views.attempt(
                session_id, attempt
            )
    finally:
        rebuilt.stop()


def test_replaying_the_log_from_the_start_applies_each_event_once(coach: Coach):
    learner = coach.learner("1001")
    session_id, attempt = coach.answer(learner, "a")
    coach.answer(learner, "b", spoken="error:no_speech")
    assert coach.caught_up()
    views = coach.runner.views
    before = (views.rows(learner), views.attempt(session_id, attempt), views.max_tracking_id())
    app = coach.container.app
    replay = PracticeProjection(view=coach.runner.recorder)
    for notification in app.recorder.select_notifications(start=1, limit=10_000):
        replay.process_event(
            app.mapper.to_domain_event(notification), Tracking(app.name, notification.id)
        )
    after = (views.rows(learner), views.attempt(session_id, attempt), views.max_tracking_id())
    assert after == before


def test_waiting_for_a_position_the_log_never_reaches_gives_up(coach: Coach):
    coach.answer(coach.learner("1001"), "a")
    beyond = (coach.container.app.recorder.max_notification_id() or 0) + 100
    assert coach.runner.views.wait(beyond, timeout=0.2) is False


def test_stopping_the_views_leaves_no_thread_behind(coach: Coach):
    learner = coach.learner("1001")
    assert coach.caught_up()
    before = set(threading.enumerate())
    recorder, close = open_view({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    extra = ViewsRunner(coach.container.app, recorder, close).start()
    coach.answer(learner, "a")
    assert extra.views.wait(coach.container.app.recorder.max_notification_id() or 0)
    assert set(threading.enumerate()) > before, "the views follow the log in the background"
    extra.stop()
    assert set(threading.enumerate()) <= before
    assert extra.views.wait(1, timeout=0.1) is False, "a stopped view no longer answers waits"


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_views_in_a_lasting_store_catch_up_after_a_restart(
    store: str, tmp_path: Path, request: pytest.FixtureRequest
):
    with settings_on(store, tmp_path / "home", request) as settings:
        _catch_up_after_a_restart(settings, tmp_path)


def _catch_up_after_a_restart(settings: Settings, tmp_path: Path) -> None:
    container = _container(settings)
    coach = Coach(container, start_views(container.app, settings.views_env()), settings, tmp_path)
    learner = coach.learner("1001")
    before = coach.answer(learner, "before")[0]
    assert coach.caught_up()
    position = coach.runner.views.max_tracking_id()
    coach.runner.stop()
    while_down = coach.answer(learner, "while-down")[0]
    container.close()

    container = _container(settings)
    recorder, close = open_view(settings.views_env())
    assert recorder.max_tracking_id(container.app.name) == position
    coach = Coach(
        container, ViewsRunner(container.app, recorder, close).start(), settings, tmp_path
    )
    try:
        assert coach.caught_up()
        assert [row.session_id for row in coach.runner.views.rows(learner)] == [before, while_down]
    finally:
        coach.runner.stop()
        container.close()


def test_a_process_that_never_stops_its_views_still_exits(tmp_path: Path):
    program = (
        "from adapters.settings import Settings\n"
        "from application.coaching import CoachingApp\n"
        "from projections.runner import start_views\n"
        "settings = Settings()\n"
        "app = CoachingApp(env=settings.eventsourcing_env())\n"
        "runner = start_views(app, settings.views_env())\n"
        "app.register_learner('telegram', '1', 'free_talk', 'B1')\n"
        "assert runner.views.wait(app.recorder.max_notification_id())\n"
    )
    for store in ("memory", "sqlite"):
        env = {**os.environ, "SPEECH_COACH_HOME": str(tmp_path), "SPEECH_COACH_EVENT_STORE": store}
        done = subprocess.run(
            [sys.executable, "-c", program],
            cwd=Path(__file__).parents[2],
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()


def test_an_event_recorded_while_the_views_start_is_not_missed(coach: Coach):
    app = coach.container.app
    for chat in range(20):
        recorder, close = open_view({"PERSISTENCE_MODULE": "eventsourcing.popo"})
        starting = ViewsRunner(app, recorder, close).start()
        coach.learner(str(chat))
        try:
            assert starting.views.wait(app.recorder.max_notification_id() or 0, timeout=2)
        finally:
            starting.stop()


def test_views_kept_for_a_replaced_event_log_are_rebuilt_from_it(tmp_path: Path):
    settings = Settings(SPEECH_COACH_HOME=tmp_path / "home", SPEECH_COACH_EVENT_STORE="sqlite")
    container = _container(settings)
    coach = Coach(container, start_views(container.app, settings.views_env()), settings, tmp_path)
    old = coach.learner("1001")
    for key in ("a", "b", "c"):
        coach.answer(old, key)
    assert coach.caught_up()
    coach.runner.stop()
    container.close()
    settings.event_store_path.unlink()

    container = _container(settings)
    coach = Coach(container, start_views(container.app, settings.views_env()), settings, tmp_path)
    try:
        learner = coach.learner("2002")
        session_id, _ = coach.answer(learner, "fresh")
        assert coach.caught_up()
        assert [row.session_id for row in coach.runner.views.rows(learner)] == [session_id]
        assert coach.runner.views.rows(old) == []
    finally:
        coach.runner.stop()
        container.close()


def test_a_learners_settings_and_active_prompt_are_read_from_the_view(coach: Coach):
    app = coach.container.app
    learner = coach.learner("1001")
    assert coach.caught_up()
    views = coach.runner.views
    assert views.learner(learner) == LearnerView(learner, "toefl_interview", "B2")
    app.change_settings(learner, "ielts_part2", "C1")
    session_id = app.start_practice(learner, get_prompt("ielts-p2-01"), "telegram:1001:7")
    assert coach.caught_up()
    shown = views.learner(learner)
    recorded = app.get_learner(learner)
    assert shown == LearnerView(learner, "ielts_part2", "C1", session_id, "ielts-p2-01")
    assert (shown.mode, shown.level, shown.active_session_id, shown.active_prompt_id) == (
        recorded.mode, recorded.level, recorded.active_session_id, recorded.active_prompt_id,
    )  # fmt: skip
    assert views.learner(coach.learner_id_of("2002")) is None, "nobody registered yet"


def test_views_of_an_older_shape_are_rebuilt_with_the_learners(tmp_path: Path):
    settings = Settings(SPEECH_COACH_HOME=tmp_path / "home", SPEECH_COACH_EVENT_STORE="sqlite")
    container = _container(settings)
    coach = Coach(container, start_views(container.app, settings.views_env()), settings, tmp_path)
    learner = coach.learner("1001")
    session_id, _ = coach.answer(learner, "a")
    assert coach.caught_up()
    coach.runner.stop()
    container.close()
    # As an older release left it: no learners kept, and no shape version.
    file = settings.views_env()["SQLITE_DBNAME"]
    with contextlib.closing(sqlite3.connect(file)) as db, db:
        db.execute("DELETE FROM practice_learners")
        db.execute("PRAGMA user_version = 0")

    container = _container(settings)
    coach = Coach(container, start_views(container.app, settings.views_env()), settings, tmp_path)
    try:
        assert coach.caught_up()
        assert coach.runner.views.learner(learner) is not None
        assert [row.session_id for row in coach.runner.views.rows(learner)] == [session_id]
    finally:
        coach.runner.stop()
        container.close()
