"""Where the windows go: ClickHouse, in-process (chDB, a folder the dataflow owns) or a
server (clickhouse-connect, when CLICKHOUSE_URL names one); the same migrations and the
same SQL for both.

A window is written again each time an answer changes it (and once more when it is
final), with a higher version each time; the table is a ReplacingMergeTree on that
version, so the latest figures stand, and a replay that writes the same rows again after
a crash changes nothing. Queries read with FINAL.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import pyarrow

from analytics.pipeline import LagRow, StageRow
from analytics.windows import MEASURES, WindowRow
from domain.errors import SpeechCoachError

WINDOWS_TABLE = "answer_windows"
STAGES_TABLE = "stage_outcomes"  # five-minute buckets of event time: sum them for a window
LAG_TABLE = "capture_lag"  # a minute of reading time each

FIGURES = (
    "answers",
    "active_learners",
    "failure_rate",
    *(f"mean_{name}" for name in MEASURES),
    "latency_p50_s",
    "latency_p95_s",
)

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        f"CREATE TABLE IF NOT EXISTS {WINDOWS_TABLE} ("
        " sliding LowCardinality(String),"
        " start DateTime('UTC'),"
        " end DateTime('UTC'),"
        " dimension LowCardinality(String),"
        " value String,"
        " version UInt64,"
        " final UInt8,"
        " answers UInt64,"
        " active_learners UInt64,"
        " failure_rate Float64,"
        + "".join(f" mean_{name} Nullable(Float64)," for name in MEASURES)
        + " latency_p50_s Nullable(Float64),"
        " latency_p95_s Nullable(Float64)"
        ") ENGINE = ReplacingMergeTree(version)"
        " ORDER BY (sliding, dimension, value, start)",
    ),
    (
        2,
        f"CREATE TABLE IF NOT EXISTS {STAGES_TABLE} ("
        " start DateTime('UTC'),"
        " stage LowCardinality(String),"
        " provider LowCardinality(String),"
        " outcome LowCardinality(String),"
        " answers UInt64,"
        " version UInt64,"
        " final UInt8"
        ") ENGINE = ReplacingMergeTree(version) ORDER BY (stage, provider, outcome, start)",
    ),
    (
        3,
        f"CREATE TABLE IF NOT EXISTS {LAG_TABLE} ("
        " start DateTime('UTC'),"
        " events UInt64,"
        " lag_p50_s Float64,"
        " lag_p95_s Float64,"
        " lag_max_s Float64,"
        " version UInt64,"
        " final UInt8"
        ") ENGINE = ReplacingMergeTree(version) ORDER BY start",
    ),
)


class AnalyticsStore(Protocol):
    """ClickHouse, as the analytics use it."""

    def command(self, sql: str) -> None: ...

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """The result as dicts; `params` fill ClickHouse's {name:Type} placeholders."""
        ...

    def insert(self, table: str, columns: Mapping[str, Sequence[Any]]) -> None:
        """Rows given by column: each name with its values, all of one length."""
        ...

    def close(self) -> None: ...


class StoreBusyError(SpeechCoachError):
    """The chDB folder is open in another process."""


