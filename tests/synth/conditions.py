"""Recording conditions laid over a clean synthesised clip: noise, a telephone line, a quiet mic.

All work on 16 kHz mono int16 samples and are deterministic: noise comes from a seeded
generator, the telephone band from sox without dither.

    noisy(samples, snr_db=10, seed=3, colour="pink", speech=[(8000, 52000)])
    telephone(samples)       # 300-3400 Hz, through 8 kHz and back
    quiet(samples)           # peak at -30 dBFS

SNR is the mean power of the clean signal over its spoken stretches (`speech`, sample
ranges; the whole clip when not given) over the mean power of the noise, which runs
through the whole clip, pauses included.
"""

from __future__ import annotations

import subprocess
import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from tests.synth.voices import SAMPLE_RATE

Colour = Literal["white", "pink"]
FULL_SCALE = 32767.0
HEADROOM = 0.97  # of full scale: a mix louder than this is scaled down, SNR unchanged
TELEPHONE_BAND_HZ = (300, 3400)
TELEPHONE_RATE = 8_000
QUIET_PEAK_DBFS = -30.0


def noisy(
    samples: np.ndarray,
    snr_db: float,
    seed: int,
    colour: Colour = "white",
    speech: Sequence[tuple[int, int]] = (),
) -> np.ndarray:
    """`samples` with white or pink noise added at `snr_db` below the speech."""
    clean = samples.astype(np.float64)
    noise = _noise(clean.size, np.random.default_rng(seed), colour)
    level = speech_power(samples, speech) / 10 ** (snr_db / 10)
    mix = clean + noise * np.sqrt(level / np.mean(noise**2))
    peak = np.max(np.abs(mix), initial=0.0)
    if peak > HEADROOM * FULL_SCALE:
        mix *= HEADROOM * FULL_SCALE / peak
    return np.round(mix).astype(np.int16)


def speech_power(samples: np.ndarray, speech: Sequence[tuple[int, int]] = ()) -> float:
    """Mean square of the samples inside `speech` (all of them when none are given)."""
    values = samples.astype(np.float64)
    chosen = np.concatenate([values[a:b] for a, b in speech]) if speech else values
    return float(np.mean(chosen**2)) if chosen.size else 0.0


def telephone(samples: np.ndarray) -> np.ndarray:
    """Band-limited to 300-3400 Hz and resampled to 8 kHz and back, as a phone line carries it."""
    low, high = TELEPHONE_BAND_HZ
    with tempfile.TemporaryDirectory() as folder:
        source, narrow, back = (Path(folder, name) for name in ("in.wav", "8k.wav", "16k.wav"))
        _write(source, samples)
        sox = ["sox", "-R", "-D", "-V1"]
        _run([*sox, str(source), "-r", str(TELEPHONE_RATE), str(narrow), "sinc", f"{low}-{high}"])
        _run([*sox, str(narrow), "-r", str(SAMPLE_RATE), str(back)])
        with wave.open(str(back), "rb") as reader:
            out = np.frombuffer(reader.readframes(reader.getnframes()), np.int16)
    return _fit(out, samples.size)


def quiet(samples: np.ndarray, peak_dbfs: float = QUIET_PEAK_DBFS) -> np.ndarray:
    """Scaled so that the loudest sample sits at `peak_dbfs` (a far or muted microphone)."""
    peak = float(np.max(np.abs(samples.astype(np.float64)), initial=0.0))
    if not peak:
        return samples.copy()
    gain = FULL_SCALE * 10 ** (peak_dbfs / 20) / peak
    return np.round(samples.astype(np.float64) * gain).astype(np.int16)


def _noise(size: int, rng: np.random.Generator, colour: Colour) -> np.ndarray:
    white = rng.standard_normal(size)
    if colour == "white" or size < 2:
        return white
    spectrum = np.fft.rfft(white)
    frequencies = np.fft.rfftfreq(size, 1 / SAMPLE_RATE)
    spectrum[1:] /= np.sqrt(frequencies[1:])  # power falling as 1/f
    spectrum[0] = 0.0
    return np.fft.irfft(spectrum, size)


def _fit(samples: np.ndarray, size: int) -> np.ndarray:
    """Resampling may change the length by a sample or two; keep the clip's own length."""
    if samples.size >= size:
        return samples[:size].copy()
    return np.concatenate([samples, np.zeros(size - samples.size, np.int16)])


def _write(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(samples.astype(np.int16).tobytes())


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=120)
