"""The README cannot rot: its two commands are the ones CI runs, and its examples work."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.support.services import Services
from tests.synth import synthesize

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)


def _two_commands() -> list[str]:
    section = README.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in _bash_blocks(section)]


def test_the_readme_gives_exactly_two_set_up_commands():
    assert _two_commands() == ["deploy/local/try", "deploy/local/test"]
    for command in _two_commands():
        assert os.access(ROOT / command, os.X_OK), f"{command} must be executable"


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^exec bash deploy/local/test\s*$", ci, flags=re.MULTILINE)


@pytest.mark.slow
def test_the_first_command_coaches_the_sample(tmp_path: Path):
    env = {**os.environ, "SPEECH_COACH_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [str(ROOT / "deploy/local/try")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Next steps" in done.stdout
    assert "A stronger answer" in done.stdout
    assert "deploy/local/try my-answer.ogg" in README
    mine = synthesize(["My favourite teacher explained every idea with a story"],
                      tmp_path / "my-answer.ogg")  # fmt: skip
    own = subprocess.run(
        [str(ROOT / "deploy/local/try"), str(mine.path)], capture_output=True, text=True,
        env=env, timeout=600, check=False,
    )  # fmt: skip
    assert own.returncode == 0, own.stderr[-2000:]
    assert "teacher" in own.stdout.lower()


@pytest.mark.slow
def test_every_usage_example_in_the_readme_runs(tmp_path: Path):
    answer = synthesize(
        ["I would describe my aunt because she taught me to cook"], tmp_path / "my-answer.ogg"
    )
    examples = [
        line.split("#", 1)[0].strip()
        for block in _bash_blocks(README.split("## Using it", 1)[1].split("\n## ", 1)[0])
        for line in block.splitlines()
        if line.startswith("uv run speech-coach")
    ]
    assert len(examples) >= 5
    env = {
        **os.environ,
        "SPEECH_COACH_HOME": str(tmp_path / "home"),
        "UV_PYTHON_DOWNLOADS": "never",
    }
    for example in examples:
        argv = [
            answer.path.name if word == "my-answer.ogg" else word for word in shlex.split(example)
        ]
        done = subprocess.run(
            argv,
            cwd=answer.path.parent,
            capture_output=True,
            text=True,
            env={**env, "UV_PROJECT": str(ROOT)},
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{example}: {done.stderr[-1500:]}"
        assert done.stdout.strip(), f"{example} printed nothing"


def _run_section_block(section: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The first bash block of a README section, run as written, on services of its own."""
    block = _bash_blocks(README.split(f"## {section}", 1)[1].split("\n## ", 1)[0])[0]
    with Services.in_a_new_folder() as services:
        env = {
            **services.env,
            "SPEECH_COACH_HOME": str(home),
            "UV_PYTHON_DOWNLOADS": "never",
            "PATH": f"{Path.home() / '.local' / 'bin'}:{os.environ['PATH']}",
        }
        return subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=ROOT, capture_output=True, text=True, env=env, timeout=900, check=False,
        )  # fmt: skip


@pytest.mark.slow
@pytest.mark.server
def test_the_postgresql_example_runs_as_written(tmp_path: Path):
    done = _run_section_block("On PostgreSQL", tmp_path / "home")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "postgres: running" in done.stdout
    assert "redis: running" in done.stdout
    assert "Next steps" in done.stdout
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d  \S+ .* wpm", done.stdout), done.stdout[-1500:]
    assert not (tmp_path / "home" / "events.sqlite").exists(), "nothing went to SQLite"


@pytest.mark.slow
@pytest.mark.server
def test_the_analytics_capture_example_runs_as_written(tmp_path: Path):
    done = _run_section_block("Analytics", tmp_path / "home")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Debezium captures" in done.stderr, "the block starts Kafka, Connect and Debezium"
    assert "Next steps" in done.stdout
    assert re.search(r"Read \d+ events \(up to #\d+\); wrote [1-9]\d* window rows", done.stdout)
    assert re.search(r"\s1 answers,\s+1 learners", done.stdout), done.stdout[-1500:]
