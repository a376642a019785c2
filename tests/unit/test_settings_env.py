"""A child process (the worker `serve` starts) gets the parent's settings through its
environment: every setting survives the trip, whatever its type."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.settings import Settings


def test_every_setting_survives_the_trip_through_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    parent = Settings(
        SPEECH_COACH_HOME=tmp_path,
        DATABASE_URL="postgresql://coach:secret@db:5432/speech",
        REDIS_URL="redis://cache:6379/1",
        TELEGRAM_BOT_TOKEN="123:abc",  # noqa: S106 - made up
        SPEECH_COACH_LLM_PRICES={"my-model": (1.5, 2.5)},
        SPEECH_COACH_CLAIM_AFTER_S=42.5,
        SPEECH_COACH_STT="local",
    )
    for name in list(Settings.model_fields):
        alias = Settings.model_fields[name].alias
        if alias:
            monkeypatch.delenv(alias, raising=False)
    for name, value in parent.to_env().items():
        monkeypatch.setenv(name, value)
    child = Settings()
    assert child.model_dump() == parent.model_dump()
    assert child.llm_prices == {"my-model": (1.5, 2.5)}


def test_the_embedded_default_lives_in_the_users_data_folder_not_in_home_itself(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    """$HOME is not SPEECH_COACH_HOME: the events go to ~/.local/share/speech-coach."""
    for name in ("SPEECH_COACH_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert Settings().home == tmp_path / ".local" / "share" / "speech-coach"
