"""The real services of the production topology, started for a test session by the same
script a developer uses (deploy/local/services), in a folder and on ports of their own."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from adapters.settings import Settings

ROOT = Path(__file__).parents[2]
SERVICES = ROOT / "deploy" / "local" / "services"


def free_port() -> int:
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Services:
    """A services folder with its own ports; `run("up", "postgres")` and so on."""

    folder: Path
    postgres_port: int
    redis_port: int
    kafka_port: int = 0  # its controller listens on the next port
    connect_port: int = 0
    languagetool_port: int = 0

    @classmethod
    @contextlib.contextmanager
    def in_a_new_folder(cls) -> Iterator[Services]:
        """Services of their own, not started yet; whatever runs is stopped at the end."""
        # PostgreSQL runs as the `postgres` user when we are root: it must reach the folder
        # (pytest's own temporary folders are private to their owner).
        folder = Path(tempfile.mkdtemp(prefix="speech-coach-services-"))
        folder.chmod(0o755)
        services = cls(folder, free_port(), free_port(), _two_free_ports(), free_port(),
                       free_port())  # fmt: skip
        try:
            yield services
        finally:
            services.run("down", check=False)
            shutil.rmtree(folder, ignore_errors=True)

    @classmethod
    @contextlib.contextmanager
    def started(cls, *names: str) -> Iterator[Services]:
        with cls.in_a_new_folder() as services:
            services.run("up", *names)
            yield services

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "SPEECH_COACH_SERVICES_DIR": str(self.folder),
            "SPEECH_COACH_POSTGRES_PORT": str(self.postgres_port),
            "SPEECH_COACH_REDIS_PORT": str(self.redis_port),
            "SPEECH_COACH_KAFKA_PORT": str(self.kafka_port),
            "SPEECH_COACH_CONNECT_PORT": str(self.connect_port),
            "SPEECH_COACH_LANGUAGETOOL_PORT": str(self.languagetool_port),
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(SERVICES), *args],
            check=False,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,  # the first `up kafka` fetches its jars from Maven Central
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"services {' '.join(args)} failed:\n{done.stderr}")
        return done

    @property
    def database_url(self) -> str:
        return f"postgresql://speech_coach:speech_coach@127.0.0.1:{self.postgres_port}/speech_coach"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def languagetool_url(self) -> str:
        return f"http://127.0.0.1:{self.languagetool_port}"

    @property
    def kafka_servers(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    def pid_of(self, name: str) -> int:
        """The process of a Java service ("kafka", "connect"), as the script recorded it."""
        return int((self.folder / name / f"{name}.pid").read_text())


def _two_free_ports() -> int:
    """A free port whose next port is free too (Kafka's broker and its controller)."""
    for _ in range(50):
        port = free_port()
        with contextlib.closing(socket.socket()) as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two free ports in a row")


@contextlib.contextmanager
def fresh_schema(database_url: str) -> Iterator[str]:
    """A schema of its own for one test: tests never see each other's events, and no database
    has to be created per test. It is dropped after the test, with any schema the test made
    whose name starts with it."""
    schema = "t_" + uuid.uuid4().hex[:12]
    try:
        yield schema
    finally:
        with psycopg.connect(database_url, autocommit=True) as connection:
            made = connection.execute(
                "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)", (schema,)
            ).fetchall()
            for (name,) in made:
                connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


@contextlib.contextmanager
def settings_on(store: str, home: Path, request: pytest.FixtureRequest) -> Iterator[Settings]:
    """Settings on `store` ("memory", "sqlite" or "postgres": a fresh schema in the test
    session's PostgreSQL, which starts only when a test first asks for it)."""
    if store != "postgres":
        yield Settings(SPEECH_COACH_HOME=home, SPEECH_COACH_EVENT_STORE=store)
        return
    url = request.getfixturevalue("postgres_url")
    with fresh_schema(url) as schema:
        yield Settings(
            SPEECH_COACH_HOME=home, DATABASE_URL=url, SPEECH_COACH_POSTGRES_SCHEMA=schema
        )
