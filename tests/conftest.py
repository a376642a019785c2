"""Shared fixtures: the application on each store it supports (in memory, SQLite, and a real
PostgreSQL started once per test session); and a check, after every test, that no log
record it made holds the bot token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from adapters.bootstrap import Container, bootstrap
from adapters.feedback.rule_based import RuleBasedCoach
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText
from tests.support.logs import LogCollector, leaks
from tests.support.services import Services, settings_on

STORES = ["memory", "sqlite", "postgres"]

_LOGS = LogCollector()
_LOGS.install()


@pytest.fixture(autouse=True)
def _no_secret_in_any_log_record() -> Iterator[None]:
    _LOGS.take()
    yield
    leaked = leaks(_LOGS.take())
    assert not leaked, "the bot token reached a log record:\n" + "\n".join(leaked)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL 15 (wal_level=logical), up for the whole test session."""
    with Services.started("postgres") as services:
        yield services.database_url


@pytest.fixture(scope="session")
def languagetool_url() -> Iterator[str]:
    """A real LanguageTool server (its jars from Maven Central), up for the whole session."""
    with Services.started("languagetool") as services:
        yield services.languagetool_url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis 7 (append-only file on), up for the whole test session."""
    with Services.started("redis") as services:
        yield services.redis_url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A client of the session's Redis, emptied for each test."""
    client = redis.Redis.from_url(redis_url)
    client.flushall()
    yield client
    client.close()


@pytest.fixture(params=STORES)
def container(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Container]:
    """The application with scripted audio and speech at the ports, on each store."""
    with settings_on(request.param, tmp_path / "home", request) as settings:
        built = bootstrap(
            settings,
            decoder=ScriptedDecoder(),
            stt=ScriptedSpeechToText(),
            feedback=RuleBasedCoach(),
        )
        yield built
        built.close()
