"""The analytics dataflow on real parts (Bytewax, chDB, the SQLite or PostgreSQL event log):
answers recorded by the application appear as window rows, each counted once, across runs
and across a crash in the middle of one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.bootstrap import Container, bootstrap
from analytics import flow
from analytics.answers import AnswerAssembly
from analytics.store import ChdbStore, migrate
from analytics.windows import AnswerFact, Tally, Windows
from domain.prompts import get_prompt
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText, script
from tests.support.services import settings_on

SPOKEN = "I@0.5-0.7 think@0.7-1.0 um@1.2-1.5 rivers@2.8-3.3 matter.@3.3-3.9"
MODES = ("free_talk", "ielts_part1", "job_interview")


@pytest.fixture(params=["sqlite", "postgres"])
def container(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Container]:
    with settings_on(request.param, tmp_path / "home", request) as settings:
        built = bootstrap(settings, decoder=ScriptedDecoder(), stt=ScriptedSpeechToText())
        yield built
        built.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ChdbStore]:
    """chDB in a folder of the test's own (a process has one folder open at a time)."""
    opened = ChdbStore(tmp_path / "chdb")
    migrate(opened)
    yield opened
    opened.close()


def _answers(container: Container, tmp_path: Path, first: int, count: int) -> None:
    app = container.app
    for n in range(first, first + count):
        mode = MODES[n % len(MODES)]
        learner = app.register_learner("telegram", str(1000 + n % 7), mode, "B2")
        if app.get_learner(learner).mode != mode:
            app.change_settings(learner, mode, "B2")
        session_id = app.start_session(learner, get_prompt("toefl-int-06"), source_key=f"k{n}")
        ref = container.store.put(script(tmp_path / f"{n}.txt", SPOKEN))
        attempt = app.receive_audio(session_id, ref, 100, "audio/ogg")
        app.mark_delivered(session_id, attempt, "telegram", str(n))


def _facts(container: Container) -> list[AnswerFact]:
    app, assembly, facts = container.app, AnswerAssembly(), []
    for notification in app.recorder.select_notifications(start=1, limit=100_000):
        fact = assembly.take(notification.id, app.mapper.to_domain_event(notification))
        if fact is not None:
            facts.append(fact)
    return facts


def _run(container: Container, store: ChdbStore, home: Path, **source: Any) -> flow.Progress:
    progress = flow.Progress(say=lambda _text: None)
    log = flow.EventLogSource(container.app.recorder, container.app.mapper, follow=False,
                              progress=progress, **source)  # fmt: skip
    flow.run(log, flow.WindowSink(store, progress), home / "recovery", epoch_s=0.05)
    return progress


def _stored(store: ChdbStore) -> dict[tuple[str, int, str, str], dict[str, Any]]:
    rows = store.rows(
        "SELECT sliding, toUnixTimestamp(start) AS start, dimension, value, answers, "
        "active_learners, mean_wpm FROM answer_windows FINAL"
    )
    return {(r["sliding"], int(r["start"]), r["dimension"], r["value"]): r for r in rows}


def _expected(facts: list[AnswerFact]) -> dict[tuple[str, int, str, str], Tally]:
    windows = Windows()
    tallies: dict[tuple[str, int, str, str], Tally] = {}
    for fact in facts:
        for sliding in windows.slidings:
            for start in sliding.starts(fact.at):
                for dimension, value in fact.dimensions():
                    tallies.setdefault((sliding.name, start, dimension, value), Tally()).add(fact)
    return tallies


def _check(store: ChdbStore, facts: list[AnswerFact]) -> None:
    stored, expected = _stored(store), _expected(facts)
    assert set(stored) == set(expected), "a row for each window that holds an answer"
    for key, tally in expected.items():
        row = stored[key]
        assert (row["answers"], row["active_learners"]) == (tally.answers, len(tally.learners))
        assert row["mean_wpm"] == pytest.approx(tally.row()["mean_wpm"])


def test_answers_become_windows_each_counted_once_across_runs(container, store, tmp_path):  # type: ignore[no-untyped-def]
    _answers(container, tmp_path, 0, 12)
    first = _run(container, store, tmp_path)
    assert first.events > 0
    _check(store, _facts(container))
    again = _run(container, store, tmp_path)
    assert again.events == 0, "a second run resumes where the first stopped"
    _answers(container, tmp_path, 12, 9)
    _run(container, store, tmp_path)
    facts = _facts(container)
    assert len(facts) == 21
    _check(store, facts)
    overall = [r for k, r in _stored(store).items() if k[0] == "1h/5m" and k[2] == "all"]
    assert max(r["answers"] for r in overall) == 21


class _CrashError(Exception):
    pass


def test_a_run_that_crashes_midway_resumes_and_counts_each_answer_once(container, store, tmp_path):  # type: ignore[no-untyped-def]
    _answers(container, tmp_path, 0, 15)
    progress = flow.Progress(say=lambda _text: None)
    written = 0

    class CrashingSink(flow.WindowSink):
        def build(self, step_id: str, worker_index: int, worker_count: int) -> Any:
            part = super().build(step_id, worker_index, worker_count)
            write = part.write_batch

            def write_then_crash(items: list[Any]) -> None:
                nonlocal written
                write(items)
                written += len(items)
                if written > 100:
                    raise _CrashError("the dataflow dies after writing some windows")

            part.write_batch = write_then_crash  # type: ignore[method-assign]
            return part

    log = flow.EventLogSource(container.app.recorder, container.app.mapper, follow=False,
                              progress=progress, batch=7)  # fmt: skip
    with pytest.raises(Exception, match="error writing output batch"):  # as Bytewax says it
        flow.run(log, CrashingSink(store, progress), tmp_path / "recovery", epoch_s=0.0)
    assert written > 100, "some windows were written before the crash"
    resumed = _run(container, store, tmp_path)
    total = container.app.recorder.max_notification_id() or 0
    assert 0 < resumed.events < total, "resumed from the last snapshot, not from the start"
    _check(store, _facts(container))
