"""Ground truth of a synthesised clip: words, fillers and inserted silences, known exactly."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from domain.speech import Interval

FILLED_PAUSES = frozenset({"um", "uh", "er", "ah", "hmm", "erm", "uhm", "mm"})
_TOKEN = re.compile(r"\[([^\]]+)\]|(\S+)")


@dataclass(frozen=True)
class Silence:
    """Digital silence of exactly `seconds`, inserted between spoken parts."""

    seconds: float


@dataclass(frozen=True)
class Paced:
    """A text part spoken at its own rate, e.g. a filler drawn out as hesitations are."""

    text: str
    rate_wpm: int


@dataclass(frozen=True)
class FillerTruth:
    text: str  # normalised, e.g. "um", "you know"
    word_index: int  # index in `Synth.words` of its first word
    part_index: int  # which spoken part holds it


@dataclass(frozen=True)
class SpokenPart:
    text: str
    start_s: float  # first voiced sample
    end_s: float  # last voiced sample


@dataclass(frozen=True)
class Synth:
    """A synthesised clip and its ground truth; times are seconds on the clip's timeline."""

    path: Path
    duration_s: float
    words: tuple[str, ...]  # every spoken word, lower case, punctuation removed, fillers included
    fillers: tuple[FillerTruth, ...]
    pauses: tuple[Interval, ...]  # inserted silences that lie between two spoken parts
    silences: tuple[Interval, ...]  # every inserted silence, leading and trailing included
    parts: tuple[SpokenPart, ...]
    text: str  # what was spoken, brackets removed

    @property
    def word_count(self) -> int:
        """Words excluding filled pauses (um, uh, ...), as the speech metrics count them."""
        return sum(word not in FILLED_PAUSES for word in self.words)

    @property
    def reference_text(self) -> str:
        """The spoken words without filled pauses: the reference for word error rate."""
        return " ".join(word for word in self.words if word not in FILLED_PAUSES)

    @property
    def speech_span_s(self) -> float:
        """From the first voiced sample to the last one."""
        return self.parts[-1].end_s - self.parts[0].start_s if self.parts else 0.0

    @property
    def wpm(self) -> float:
        """The true rate: `word_count` per minute of `speech_span_s`."""
        return 60.0 * self.word_count / self.speech_span_s if self.speech_span_s else 0.0


def tokenize(text: str) -> tuple[list[str], list[FillerTruth], str]:
    """Split one part's text into normalised words, its fillers (part_index 0), spoken text.

    um, uh, er, ah, hmm, erm, uhm, mm standing alone are fillers; a bracketed phrase
    (`[like]`, `[you know]`) is a filler too, spoken without its brackets.
    """
    words: list[str] = []
    fillers: list[FillerTruth] = []
    for match in _TOKEN.finditer(text):
        marked = match.group(1) is not None
        new = [w for w in (normalise(raw) for raw in match[0].strip("[]").split()) if w]
        if new and (marked or (len(new) == 1 and new[0] in FILLED_PAUSES)):
            fillers.append(FillerTruth(" ".join(new), len(words), 0))
        words.extend(new)
    return words, fillers, " ".join(text.replace("[", "").replace("]", "").split())


def normalise(word: str) -> str:
    """Lower case, punctuation removed, inner apostrophes kept ("I'm," -> "i'm")."""
    return re.sub(r"[^\w']", "", word.lower().replace("\u2019", "'")).strip("'")
