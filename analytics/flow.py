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

import base64
import contextlib
import copy
import json
import logging
import pickle
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import bytewax.operators as op
from bytewax.connectors.kafka import KafkaError, KafkaSource
from bytewax.dataflow import Dataflow
from bytewax.inputs import FixedPartitionedSource, StatefulSourcePartition
from bytewax.operators import StatefulLogic
from bytewax.outputs import DynamicSink, StatelessSinkPartition
from bytewax.recovery import RecoveryConfig, init_db_dir
from bytewax.run import cli_main
from confluent_kafka import OFFSET_BEGINNING, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]
from eventsourcing.persistence import ApplicationRecorder, Mapper, StoredEvent

from analytics.answers import AnswerAssembly
from analytics.pipeline import CaptureLag, StageCounts
from analytics.store import AnalyticsStore, Row, write_rows
from analytics.windows import Windows

_log = logging.getLogger(__name__)
Event = tuple[int, Any]  # notification id, domain event
X = TypeVar("X")
S = TypeVar("S")


@dataclass
class Analytics:
    """The dataflow's one state: answers being assembled, windows open."""

    answers: AnswerAssembly = field(default_factory=AnswerAssembly)
    windows: Windows = field(default_factory=Windows)
    stages: StageCounts = field(default_factory=StageCounts)
    lag: CaptureLag = field(default_factory=CaptureLag)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A snapshot taken before the stage counts and the capture lag existed resumes
        with them empty."""
        self.__dict__.update({"stages": StageCounts(), "lag": CaptureLag(), **state})

    def __deepcopy__(self, _memo: dict[int, Any]) -> Analytics:
        """Bytewax snapshots a step's state with copy.deepcopy at the end of every epoch;
        for this plain data a pickle round trip gives the same copy several times faster
        (measured: 0.2 s against 1.5 s for a state of 3,400 open windows)."""
        frozen = pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)
        copied: Analytics = pickle.loads(frozen)  # noqa: S301 - our own state, in memory
        return copied

    def take_all(self, events: Iterable[Event], now: float | None = None) -> list[Row]:
        """Events in, the windows they changed out (each once, however many changed it);
        the stage counts and the capture lag (`now`: when the events were read) are
        counted too, and come out of `side_rows`."""
        now = time.time() if now is None else now
        answers, windows, stages = self.answers, self.windows, self.stages
        lags = []
        for notification_id, event in events:
            taken = answers.last_id
            fact = answers.take(notification_id, event)
            if answers.last_id != taken:  # not one seen before
                lags.append(now - event.timestamp.timestamp())
            if fact is not None:
                stages.add(fact, windows.watermark)
                windows.add(fact)
        self.lag.add(now, lags)
        return list(windows.flush())

    def side_rows(self, now: float | None = None) -> list[Row]:
        """The stage buckets and capture-lag minutes changed (or closed) since last asked."""
        now = time.time() if now is None else now
        return [*self.stages.flush(self.windows.watermark), *self.lag.flush(now)]


SIDE_EVERY_S = 2.0  # a ClickHouse insert costs ~10 ms however small: not one per batch


class _Step(StatefulLogic[list[Event], list[Row], Analytics]):
    """The dataflow's one stateful step: the windows a batch changed go out with it; the
    stage counts and capture lag, small but a table (an insert) each, at most every
    `every_s`, and whatever is left when the input ends."""

    def __init__(self, state: Analytics, every_s: float = SIDE_EVERY_S) -> None:
        self.state, self.every_s = state, every_s
        self._side_at = 0.0  # when they last went out
        self._pending = False

    def on_item(self, value: list[Event]) -> tuple[Iterable[list[Row]], bool]:
        rows = self.state.take_all(value)
        self._pending = True
        if time.monotonic() - self._side_at >= self.every_s:
            rows += self._side()
        return [rows], StatefulLogic.RETAIN

    def on_notify(self) -> tuple[Iterable[list[Row]], bool]:
        return [self._side()], StatefulLogic.RETAIN

    def on_eof(self) -> tuple[Iterable[list[Row]], bool]:
        return [self._side()], StatefulLogic.RETAIN

    def notify_at(self) -> datetime | None:
        if not self._pending:
            return None
        return datetime.now(UTC) + timedelta(seconds=max(
            self.every_s - (time.monotonic() - self._side_at), 0.0))  # fmt: skip

    def snapshot(self) -> Analytics:
        return copy.deepcopy(self.state)

    def _side(self) -> list[Row]:
        self._side_at, self._pending = time.monotonic(), False
        return self.state.side_rows()


@dataclass
class Progress:
    """What a run did, for the command's output."""

    events: int = 0
    rows: int = 0
    last_id: int = 0
    stopping: bool = False  # set (by a signal handler) to end the run after this batch
    say: Callable[[str], object] = field(default=lambda text: sys.stderr.write(f"{text}\n"))
    every_s: float = 2.0  # at most one line this often, while events come
    _said: float = 0.0

    _idle: bool = True

    def read(self, count: int, last_id: int) -> None:
        self.events += count
        self.last_id = last_id
        self._idle = False
        if time.monotonic() - self._said >= self.every_s:
            self._tell()

    def caught_up(self) -> None:
        """Nothing more to read for now: say how far it got, once."""
        if not self._idle:
            self._idle = True
            self._tell(", waiting for more")

    def _tell(self, then: str = "") -> None:
        self._said = time.monotonic()
        self.say(f"read {self.events} events (up to #{self.last_id}), "
                 f"{self.rows} window rows{then}")  # fmt: skip


