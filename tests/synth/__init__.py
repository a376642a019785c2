"""Synthesised speech with exactly known words, fillers and pauses, for tests and benchmarks.

Each text part is spoken on its own (espeak-ng, or flite as a second voice), resampled to
16 kHz mono and trimmed of its own edge silence; each `Silence` part becomes digital zeros
of exactly that length. So every inserted pause is known to the sample, and duration, word
list and filler positions are ground truth rather than measurements.

    clip = synthesize(["Well, um, I like tea.", Silence(1.5), "Uh, [you know], it is calm."],
                      tmp_path / "answer.ogg", voice="flite", rate_wpm=170)
    clip.pauses    # (Interval(start_s=2.1, end_s=3.6),): the 1.5 s between the two parts
    clip.fillers   # um, uh and "you know" with their word positions; "like tea" is no filler

`rate_wpm` is the voice's nominal rate setting; the true rate depends on the words, so
use `Synth.wpm`. A `Paced("um", 100)` part is spoken at its own rate (a drawn-out filler);
`voice` may name one of the engine's voices ("espeak/en-gb+f3", "flite/awb"), and `pitch`
sets its pitch. `tests.synth.conditions` lays noise, a telephone line or a quiet level over
a clip. Punctuation inside a part makes the voice pause briefly on its own (a comma
~0.1-0.3 s, a full stop longer); such pauses are not in `pauses`, so keep a part free of
punctuation where a test must know every pause. Results are cached by content in the temp
folder, so a repeated call costs a file copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from domain.speech import Interval
from tests.synth.truth import (
    FILLED_PAUSES,
    FillerTruth,
    Paced,
    Silence,
    SpokenPart,
    Synth,
    tokenize,
)
from tests.synth.voices import SAMPLE_RATE, Format, Voice, encode, speak

__all__ = [
    "FILLED_PAUSES",
    "SAMPLE_RATE",
    "FillerTruth",
    "Format",
    "Paced",
    "Silence",
    "SpokenPart",
    "Synth",
    "Voice",
    "decode_pcm",
    "synthesize",
    "tokenize",
]
_VERSION = "5"


def synthesize(
    parts: Sequence[str | Silence | Paced],
    path: Path,
    voice: Voice | str = "espeak",
    rate_wpm: int = 150,
    fmt: Format = "ogg",
    pitch: int | None = None,
) -> Synth:
    """Speak `parts` in order into `path` (format `fmt`) and return the clip's ground truth.

    `voice` and `pitch` as `tests.synth.voices` explains ("espeak/en-gb+f3", pitch 60); a
    `Paced` part is spoken at its own rate instead of `rate_wpm`.
    """
    spec = [_VERSION, voice, rate_wpm, fmt, [[type(p).__name__, str(p)] for p in parts]]
    spec += [pitch] if pitch is not None else []  # keeps the cache keys of earlier clips
    cached = _cache_dir() / f"{hashlib.sha256(json.dumps(spec).encode()).hexdigest()[:24]}.{fmt}"
    meta = cached.with_suffix(".json")
    if not (cached.exists() and meta.exists()):
        samples, truth = _render(parts, voice, rate_wpm, pitch)
        encode(samples, cached, fmt)
        partial = meta.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(json.dumps(truth))
        partial.replace(meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, path)
    return _synth(path, json.loads(meta.read_text()))


def decode_pcm(path: Path) -> bytes:
    """Any audio file as 16 kHz mono s16le PCM, the way the product's decoder hands it on."""
    command = ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1"]
    return subprocess.run(
        [*command, "-ar", str(SAMPLE_RATE), "-"], check=True, capture_output=True, timeout=120
    ).stdout


def _render(
    parts: Sequence[str | Silence | Paced], voice: str, rate_wpm: int, pitch: int | None
) -> tuple[np.ndarray, dict]:
    chunks: list[np.ndarray] = []
    truth: dict = {"words": [], "fillers": [], "silences": [], "parts": []}
    position = 0
    for part in parts:
        start = position
        if isinstance(part, Silence):
            chunks.append(np.zeros(round(part.seconds * SAMPLE_RATE), np.int16))
            position += len(chunks[-1])
            if truth["silences"] and truth["silences"][-1][1] == start:
                start = truth["silences"].pop()[0]
            truth["silences"].append([start, position])
            continue
        text, rate = (part.text, part.rate_wpm) if isinstance(part, Paced) else (part, rate_wpm)
        words, fillers, spoken = tokenize(text)
        index, offset = len(truth["parts"]), len(truth["words"])
        truth["fillers"] += [
            asdict(f) | {"word_index": f.word_index + offset, "part_index": index} for f in fillers
        ]
        truth["words"] += words
        chunks.append(speak(spoken, voice, rate, pitch))
        position += len(chunks[-1])
        truth["parts"].append([spoken, start, position])
    truth["samples"] = position
    return (np.concatenate(chunks) if chunks else np.zeros(0, np.int16)), truth


def _synth(path: Path, truth: dict) -> Synth:
    parts = tuple(
        SpokenPart(text, a / SAMPLE_RATE, b / SAMPLE_RATE) for text, a, b in truth["parts"]
    )
    silences = tuple(Interval(a / SAMPLE_RATE, b / SAMPLE_RATE) for a, b in truth["silences"])
    return Synth(
        path=path,
        duration_s=truth["samples"] / SAMPLE_RATE,
        words=tuple(truth["words"]),
        fillers=tuple(FillerTruth(**filler) for filler in truth["fillers"]),
        pauses=tuple(
            s
            for s in silences
            if parts and parts[0].end_s <= s.start_s and s.end_s <= parts[-1].start_s
        ),
        silences=silences,
        parts=parts,
        text=" ".join(part.text for part in parts),
    )


def _cache_dir() -> Path:
    folder = Path(tempfile.gettempdir()) / "speech-coach-synth"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
