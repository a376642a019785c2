"""The analytics dataflow (Bytewax): events in, sliding windows out to ClickHouse.

    event log ──> answers (AnswerAssembly) ──> windows (Windows) ──> ClickHouse

Without Kafka the events come straight from the event store's notification log (SQLite
or PostgreSQL), read from where the last run stopped; with it, from Debezium's topic. The
one stateful step holds the answers being assembled and the open windows; with recovery
on, Bytewax snapshots it together with the source's position at the end of each epoch,
and a dataflow started again after a crash resumes from the last snapshot. Rows written
after that snapshot are written again, with the same versions, and ClickHouse keeps one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition
from bytewax.outputs import DynamicSink, StatelessSinkPartition
from bytewax.recovery import RecoveryConfig, init_db_dir
from bytewax.run import cli_main
from eventsourcing.persistence import ApplicationRecorder, Mapper

from analytics.answers import AnswerAssembly
from analytics.store import AnalyticsStore, write_windows
from analytics.windows import WindowRow, Windows

Event = tuple[int, Any]  # notification id, domain event


@dataclass
class Analytics:
    """The dataflow's one state: answers being assembled, windows open."""

    answers: AnswerAssembly = field(default_factory=AnswerAssembly)
    windows: Windows = field(default_factory=Windows)

    def take(self, event: Event) -> list[WindowRow]:
        fact = self.answers.take(*event)
        return [] if fact is None else self.windows.fold(fact)


@dataclass
class Progress:
    """What a run did, for the command's output."""

    events: int = 0
    rows: int = 0
    last_id: int = 0
    stopping: bool = False  # set (by a signal handler) to end the run after this batch
    say: Callable[[str], object] = field(default=lambda text: sys.stderr.write(f"{text}\n"))
    _said_at: int = 0

    def read(self, count: int, last_id: int) -> None:
        self.events += count
        self.last_id = last_id
        if self.events - self._said_at >= 10_000:
            self._said_at = self.events
            self.say(f"read {self.events} events (up to #{last_id}), {self.rows} window rows")


class _LogPartition(StatefulSourcePartition[Event, int]):
    def __init__(
        self, recorder: ApplicationRecorder, mapper: Mapper[Any], position: int,
        follow: bool, progress: Progress, batch: int = 1_000, poll_s: float = 0.5,
    ) -> None:  # fmt: skip
        self.recorder, self.mapper, self.position = recorder, mapper, position
        self.follow, self.progress, self.batch, self.poll_s = follow, progress, batch, poll_s
        self._awake: datetime | None = None

    def next_batch(self) -> Iterable[Event]:
        if self.progress.stopping:
            raise StopIteration  # the dataflow ends as at the log's end, its state kept
        notifications = self.recorder.select_notifications(start=self.position + 1,
                                                           limit=self.batch)  # fmt: skip
        if not notifications:
            if not self.follow:
                raise StopIteration
            self._awake = datetime.now(UTC) + timedelta(seconds=self.poll_s)
            return []
        self._awake = None
        self.position = notifications[-1].id
        self.progress.read(len(notifications), self.position)
        return [(n.id, self.mapper.to_domain_event(n)) for n in notifications]

    def next_awake(self) -> datetime | None:
        return self._awake

    def snapshot(self) -> int:
        return self.position


class EventLogSource(FixedPartitionedSource[Event, int]):
    """The event store's notification log, one partition, resumed after the last id read.
    With `follow`, it keeps polling for new events; without, it stops at the log's end."""

    def __init__(
        self, recorder: ApplicationRecorder, mapper: Mapper[Any], *, follow: bool,
        progress: Progress, batch: int = 1_000,
    ) -> None:  # fmt: skip
        self.recorder, self.mapper, self.follow, self.progress = recorder, mapper, follow, progress
        self.batch = batch

    def list_parts(self) -> list[str]:
        return ["log"]

    def build_part(self, step_id: str, for_part: str, resume_state: int | None) -> _LogPartition:
        self.progress.last_id = resume_state or 0
        return _LogPartition(self.recorder, self.mapper, resume_state or 0, self.follow,
                             self.progress, self.batch)  # fmt: skip


class _StorePartition(StatelessSinkPartition[WindowRow]):
    def __init__(self, store: AnalyticsStore, progress: Progress) -> None:
        self.store, self.progress = store, progress

    def write_batch(self, items: list[WindowRow]) -> None:
        self.progress.rows += write_windows(self.store, items)


class WindowSink(DynamicSink[WindowRow]):
    """The windows table of `store` (one process owns a chDB folder: this one)."""

    def __init__(self, store: AnalyticsStore, progress: Progress) -> None:
        self.store, self.progress = store, progress

    def build(self, step_id: str, worker_index: int, worker_count: int) -> _StorePartition:
        return _StorePartition(self.store, self.progress)


def build_flow(
    source: FixedPartitionedSource[Event, int], sink: WindowSink, lateness_s: float = 600.0
) -> Dataflow:
    def step(state: Analytics | None, event: Event) -> tuple[Analytics, list[WindowRow]]:
        state = state or Analytics(windows=Windows(lateness_s=lateness_s))
        return state, state.take(event)

    flow = Dataflow("speech_coach_analytics")
    events = op.input("events", flow, source)
    keyed = op.key_on("one_state", events, lambda _event: "all")
    windows = op.stateful_map("windows", keyed, step)
    rows = op.flat_map("rows", windows, lambda keyed_rows: keyed_rows[1])
    op.output("clickhouse", rows, sink)
    return flow


def run(
    source: FixedPartitionedSource[Event, int], sink: WindowSink, recovery_dir: Path,
    lateness_s: float = 600.0, epoch_s: float = 1.0,
) -> None:  # fmt: skip
    """Run the dataflow to its end (or until stopped), with recovery in `recovery_dir`:
    a run started after another resumes where that one's last snapshot left it."""
    if not any(recovery_dir.glob("*.sqlite3")):
        recovery_dir.mkdir(parents=True, exist_ok=True)
        init_db_dir(recovery_dir, 1)
    cli_main(
        build_flow(source, sink, lateness_s),
        epoch_interval=timedelta(seconds=epoch_s),
        recovery_config=RecoveryConfig(str(recovery_dir)),
    )