class _LogPartition(StatefulSourcePartition[list[Event], int]):
    def __init__(
        self, recorder: ApplicationRecorder, mapper: Mapper[Any], position: int,
        follow: bool, progress: Progress, batch: int = 1_000, poll_s: float = 0.5,
    ) -> None:  # fmt: skip
        self.recorder, self.mapper, self.position = recorder, mapper, position
        self.follow, self.progress, self.batch, self.poll_s = follow, progress, batch, poll_s
        self._awake: datetime | None = None

    def next_batch(self) -> Iterable[list[Event]]:
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
        return [[(n.id, self.mapper.to_domain_event(n)) for n in notifications]]  # one item

    def next_awake(self) -> datetime | None:
        return self._awake

    def snapshot(self) -> int:
        return self.position


class EventLogSource(FixedPartitionedSource[list[Event], int]):
    """The event store's notification log, one partition, resumed after the last id read,
    in items of up to `batch` events (the dataflow moves a batch as one item: a step per
    event would cost more than the event). With `follow`, it keeps polling for new events;
    without, it stops at the log's end."""

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


class _StoppablePartition(StatefulSourcePartition[X, S]):
    def __init__(self, inner: StatefulSourcePartition[X, S], progress: Progress) -> None:
        self.inner, self.progress = inner, progress

    def next_batch(self) -> Iterable[X]:
        if self.progress.stopping:
            raise StopIteration  # the dataflow ends as at the end of its input, state kept
        batch = list(self.inner.next_batch())
        if not batch:
            self.progress.caught_up()
        return batch

    def next_awake(self) -> datetime | None:
        return self.inner.next_awake()

    def snapshot(self) -> S:
        return self.inner.snapshot()

    def close(self) -> None:
        self.inner.close()


class Stoppable(FixedPartitionedSource[X, S]):
    """`inner`, ended cleanly (its position and the state snapshotted) once
    `progress.stopping` is set, as a signal handler does."""

    def __init__(self, inner: FixedPartitionedSource[X, S], progress: Progress) -> None:
        self.inner, self.progress = inner, progress

    def list_parts(self) -> list[str]:
        return self.inner.list_parts()

    def build_part(
        self, step_id: str, for_part: str, resume_state: S | None
    ) -> _StoppablePartition[X, S]:
        part = self.inner.build_part(step_id, for_part, resume_state)
        return _StoppablePartition(part, self.progress)


def change_decoder(mapper: Mapper[Any], progress: Progress) -> Callable[[Any], Event | None]:
    """Debezium's change of an event table row (JSON, without schemas; the state in
    base64) as the event it stores; None for what is not an insert (the table is only
    ever appended to: a snapshot row "r" or an insert "c")."""

    def decode(message: Any) -> Event | None:
        if isinstance(message, KafkaError):
            _log.warning("Kafka reported %s; reading on", message.err)
            return None
        if message.value is None:
            return None
        change = json.loads(message.value)
        if change.get("op") not in ("c", "r") or not change.get("after"):
            return None
        row = change["after"]
        stored = StoredEvent(
            originator_id=UUID(row["originator_id"]),
            originator_version=int(row["originator_version"]),
            topic=row["topic"],
            state=base64.b64decode(row["state"]),
        )
        progress.read(1, int(row["notification_id"]))
        return int(row["notification_id"]), mapper.to_domain_event(stored)

    return decode


