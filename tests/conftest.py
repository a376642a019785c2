"""Shared fixtures: the embedded application on each store it supports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.bootstrap import Container, bootstrap
from adapters.feedback.rule_based import RuleBasedCoach
from adapters.settings import Settings
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText


@pytest.fixture(params=["memory", "sqlite"])
def container(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Container]:
    """The application with scripted audio and speech at the ports, on each embedded store."""
    settings = Settings(SPEECH_COACH_HOME=tmp_path / "home", SPEECH_COACH_EVENT_STORE=request.param)
    built = bootstrap(
        settings, decoder=ScriptedDecoder(), stt=ScriptedSpeechToText(), feedback=RuleBasedCoach()
    )
    yield built
    built.close()
