"""Shared fixtures: the embedded application on each store it supports; and a check, after
every test, that no log record it made holds the bot token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.bootstrap import Container, bootstrap
from adapters.feedback.rule_based import RuleBasedCoach
from adapters.settings import Settings
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText
from tests.support.logs import LogCollector, leaks

_LOGS = LogCollector()
_LOGS.install()


@pytest.fixture(autouse=True)
def _no_secret_in_any_log_record() -> Iterator[None]:
    _LOGS.take()
    yield
    leaked = leaks(_LOGS.take())
    assert not leaked, "the bot token reached a log record:\n" + "\n".join(leaked)


@pytest.fixture(params=["memory", "sqlite"])
def container(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Container]:
    """The application with scripted audio and speech at the ports, on each embedded store."""
    settings = Settings(SPEECH_COACH_HOME=tmp_path / "home", SPEECH_COACH_EVENT_STORE=request.param)
    built = bootstrap(
        settings, decoder=ScriptedDecoder(), stt=ScriptedSpeechToText(), feedback=RuleBasedCoach()
    )
    yield built
    built.close()
