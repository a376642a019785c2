"""Speak one text part with espeak-ng or flite, trimmed of its own edge silence, and encode clips.

Every step is deterministic (sox runs repeatable without dither, ffmpeg bit-exact), so the
same parts always give the same bytes.

A voice is "espeak" (espeak-ng's en-us) or "flite" (its slt voice), or names one of the
engine's own voices: "espeak/en-gb", "espeak/en-us+f3", "flite/awb". `pitch` is the engine's
own setting: espeak-ng's -p (0-99, default 50), flite's mean F0 in Hz (its rms voice ignores it).
"""

from __future__ import annotations

import subprocess
import tempfile
import wave
from pathlib import Path
from typing import Literal

import numpy as np

SAMPLE_RATE = 16_000
FLITE_NATIVE_WPM = 175.0  # flite's slt voice at duration_stretch 1: roughly espeak-ng's pace
EDGE_LEVEL = 0.01  # of full scale (-40 dBFS): quieter edge samples count as silence

Voice = Literal["espeak", "flite"]
Format = Literal["ogg", "wav", "mp3"]

_CODECS = {
    "ogg": ["-c:a", "libopus", "-b:a", "32k"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
}


def speak(text: str, voice: Voice | str, rate_wpm: int, pitch: int | None = None) -> np.ndarray:
    """16 kHz mono int16 samples of `text`, from its first to its last voiced sample."""
    with tempfile.TemporaryDirectory() as folder:
        raw, resampled = Path(folder, "raw.wav"), Path(folder, "16k.wav")
        _run(_command(text, voice, rate_wpm, pitch, raw))
        to_16k = ["-r", str(SAMPLE_RATE), "-c", "1", "-b", "16"]
        _run(["sox", "-R", "-D", str(raw), *to_16k, str(resampled)])
        with wave.open(str(resampled), "rb") as reader:
            samples = np.frombuffer(reader.readframes(reader.getnframes()), np.int16)
    return trim(samples)


def _command(text: str, voice: str, rate_wpm: int, pitch: int | None, raw: Path) -> list[str]:
    engine, _, name = voice.partition("/")
    if engine == "espeak":
        tone = ["-p", str(pitch)] if pitch is not None else []
        command = ["espeak-ng", "-v", name or "en-us", "-s", str(rate_wpm), *tone]
        return [*command, "-w", str(raw), text]
    if engine == "flite":
        tone = ["--setf", f"int_f0_target_mean={pitch}"] if pitch is not None else []
        stretch = f"duration_stretch={FLITE_NATIVE_WPM / rate_wpm:.3f}"
        command = ["flite", "-voice", name or "slt", "--setf", stretch, *tone]
        return [*command, "-t", text, "-o", str(raw)]
    raise ValueError(f"unknown voice {voice!r}: espeak[/name] or flite[/name]")


def trim(samples: np.ndarray) -> np.ndarray:
    """Cut leading and trailing samples quieter than EDGE_LEVEL."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > EDGE_LEVEL * 32768)
    return samples[loud[0] : loud[-1] + 1] if loud.size else samples[:0]


def encode(samples: np.ndarray, target: Path, fmt: Format) -> None:
    """Write 16 kHz mono `samples` to `target` as WAV, OGG/Opus (like a voice note) or MP3."""
    with tempfile.TemporaryDirectory(dir=target.parent) as folder:
        encoded = source = Path(folder, "clip.wav")
        with wave.open(str(source), "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(SAMPLE_RATE)
            writer.writeframes(samples.tobytes())
        if fmt != "wav":
            encoded = Path(folder, f"clip.{fmt}")
            exact = ["-fflags", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1"]
            source_args = ["ffmpeg", "-v", "error", "-y", "-i", str(source)]
            _run([*source_args, *_CODECS[fmt], *exact, str(encoded)])
        encoded.replace(target)


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=120)
