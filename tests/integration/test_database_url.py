"""DATABASE_URL switches the same code to PostgreSQL: what a learner's commands keep there
is read back by the next command, and a wrong or unreachable URL is refused at start with
what to do, never with the password."""

from __future__ import annotations

import getpass
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from adapters.bootstrap import bootstrap, coaching_app
from adapters.cli.main import main
from adapters.settings import Settings
from domain.prompts import get_prompt
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText, script
from tests.support.services import fresh_schema

PASSWORD = "n0t-the-real-one"  # noqa: S105 - made up, to be looked for in errors


@pytest.mark.parametrize(
    "url",
    [
        f"mysql://coach:{PASSWORD}@127.0.0.1/speech",
        f"postgresql://coach:{PASSWORD}@127.0.0.1:port/speech",
        f"postgresql://coach:{PASSWORD}@127.0.0.1:5432/",
    ],
)
def test_a_malformed_database_url_is_refused_without_repeating_it(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    monkeypatch.setenv("SPEECH_COACH_HOME", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["history"]) == 2
    error = capsys.readouterr().err
    assert "DATABASE_URL" in error
    assert PASSWORD not in error
    with pytest.raises(ValidationError) as refused:  # as a traceback or a log would show it
        Settings()
    assert PASSWORD not in str(refused.value)


def test_an_unreachable_database_is_named_with_what_to_do(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    monkeypatch.setenv("SPEECH_COACH_HOME", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"postgresql://coach:{PASSWORD}@127.0.0.1:1/speech")
    assert main(["history"]) == 2
    error = capsys.readouterr().err
    assert "PostgreSQL at 127.0.0.1:1/speech (DATABASE_URL)" in error
    assert "deploy/local/services up postgres" in error
    assert PASSWORD not in error


def test_a_percent_encoded_password_reaches_the_database_decoded():
    env = Settings(DATABASE_URL="postgresql://coach:p%40ss%2Fw@db.example:6543/speech").views_env()
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("coach", "p@ss/w")
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"]) == (
        "db.example", "6543", "speech",
    )  # fmt: skip


def test_history_on_postgresql_shows_an_answer_another_process_coached(
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
):
    with fresh_schema(postgres_url) as schema:
        monkeypatch.setenv("SPEECH_COACH_HOME", str(tmp_path))
        monkeypatch.setenv("DATABASE_URL", postgres_url)
        monkeypatch.setenv("SPEECH_COACH_POSTGRES_SCHEMA", schema)
        assert main(["history"]) == 0
        assert "No answers yet" in capsys.readouterr().out

        coached = bootstrap(Settings(), decoder=ScriptedDecoder(), stt=ScriptedSpeechToText())
        try:
            app = coached.app
            learner = app.register_learner("cli", getpass.getuser(), "toefl_interview", "B2")
            session_id = app.start_session(learner, get_prompt("toefl-int-06"), source_key="k")
            spoken = "I@0.5-0.8 like@0.8-1.1 my@1.1-1.3 city@1.3-1.8 because@2.9-3.4 it@3.4-3.7"
            app.receive_audio(session_id, coached.store.put(script(tmp_path / "a.txt", spoken)),
                              100, "audio/ogg")  # fmt: skip
        finally:
            coached.close()
        assert main(["history"]) == 0
        shown = capsys.readouterr().out
        assert "toefl-int-06" in shown, shown


@pytest.mark.server
def test_processes_starting_together_on_a_new_database_all_start(postgres_url: str):
    """The webhook, the relay and the workers start at once in production; each makes the
    tables it needs if they are missing, and none of them fails for the others doing so."""
    with fresh_schema(postgres_url) as schema:
        settings = Settings(DATABASE_URL=postgres_url, SPEECH_COACH_POSTGRES_SCHEMA=schema)
        together = threading.Barrier(6)
        failures: list[BaseException] = []

        def start() -> None:
            together.wait()
            try:
                coaching_app(settings).close()
            except BaseException as error:  # noqa: BLE001 - collected for the assertion
                failures.append(error)

        threads = [threading.Thread(target=start) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert failures == []
