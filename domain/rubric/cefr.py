"""A CEFR level estimate (A1..C2) from pace, phrasing, vocabulary range and amount of speech.

The CEFR's spoken-fluency and range descriptors grow with these measures; the
cut-offs below are our calibration, an estimate rather than a certified level.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from domain.grammar import NOT_CHECKED, GrammarCheck
from domain.metrics import SpeechMetrics

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
WPM_CUTS = (60.0, 85.0, 105.0, 125.0, 145.0)
"""Words per minute needed for A2, B1, B2, C1, C2: pace rises steadily with proficiency."""
RUN_CUTS = (2.0, 3.5, 5.5, 8.0, 11.0)
"""Mean words between pauses needed for A2..C2: higher levels speak in longer phrases."""
MATTR_CUTS = (0.55, 0.62, 0.68, 0.73, 0.78)
"""MATTR(50) needed for A2..C2: range widens from a few basic words to precise vocabulary."""
WORD_CUTS = (10, 25, 40, 60, 80)
"""Words needed before an answer can show A2..C2 at all: a short answer cannot show range."""
HESITANT_LONG_PAUSES_PER_MIN = 4.0
"""More long pauses a minute than this marks fluency one level down ("noticeable pauses")."""


@dataclass(frozen=True)
class CefrEstimate:
    """Level indices 1..6 (A1..C2) per measure, the overall estimate and the sentences why."""

    fluency: int
    vocabulary: int | None
    length_cap: int
    overall: int
    evidence: tuple[str, ...]

    @property
    def label(self) -> str:
        return LEVELS[self.overall - 1]


def _index(value: float, cuts: Sequence[float]) -> int:
    return bisect.bisect_right(cuts, value) + 1


GRAMMAR_CUTS = (8.0, 5.0, 3.0, 1.5, 0.5)
"""Grammar errors per 100 words at most for A2, B1, B2, C1, C2 (a checker's count)."""
GRAMMAR_MIN_WORDS = 25
"""Below this, one error more or less swings the rate too far to place a level on it."""


def _grammar_index(per_100: float) -> int:
    return 1 + sum(1 for cut in GRAMMAR_CUTS if per_100 <= cut)


def estimate(m: SpeechMetrics, grammar: GrammarCheck = NOT_CHECKED) -> CefrEstimate:
    wpm_i = _index(m.wpm, WPM_CUTS)
    run_i = _index(m.mean_length_of_run, RUN_CUTS)
    per_min = 60.0 * m.long_pause_count / m.duration_s if m.duration_s > 0 else 0.0
    hesitant = per_min > HESITANT_LONG_PAUSES_PER_MIN
    fluency = max(1, round((wpm_i + run_i) / 2) - (1 if hesitant else 0))
    evidence = [
        f"Pace of {m.wpm:.0f} words per minute is typical of {LEVELS[wpm_i - 1]}.",
        f"Runs of {m.mean_length_of_run:.1f} words between pauses are typical of "
        f"{LEVELS[run_i - 1]}.",
    ]
    if hesitant:
        evidence.append(f"{per_min:.1f} long pauses a minute lower the fluency estimate a level.")
    vocab = None if m.mattr is None else _index(m.mattr, MATTR_CUTS)
    if vocab is None:
        evidence.append("Too few words to measure vocabulary range.")
    else:
        evidence.append(
            f"Vocabulary range (MATTR {m.mattr:.2f}) is typical of {LEVELS[vocab - 1]}."
        )
    cap = _index(m.word_count, WORD_CUTS)
    parts = [fluency] if vocab is None else [fluency, vocab]
    per_100 = grammar.errors_per_100_words
    if per_100 is not None and grammar.words >= GRAMMAR_MIN_WORDS:
        accuracy = _grammar_index(per_100)
        parts.append(accuracy)
        evidence.append(
            f"{per_100:.1f} grammar errors per 100 words is typical of {LEVELS[accuracy - 1]}."
        )
    overall = min(int(sum(parts) / len(parts) + 0.5), cap)
    if cap < len(LEVELS) and cap <= overall:
        evidence.append(f"{m.word_count} words are too few to show more than {LEVELS[cap - 1]}.")
    return CefrEstimate(fluency, vocab, cap, overall, tuple(evidence))
