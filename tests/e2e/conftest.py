"""Helpers to run the real `speech-coach` command in a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SPEECH_COACH = str(Path(sys.executable).parent / "speech-coach")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "coach-home"


@pytest.fixture
def speech_coach(home: Path):  # type: ignore[no-untyped-def]
    def run(*args: str, timeout: float = 120) -> Run:
        env = {**os.environ, "SPEECH_COACH_HOME": str(home)}
        done = subprocess.run(
            [SPEECH_COACH, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture(scope="session")
def answer_with_errors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spoken answer with errors a learner makes, which our speech-to-text keeps as said
    (bench/grammar.py): "Yesterday I go ..." and "two brother"."""
    from tests.synth import Silence, synthesize

    return synthesize(
        ["Yesterday I go to the cinema with my friends.", Silence(0.6),
         "I have two brother and one sister."],
        tmp_path_factory.mktemp("errors") / "answer.ogg",
    ).path  # fmt: skip