def ensure_topic(brokers: str, topic: str, timeout_s: float = 30.0) -> None:
    """The changes' topic, made (one partition: the log's order) if Debezium has not made
    it yet, which it does with the first row it captures."""
    admin = AdminClient({"bootstrap.servers": brokers})
    if topic in admin.list_topics(timeout=timeout_s).topics:
        return
    future = admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    with contextlib.suppress(KafkaException):  # made meanwhile, by Debezium
        future[topic].result(timeout_s)


def kafka_source(brokers: str, topic: str, *, follow: bool) -> KafkaSource:
    """The changes' topic from its beginning (a run resumed by recovery goes on from the
    offset in its snapshot); without `follow`, it ends at the topic's end. Kafka's errors
    (a broker restarting) are logged and read past, not a reason to stop."""
    ensure_topic(brokers, topic)
    return KafkaSource(brokers.split(","), [topic], tail=follow, starting_offset=OFFSET_BEGINNING,
                       raise_on_errors=False)  # fmt: skip


class _StorePartition(StatelessSinkPartition[list[Row]]):
    def __init__(self, store: AnalyticsStore, progress: Progress) -> None:
        self.store, self.progress = store, progress

    def write_batch(self, items: list[list[Row]]) -> None:
        self.progress.rows += write_rows(self.store, [row for rows in items for row in rows])


class WindowSink(DynamicSink[list[Row]]):
    """The tables of `store` (one process owns a chDB folder: this one)."""

    def __init__(self, store: AnalyticsStore, progress: Progress) -> None:
        self.store, self.progress = store, progress

    def build(self, step_id: str, worker_index: int, worker_count: int) -> _StorePartition:
        return _StorePartition(self.store, self.progress)


def build_flow(
    source: FixedPartitionedSource[Any, Any], sink: WindowSink, lateness_s: float = 600.0,
    decode: Callable[[Any], Event | None] | None = None, batch: int = 2_000,
    batch_s: float = 0.2,
) -> Dataflow:  # fmt: skip
    def step(resumed: Analytics | None) -> _Step:
        return _Step(resumed or Analytics(windows=Windows(lateness_s=lateness_s)))

    flow = Dataflow("speech_coach_analytics")
    items = op.input("events", flow, source)
    if decode is None:  # the source gives lists of events
        batches = op.key_on("one_state", items, lambda _batch: "all")
    else:  # one message at a time: decoded, then gathered into lists
        events = op.filter_map("decode", items, decode)
        keyed = op.key_on("one_state", events, lambda _event: "all")
        batches = op.collect("batches", keyed, timeout=timedelta(seconds=batch_s),
                             max_size=batch)  # fmt: skip
    # A window changed by many events of a batch is written once, with its latest figures.
    windows = op.stateful("windows", batches, step)
    rows = op.filter_map("rows", windows, lambda keyed_rows: keyed_rows[1] or None)
    op.output("clickhouse", rows, sink)
    return flow


def run(
    source: FixedPartitionedSource[Any, Any], sink: WindowSink, recovery_dir: Path,
    lateness_s: float = 600.0, epoch_s: float = 5.0,
    decode: Callable[[Any], Event | None] | None = None, batch: int = 2_000,
) -> None:  # fmt: skip
    """Run the dataflow to its end (or until stopped), with recovery in `recovery_dir`:
    a run started after another resumes where that one's last snapshot left it."""
    if not any(recovery_dir.glob("*.sqlite3")):
        recovery_dir.mkdir(parents=True, exist_ok=True)
        init_db_dir(recovery_dir, 1)
    cli_main(
        build_flow(source, sink, lateness_s, decode, batch),
        epoch_interval=timedelta(seconds=epoch_s),
        recovery_config=RecoveryConfig(str(recovery_dir)),
    )