class ChdbStore:
    """ClickHouse in this process (chDB), its data in `path`. Only one process can have a
    folder open at a time (the one that runs the dataflow, or one that reads): a lock file
    in the folder says which, so a second one is refused with a message instead of chDB's
    own "Error initializing EmbeddedServer"."""

    def __init__(self, path: Path) -> None:
        from chdb import session

        path.mkdir(parents=True, exist_ok=True)
        self._owner = (path / ".owner").open("a+")
        try:
            fcntl.flock(self._owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._owner.seek(0)
            pid = self._owner.read().strip() or "another process"
            self._owner.close()
            raise StoreBusyError(
                f"The analytics store in {path} is open in process {pid} (`speech-coach "
                "analytics run --follow`?). Stop that first, or set CLICKHOUSE_URL to a "
                "ClickHouse server that both can use."
            ) from None
        self._owner.truncate(0)
        self._owner.write(str(os.getpid()))
        self._owner.flush()
        self._session = session.Session(str(path))
        self._lock = threading.Lock()  # one query at a time: the dataflow's and a reader's

    def command(self, sql: str) -> None:
        with self._lock:
            self._session.query(sql)

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._lock:
            result = self._session.query(sql, "JSONEachRow", params=dict(params or {}))
        return [json.loads(line) for line in result.bytes().splitlines() if line.strip()]

    def insert(self, table: str, columns: Mapping[str, Sequence[Any]]) -> None:
        """The columns, handed over as one Arrow table (chDB's Python() table function reads
        it in place): twice as fast as JSON lines for a batch of windows."""
        if not columns or not len(next(iter(columns.values()))):
            return
        batch = pyarrow.table(dict(columns))  # noqa: F841 - read by name in the SQL below
        names = ", ".join(columns)  # our own table and columns, never a client's text
        sql = f"INSERT INTO {table} ({names}) SELECT {names} FROM Python(batch)"  # noqa: S608
        with self._lock:
            self._session.query(sql)

    def close(self) -> None:
        with self._lock:
            self._session.close()
        self._owner.close()  # and with it the lock file's lock


class ServerStore:
    """A ClickHouse server over HTTP (clickhouse-connect)."""

    def __init__(self, url: str) -> None:
        import clickhouse_connect

        self._client = clickhouse_connect.get_client(dsn=url)

    def command(self, sql: str) -> None:
        self._client.command(sql)

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return list(self._client.query(sql, parameters=dict(params or {})).named_results())

    def insert(self, table: str, columns: Mapping[str, Sequence[Any]]) -> None:
        if columns and len(next(iter(columns.values()))):
            self._client.insert(table, list(columns.values()), column_names=list(columns),
                                column_oriented=True)  # fmt: skip

    def close(self) -> None:
        self._client.close()


def open_store(clickhouse_url: str | None, folder: Path) -> AnalyticsStore:
    """The server `clickhouse_url` names, else chDB in `folder`; migrated to the latest
    schema either way."""
    store: AnalyticsStore = ServerStore(clickhouse_url) if clickhouse_url else ChdbStore(folder)
    migrate(store)
    return store


def migrate(store: AnalyticsStore) -> list[int]:
    """Apply the migrations not applied yet, in order: the versions applied now."""
    store.command(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, applied_at "
        "DateTime('UTC') DEFAULT now()) ENGINE = MergeTree ORDER BY version"
    )
    done = {int(row["version"]) for row in store.rows("SELECT version FROM schema_migrations")}
    applied = []
    for version, sql in MIGRATIONS:
        if version not in done:
            store.command(sql)
            store.insert("schema_migrations", {"version": [version]})
            applied.append(version)
    return applied


Row = WindowRow | StageRow | LagRow


def write_rows(store: AnalyticsStore, rows: Sequence[Row]) -> int:
    """Each kind of row into its table, one insert a table: the number written."""
    windows = [row for row in rows if isinstance(row, WindowRow)]
    stages = [row for row in rows if isinstance(row, StageRow)]
    lags = [row for row in rows if isinstance(row, LagRow)]
    write_windows(store, windows)
    store.insert(STAGES_TABLE, _columns(stages, StageRow))
    store.insert(LAG_TABLE, _columns(lags, LagRow))
    return len(rows)


def _columns(
    rows: Sequence[StageRow | LagRow], kind: type[StageRow | LagRow]
) -> dict[str, list[Any]]:
    return {
        name: [int(value) if isinstance(value := getattr(row, name), bool) else value
               for row in rows]
        for name in kind.__dataclass_fields__
    }  # fmt: skip


def write_windows(store: AnalyticsStore, rows: Sequence[WindowRow]) -> int:
    """The windows into the windows table, in one insert: the number written."""
    columns: dict[str, list[Any]] = {
        "sliding": [row.sliding for row in rows],
        "start": [row.start for row in rows],
        "end": [row.end for row in rows],
        "dimension": [row.dimension for row in rows],
        "value": [row.value for row in rows],
        "version": [row.version for row in rows],
        "final": [int(row.final) for row in rows],
    }
    for name in FIGURES:
        columns[name] = [row.figures.get(name) for row in rows]
    store.insert(WINDOWS_TABLE, columns)
    return len(rows)


def latest_windows(
    store: AnalyticsStore, sliding: str, dimension: str = "all", limit: int = 12
) -> list[dict[str, Any]]:
    """The latest `limit` windows of one sliding and dimension, newest first."""
    return store.rows(
        f"SELECT * FROM {WINDOWS_TABLE} FINAL WHERE sliding = {{sliding:String}} "  # noqa: S608 - a constant
        "AND dimension = {dimension:String} ORDER BY start DESC, value LIMIT {limit:UInt32}",
        {"sliding": sliding, "dimension": dimension, "limit": limit},
    )
