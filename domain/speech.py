"""Value objects that describe one spoken answer: words, silences and audio facts.

Times are seconds on the original recording's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """One recognised word with its timing, as a speech-to-text provider reports it."""

    text: str
    start_s: float
    end_s: float
    probability: float = 1.0


@dataclass(frozen=True)
class Interval:
    """A stretch of the recording, e.g. a speech segment or a silence."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class AudioFacts:
    """What we measured on the signal itself, independent of any transcript.

    `silences` are stretches the signal shows as silent (not voiced), found on the
    original audio; they let metrics refine pause edges that word timestamps blur.
    `pitch_semitones_sd` is None when too little voiced speech was found to measure it.
    """

    duration_s: float
    speech_s: float
    speech_segments: tuple[Interval, ...]
    silences: tuple[Interval, ...] = ()
    pitch_semitones_sd: float | None = None


@dataclass(frozen=True)
class Transcript:
    """What a speech-to-text provider heard."""

    text: str
    words: tuple[Word, ...]
    language: str
    provider: str
