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
from analytics.store import ChdbStore, migrate
from tests.support.analytics import (
    assert_lag_read,
    assert_windows_match,
    facts_in_log,
    make_answers,
    stored_windows,
)
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText
from tests.support.services import settings_on


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


def _run(container: Container, store: ChdbStore, home: Path, **source: Any) -> flow.Progress:
    progress = flow.Progress(say=lambda _text: None)
    log = flow.EventLogSource(container.app.recorder, container.app.mapper, follow=False,
                              progress=progress, **source)  # fmt: skip
    flow.run(log, flow.WindowSink(store, progress), home / "recovery", epoch_s=0.05)
    return progress


def test_answers_become_windows_each_counted_once_across_runs(container, store, tmp_path):  # type: ignore[no-untyped-def]
    make_answers(container, tmp_path, 0, 12)
    first = _run(container, store, tmp_path)
    assert first.events > 0
    assert_windows_match(store, facts_in_log(container))
    again = _run(container, store, tmp_path)
    assert again.events == 0, "a second run resumes where the first stopped"
    make_answers(container, tmp_path, 12, 9)
    _run(container, store, tmp_path)
    facts = facts_in_log(container)
    assert len(facts) == 21
    assert_windows_match(store, facts)
    overall = [r for k, r in stored_windows(store).items() if k[0] == "1h/5m" and k[2] == "all"]
    assert max(r["answers"] for r in overall) == 21
    assert_lag_read(store, container.app.recorder.max_notification_id() or 0)


class _CrashError(Exception):
    pass


def test_a_run_that_crashes_midway_resumes_and_counts_each_answer_once(container, store, tmp_path):  # type: ignore[no-untyped-def]
    make_answers(container, tmp_path, 0, 15)
    progress = flow.Progress(say=lambda _text: None)
    written = 0

    class CrashingSink(flow.WindowSink):
        def build(self, step_id: str, worker_index: int, worker_count: int) -> Any:
            part = super().build(step_id, worker_index, worker_count)
            write = part.write_batch

            def write_then_crash(items: list[Any]) -> None:
                nonlocal written
                write(items)
                written += sum(len(rows) for rows in items)
                if written > 100:  # a few batches in
                    raise _CrashError("the dataflow dies after writing some windows")

            part.write_batch = write_then_crash  # type: ignore[method-assign]
            return part

    log = flow.EventLogSource(container.app.recorder, container.app.mapper, follow=False,
                              progress=progress, batch=7)  # fmt: skip
    with pytest.raises(Exception, match="error writing output batch"):  # as Bytewax says it
        flow.run(log, CrashingSink(store, progress), tmp_path / "recovery", epoch_s=0.0,
                 batch=5)  # fmt: skip
    assert written > 100, "some windows were written before the crash"
    resumed = _run(container, store, tmp_path)
    total = container.app.recorder.max_notification_id() or 0
    assert 0 < resumed.events < total, "resumed from the last snapshot, not from the start"
    assert_windows_match(store, facts_in_log(container))
