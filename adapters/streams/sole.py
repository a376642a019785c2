"""One active relay per event store: a second one stands by and takes over when the first
stops or dies. Two at once would be harmless for the streams (Redis refuses an entry id it
has passed) but not for the views they keep, which take each event from one writer.

On PostgreSQL the lock is a session advisory lock on a connection of its own: it goes with
the connection, so a relay that dies (or is cut off from the database) frees it. On SQLite
it is a lock on a file beside the events, freed when the process ends.
"""

from __future__ import annotations

import contextlib
import fcntl
from pathlib import Path
from typing import IO, Any, Protocol

import psycopg

from adapters.persistence.postgres import connect

# An arbitrary, fixed key: "relay" in ASCII.
_ADVISORY_KEY = 0x72656C6179


class SoleLock(Protocol):
    def try_acquire(self) -> bool: ...

    def still_held(self) -> bool: ...

    def release(self) -> None: ...


class PostgresLock:
    def __init__(self, env: dict[str, str]) -> None:
        self._env = env
        self._connection: psycopg.Connection[tuple[Any, ...]] | None = None

    def try_acquire(self) -> bool:
        self.release()
        try:
            connection = connect(self._env)
        except psycopg.OperationalError:
            return False
        row = connection.execute("SELECT pg_try_advisory_lock(%s)", (_ADVISORY_KEY,)).fetchone()
        if row is None or not row[0]:
            connection.close()
            return False
        self._connection = connection
        return True

    def still_held(self) -> bool:
        if self._connection is None:
            return False
        try:
            self._connection.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(psycopg.Error):
                self._connection.close()  # the session ends, and its advisory lock with it
            self._connection = None


class FileLock:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._file: IO[str] | None = None

    def try_acquire(self) -> bool:
        if self._file is not None:
            return True
        self._path.parent.mkdir(parents=True, exist_ok=True)
        file = self._path.open("a")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.close()
            return False
        self._file = file
        return True

    def still_held(self) -> bool:
        return self._file is not None

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def sole_lock(env: dict[str, str]) -> SoleLock:
    """The lock for the store `env` names (the library's own settings)."""
    if env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
        return PostgresLock(env)
    return FileLock(Path(env["SQLITE_DBNAME"] + ".relay.lock"))
