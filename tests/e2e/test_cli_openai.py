"""With OPENAI_API_KEY set, the CLI transcribes through OpenAI (here its fake), and falls
back to the local model when OpenAI refuses, so the learner gets a transcript either way."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import SPEECH_COACH
from tests.support.fake_providers import API_KEY, FakeOpenAI
from tests.synth import synthesize

pytestmark = [pytest.mark.slow, pytest.mark.server]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as running:
        yield running


def _analyze(path: Path, fake: FakeOpenAI, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPEECH_COACH_HOME": str(home), "OPENAI_API_KEY": API_KEY,
           "OPENAI_BASE_URL": fake.base_url}  # fmt: skip
    return subprocess.run([SPEECH_COACH, "analyze", str(path), "--json"], env=env,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip


def test_analyze_transcribes_through_openai_then_falls_back_to_the_local_model(
    fake: FakeOpenAI, tmp_path: Path
):
    answer = synthesize(["My favourite season is autumn because the light is soft"],
                        tmp_path / "answer.ogg")  # fmt: skip
    through_openai = _analyze(answer.path, fake, tmp_path / "home")
    assert through_openai.returncode == 0, through_openai.stderr
    assert '"transcript": "I think that is a good idea"' in through_openai.stdout
    assert len(fake.calls) == 1

    fake.fail_next("insufficient_quota")
    locally = _analyze(answer.path, fake, tmp_path / "home")
    assert locally.returncode == 0, locally.stderr
    assert "autumn" in locally.stdout.lower(), "heard by the local model"
    assert API_KEY not in locally.stderr


def test_try_takes_its_feedback_from_the_language_model_with_our_numbers(
    fake: FakeOpenAI, tmp_path: Path
):
    fake.feedback["corrections"] = [
        {"before": "I think students should", "after": "In my view, students should",
         "why": "A stronger opening.", "category": "word choice"},
        {"before": "three evening", "after": "three evenings", "why": "Not what it heard.",
         "category": "plurals and countability"},
    ]  # fmt: skip
    env = {**os.environ, "SPEECH_COACH_HOME": str(tmp_path / "home"), "OPENAI_API_KEY": API_KEY,
           "OPENAI_BASE_URL": fake.base_url, "SPEECH_COACH_STT": "local"}  # fmt: skip
    done = subprocess.run([SPEECH_COACH, "try"], env=env, capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "feedback by OpenAI" in done.stdout
    shown = " ".join(done.stdout.split())
    assert '"I think students should" -> "In my view, students should"' in shown
    assert '"three evening" -> "three evenings"' not in shown, (
        "a correction of words the transcript does not hold is dropped"
    )
    assert "Estimated score:" in done.stdout, "the score is ours"
    assert [c.path for c in fake.calls] == ["/v1/chat/completions"], "speech stayed local"
