"""An answer with a stretch of speech nobody can make out: a sentence muffled as through a wall."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from domain.speech import Interval
from tests.synth import SAMPLE_RATE as RATE
from tests.synth import decode_pcm, synthesize
from tests.synth.voices import encode

MUFFLED_HZ = 300  # nothing above this passes: voiced and loud, but without the sounds of words


def muffled_answer(folder: Path) -> tuple[Path, Interval]:
    """A WAV: a clear sentence, 1 s of silence, ~4 s of muffled speech, 1 s, a clear sentence.

    The muffled sentence is voiced and loud like speech, so the speech detector keeps it, but
    its words cannot be made out; returns the file and where the muffled stretch lies.
    """
    sentences = ["I would like to talk about my town", "and that is all I wanted to say"]
    clear = [
        np.frombuffer(decode_pcm(synthesize([text], folder / f"{n}.wav", fmt="wav").path), np.int16)
        for n, text in enumerate(sentences)
    ]
    sentence = synthesize(
        ["the river runs past the station and the market every morning"],
        folder / "muffled.wav",
        fmt="wav",
    )
    one = np.frombuffer(decode_pcm(sentence.path), np.int16).astype(np.float64)
    spectrum = np.fft.rfft(one)
    spectrum[np.fft.rfftfreq(one.size, 1 / RATE) > MUFFLED_HZ] = 0
    low = np.fft.irfft(spectrum, one.size)
    mixed = np.clip(low * 0.5 * 32000 / np.abs(low).max(), -32000, 32000).astype(np.int16)
    pause = np.zeros(RATE, np.int16)
    path = folder / "muffled-answer.wav"
    encode(np.concatenate([clear[0], pause, mixed, pause, clear[1]]), path, "wav")
    start = (clear[0].size + pause.size) / RATE
    return path, Interval(start, start + mixed.size / RATE)
