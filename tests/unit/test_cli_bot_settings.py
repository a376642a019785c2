"""The bot's commands say what to change when their settings cannot work, and start nothing."""

from __future__ import annotations

import pytest

from adapters.cli.main import main


@pytest.mark.parametrize("argv", [["serve", "--no-workers"], ["poll", "--no-workers"], ["work"]])
def test_separate_workers_with_an_in_memory_store_are_refused_with_what_to_do(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
):
    monkeypatch.setenv("SPEECH_COACH_HOME", str(tmp_path))
    monkeypatch.setenv("SPEECH_COACH_EVENT_STORE", "memory")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "s3cret")
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert "in-memory event store" in error
    assert "SPEECH_COACH_EVENT_STORE" in error
    assert not (tmp_path / "worker.lock").exists(), "nothing was started"


@pytest.mark.parametrize("argv", [["serve"], ["poll"], ["work"]])
def test_a_missing_bot_token_is_named(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
):
    monkeypatch.setenv("SPEECH_COACH_HOME", str(tmp_path))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(argv) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "named"),
    [(["serve", "--workers", "2"], "REDIS_URL"), (["serve", "--workers", "0"], "1 or more")],
)
def test_several_webhook_processes_without_redis_are_refused_with_what_to_do(
    argv: list[str],
    named: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path,
):
    monkeypatch.setenv("SPEECH_COACH_HOME", str(tmp_path))
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "s3cret")
    assert main(argv) == 2
    assert named in capsys.readouterr().err
    assert not (tmp_path / "worker.lock").exists(), "nothing was started"
