"""Fixtures for the integration tests. Audio fixtures are prefixed `audio_`.

Speech is synthesised with espeak-ng and trimmed to its first and last non-zero sample,
so a silence inserted between two phrases has exactly the length we asked for.
"""

from __future__ import annotations

import io
import subprocess
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from adapters.bootstrap import coaching_app
from adapters.settings import Settings
from application.coaching import CoachingApp
from tests.support.services import settings_on

AUDIO_RATE = 22_050
Part = np.ndarray | float

ENCODINGS = {
    "ogg": ["-c:a", "libopus", "-b:a", "32k", "-application", "voip"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "wav": ["-c:a", "pcm_s16le"],
}


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("audio")


@pytest.fixture(scope="session")
def audio_say() -> Callable[[str], np.ndarray]:
    """Speak `text` with espeak-ng: int16 samples at 22.05 kHz, edge silence trimmed."""

    def say(text: str, words_per_minute: int = 160, *, ssml: bool = False) -> np.ndarray:
        markup = ["-m"] if ssml else []
        wav = subprocess.run(
            ["espeak-ng", *markup, "-s", str(words_per_minute), "--stdout", text],
            capture_output=True,
            check=True,
        ).stdout
        with wave.open(io.BytesIO(wav)) as reader:
            assert reader.getframerate() == AUDIO_RATE
            samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype=np.int16)
        sounding = np.flatnonzero(samples)
        return samples[sounding[0] : sounding[-1] + 1]

    return say


@pytest.fixture(scope="session")
def audio_write(audio_dir: Path) -> Callable[..., Path]:
    """Write `parts` (sample arrays, or floats = seconds of silence) as one file.

    `fmt` picks the container and codec (ogg = Telegram's Opus voice format).
    """

    def write(name: str, *parts: Part, fmt: str = "wav") -> Path:
        samples = np.concatenate([_part(part) for part in parts]).astype(np.int16)
        wav = audio_dir / f"{name}.source.wav"
        with wave.open(str(wav), "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(AUDIO_RATE)
            writer.writeframes(samples.tobytes())
        target = audio_dir / f"{name}.{fmt}"
        _ffmpeg("-i", str(wav), *ENCODINGS[fmt], str(target))
        return target

    return write


@pytest.fixture(scope="session")
def audio_generate(audio_dir: Path) -> Callable[..., Path]:
    """A file made by an ffmpeg lavfi source, e.g. `anoisesrc=color=pink`."""

    def generate(name: str, source: str, seconds: float, fmt: str = "ogg") -> Path:
        target = audio_dir / f"{name}.{fmt}"
        _ffmpeg("-f", "lavfi", "-i", source, "-t", str(seconds), *ENCODINGS[fmt], str(target))
        return target

    return generate


@pytest.fixture(scope="session")
def audio_answer(audio_say: Callable[..., np.ndarray], audio_write: Callable[..., Path]) -> Path:
    """A short spoken answer as a Telegram-style OGG/Opus voice note."""
    speech = audio_say("I think practising every day is the best way to improve my English.")
    return audio_write("answer", 0.3, speech, 0.4, fmt="ogg")


def _part(part: Part) -> np.ndarray:
    if isinstance(part, float):
        return np.zeros(round(part * AUDIO_RATE), dtype=np.int16)
    return part


def _ffmpeg(*arguments: str) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *arguments],
        check=True,
    )


@pytest.fixture(params=["sqlite", "postgres"])
def apps(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[CoachingApp, CoachingApp]]:
    """Two instances on one lasting store (a SQLite file, a PostgreSQL database), as two
    processes (webhook and worker) have."""
    with settings_on(request.param, tmp_path, request) as settings:
        one, other = coaching_app(settings), coaching_app(settings)
        yield one, other
        one.close()
        other.close()


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a lasting store that other processes can read: SQLite, PostgreSQL."""
    with settings_on(request.param, tmp_path, request) as chosen:
        yield chosen


@pytest.fixture
def app(settings: Settings) -> Iterator[CoachingApp]:
    built = coaching_app(settings)
    yield built
    built.close()
