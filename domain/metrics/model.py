"""The measured facts of one spoken answer, as immutable values.

Kept apart from the measuring code so feedback writers and the event store can
depend on the shapes alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.speech import Interval

LONG_PAUSE_S = 1.0
"""A silence this long is heard as hesitation rather than phrasing (fluency research uses ~1 s)."""

MIN_PAUSE_S = 0.25
"""Shorter gaps are articulation (stop closures, breaths), not pauses (the usual 250 ms cut-off)."""

FILLED_PAUSES = frozenset({"um", "uh", "er", "ah", "hmm", "erm", "uhm", "mm"})
"""Sounds that fill a pause; they are fillers, never counted as words."""

BOUNDARY = "boundary"
MID_CLAUSE = "mid_clause"


@dataclass(frozen=True)
class Pause:
    """A silence between two words.

    `before_word` is the word spoken right after the pause (the pause comes before it);
    `after_word` is the word spoken right before it. Either is None at an edge.
    """

    start_s: float
    end_s: float
    kind: str
    before_word: str | None
    after_word: str | None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def is_long(self) -> bool:
        return self.duration_s >= LONG_PAUSE_S


@dataclass(frozen=True)
class Filler:
    """A filled pause or discourse filler, normalised ("um", "you know", "i mean", "like")."""

    text: str
    start_s: float
    end_s: float
    word_index: int
    next_word: str | None
    previous_word: str | None


@dataclass(frozen=True)
class Repetition:
    """A word said again straight away: "I I I think" is text "i", count 3."""

    text: str
    start_s: float
    count: int


@dataclass(frozen=True)
class SpeechMetrics:
    """Delivery and language measures of one answer; all times in seconds."""

    duration_s: float
    speech_s: float
    word_count: int
    wpm: float
    articulation_wpm: float
    speaking_time_ratio: float
    mean_length_of_run: float
    pauses: tuple[Pause, ...]
    fillers: tuple[Filler, ...]
    repetitions: tuple[Repetition, ...]
    hedges: tuple[str, ...]
    unique_words: int
    mattr: float | None
    mtld: float | None
    time_limit_s: int | None
    time_used_ratio: float | None
    pitch_semitones_sd: float | None
    unheard: tuple[Interval, ...] = ()
    """Speech the recogniser could not make out: no words, so no pace, fillers or score there."""

    @property
    def long_pauses(self) -> tuple[Pause, ...]:
        return tuple(p for p in self.pauses if p.is_long)

    @property
    def long_pause_count(self) -> int:
        return len(self.long_pauses)

    @property
    def mid_clause_pauses(self) -> tuple[Pause, ...]:
        return tuple(p for p in self.pauses if p.kind == MID_CLAUSE)

    @property
    def filler_count(self) -> int:
        return len(self.fillers)

    @property
    def fillers_per_100_words(self) -> float:
        return 100.0 * self.filler_count / self.word_count if self.word_count else 0.0

    @property
    def fillers_per_minute(self) -> float:
        return 60.0 * self.filler_count / self.duration_s if self.duration_s > 0 else 0.0

    @property
    def pauses_per_minute(self) -> float:
        return 60.0 * len(self.pauses) / self.duration_s if self.duration_s > 0 else 0.0
