"""Every bad recording gets its code, a message that says what to do, and exit status 2."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import SPEECH_COACH
from tests.synth import synthesize


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    made = {}
    made["empty"] = folder / "empty.ogg"
    made["empty"].write_bytes(b"")
    made["text"] = folder / "notes.ogg"
    made["text"].write_text("This is my answer, typed instead of spoken.\n" * 20)
    good = synthesize(["I think this is a good idea"], folder / "good.ogg").path
    made["truncated"] = folder / "truncated.ogg"
    made["truncated"].write_bytes(good.read_bytes()[:300])
    made["silence"] = folder / "silence.ogg"
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "anullsrc=r=48000:cl=mono",
        "-t",
        "8",
        "-c:a",
        "libopus",
        str(made["silence"]),
    )
    made["noise"] = folder / "noise.ogg"
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "anoisesrc=c=pink:r=48000:a=0.3",
        "-t",
        "8",
        "-c:a",
        "libopus",
        str(made["noise"]),
    )
    made["long"] = folder / "fifteen-minutes.ogg"
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "sine=f=220:r=16000",
        "-t",
        "900",
        "-c:a",
        "libopus",
        "-b:a",
        "8k",
        str(made["long"]),
    )
    made["large"] = folder / "large.wav"
    with made["large"].open("wb") as out:
        out.truncate(21_000_000)
    return made


@pytest.mark.parametrize(
    ("clip", "code"),
    [
        ("empty", "invalid_audio"),
        ("text", "invalid_audio"),
        ("truncated", "invalid_audio"),
        ("silence", "no_speech"),
        ("noise", "no_speech"),
        ("long", "too_long"),
        ("large", "too_large"),
    ],
)
def test_a_bad_recording_is_refused_with_its_code(speech_coach, clips, clip: str, code: str):
    run = speech_coach("analyze", str(clips[clip]), "--json", timeout=30)
    assert run.code == 2, run.stderr
    result = run.json()
    assert result["ok"] is False
    assert result["error"]["code"] == code
    message = result["error"]["message"]
    assert len(message) > 20
    assert "ffmpeg" not in message.lower()
    assert "Traceback" not in run.stderr


def test_a_missing_file_is_invalid_audio_with_the_path_named(speech_coach, tmp_path: Path):
    run = speech_coach("analyze", str(tmp_path / "nowhere.ogg"), "--json")
    assert run.code == 2
    assert run.json()["error"]["code"] == "invalid_audio"
    assert "nowhere.ogg" in run.json()["error"]["message"]


UNREADABLE = Path("/proc/sys/vm/compact_memory")  # write-only: reading it is refused, even to root


def test_an_unreadable_file_is_invalid_audio_saying_it_cannot_be_read(speech_coach):
    run = speech_coach("analyze", str(UNREADABLE), "--json")
    assert run.code == 2, run.stderr
    error = run.json()["error"]
    assert error["code"] == "invalid_audio"
    assert "cannot be read (permission denied)" in error["message"]
    assert "permissions" in error["message"]
    assert "Traceback" not in run.stderr


def test_without_json_an_unreadable_file_is_a_sorry_on_stderr(speech_coach):
    run = speech_coach("analyze", str(UNREADABLE))
    assert run.code == 2
    assert "Sorry: The file" in run.stderr
    assert "cannot be read (permission denied)" in run.stderr
    assert run.stderr.rstrip().endswith("(invalid_audio)")
    assert "Traceback" not in run.stderr


def test_a_folder_is_invalid_audio_saying_it_is_a_folder_not_a_recording(
    speech_coach, tmp_path: Path
):
    run = speech_coach("analyze", str(tmp_path), "--json")
    assert run.code == 2
    message = run.json()["error"]["message"]
    assert run.json()["error"]["code"] == "invalid_audio"
    assert f"{tmp_path} is a folder, not a recording" in message
    assert "There is no file" not in message


def test_try_on_a_bad_recording_tells_the_learner_and_keeps_the_attempt(speech_coach, clips):
    run = speech_coach("try", str(clips["text"]), "--json")
    assert run.code == 2
    assert run.json()["error"]["code"] == "invalid_audio"
    history = speech_coach("history")
    assert "not scored (invalid_audio)" in history.stdout


def test_a_missing_speech_model_is_explained_without_a_traceback(home, tmp_path: Path):
    env = {**os.environ, "SPEECH_COACH_HOME": str(home),
           "SPEECH_COACH_WHISPER_MODEL": str(tmp_path / "no-model")}  # fmt: skip
    done = subprocess.run([SPEECH_COACH, "try"], capture_output=True, text=True, env=env,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2
    assert "never downloads models" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_wrong_setting_names_the_variable(home):
    env = {**os.environ, "SPEECH_COACH_HOME": str(home), "SPEECH_COACH_WORKERS": "many"}
    done = subprocess.run([SPEECH_COACH, "history"], capture_output=True, text=True, env=env,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2
    assert "SPEECH_COACH_WORKERS" in done.stderr
    assert "Traceback" not in done.stderr
