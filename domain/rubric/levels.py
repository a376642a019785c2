"""Judgements of single measures on a 0..1 level, each with the sentence it rests on.

Exam rubrics describe the same observable things (pace, pausing, fillers, range);
judging each once here keeps the TOEFL, IELTS and CEFR scales consistent.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.grammar import GrammarCheck
from domain.metrics import SpeechMetrics

FLUENT_WPM = (110.0, 160.0)
"""The pace of fluent conversational answers; listeners follow it without effort."""
HALTING_WPM = 60.0
"""Below this, listeners lose the thread between words."""
RUSHED_WPM = 220.0
"""Above this, even native listeners strain to keep up."""
LONG_PAUSES_PER_MIN = (1.0, 6.0)
"""About one long pause a minute passes as thinking time; six or more break the answer up."""
MID_CLAUSE_SHARE = (0.3, 0.8)
"""Fluent speakers pause mostly between clauses; pauses inside clauses signal word search."""
RUN_WORDS = (2.0, 8.0)
"""Words between pauses: 2 is word-by-word delivery, 8 or more is fluent phrasing."""
FILLERS_PER_100 = (2.0, 10.0)
"""Under 2 fillers per 100 words go unnoticed; 10 or more distract from the message."""
REPEATS_PER_100 = (1.0, 5.0)
"""An occasional repeat is normal; five per 100 words sounds like struggling to restart."""
MATTR_RANGE = (0.55, 0.78)
"""MATTR(50) of spoken answers: 0.55 recycles a few basic words, 0.78 is wide, precise range."""
MTLD_RANGE = (25.0, 80.0)
"""MTLD of speech: about 25 for beginners, 80 or more for a wide vocabulary."""
MTLD_MIN_WORDS = 50
"""MTLD is unstable on shorter texts (McCarthy & Jarvis), so below this only MATTR counts."""
PITCH_SD_ST = (1.0, 2.5, 6.0, 10.0)
"""Pitch SD in semitones: under 1 is monotone, 2.5-6 lively, over 10 likely a tracking error."""

LENGTH_SHARE = (0.25, 0.8)
"""Share of a good answer's word count: a quarter is a fragment, 80% is fully developed."""
TIME_SHARE = (0.3, 0.75)
"""Share of the time limit used: under a third leaves the topic undeveloped."""


@dataclass(frozen=True)
class Judgement:
    """A level in 0..1 (None = not measurable here) and the sentence saying why."""

    level: float | None
    evidence: str


def ramp(value: float, worst: float, best: float) -> float:
    """0 at `worst`, 1 at `best`, linear between and clamped; works either direction."""
    if worst == best:
        return 1.0 if value >= best else 0.0
    return min(max((value - worst) / (best - worst), 0.0), 1.0)


def pace(m: SpeechMetrics) -> Judgement:
    low, high = FLUENT_WPM
    said = f"{m.wpm:.0f} words per minute"
    if m.wpm < low:
        return Judgement(
            ramp(m.wpm, HALTING_WPM, low),
            f"{said}, below the {low:.0f}–{high:.0f} range of a fluent answer",
        )
    if m.wpm > high:
        return Judgement(
            ramp(m.wpm, RUSHED_WPM, high),
            f"{said}, faster than the {low:.0f}–{high:.0f} range listeners follow easily",
        )
    return Judgement(1.0, f"{said}, within the {low:.0f}–{high:.0f} range of a fluent answer")


def pausing(m: SpeechMetrics) -> Judgement:
    minutes = m.duration_s / 60.0
    per_min = m.long_pause_count / minutes if minutes > 0 else 0.0
    mid = len(m.mid_clause_pauses)
    share = mid / len(m.pauses) if m.pauses else 0.0
    level = 0.6 * ramp(per_min, LONG_PAUSES_PER_MIN[1], LONG_PAUSES_PER_MIN[0])
    level += 0.4 * ramp(share, MID_CLAUSE_SHARE[1], MID_CLAUSE_SHARE[0])
    return Judgement(
        level,
        f"{m.long_pause_count} long pause(s) of 1 s or more ({per_min:.1f} a minute) and "
        f"{mid} of {len(m.pauses)} pauses inside a clause rather than between clauses",
    )


def run_length(m: SpeechMetrics) -> Judgement:
    return Judgement(
        ramp(m.mean_length_of_run, *RUN_WORDS),
        f"{m.mean_length_of_run:.1f} words on average between pauses "
        f"(fluent speech runs {RUN_WORDS[1]:.0f} or more)",
    )


def fillers(m: SpeechMetrics) -> Judgement:
    kinds = sorted({f.text for f in m.fillers})
    named = f" ({', '.join(kinds)})" if kinds else ""
    if not m.fillers:
        return Judgement(1.0, "no fillers such as um, uh or you know")
    return Judgement(
        ramp(m.fillers_per_100_words, FILLERS_PER_100[1], FILLERS_PER_100[0]),
        f"{m.filler_count} filler(s){named}, {m.fillers_per_100_words:.1f} per 100 words "
        f"(under {FILLERS_PER_100[0]:.0f} goes unnoticed)",
    )


def repetition(m: SpeechMetrics) -> Judgement:
    count = sum(r.count - 1 for r in m.repetitions)
    per_100 = 100.0 * count / m.word_count if m.word_count else 0.0
    if not count:
        return Judgement(1.0, "no immediate repetitions")
    quoted = ", ".join(f'"{" ".join([r.text] * r.count)}"' for r in m.repetitions[:3])
    return Judgement(
        ramp(per_100, REPEATS_PER_100[1], REPEATS_PER_100[0]),
        f"{count} immediate repetition(s): {quoted}",
    )


def vocabulary(m: SpeechMetrics) -> Judgement:
    if m.mattr is None:
        return Judgement(None, f"only {m.word_count} words, too few to measure vocabulary range")
    level = ramp(m.mattr, *MATTR_RANGE)
    said = f"vocabulary range MATTR {m.mattr:.2f} ({m.unique_words} different words)"
    if m.mtld is not None and m.word_count >= MTLD_MIN_WORDS:
        level = (level + ramp(m.mtld, *MTLD_RANGE)) / 2.0
        said += f" and MTLD {m.mtld:.0f}"
    return Judgement(level, said)


def intonation(m: SpeechMetrics) -> Judgement:
    sd = m.pitch_semitones_sd
    if sd is None:
        return Judgement(None, "pitch could not be measured on this recording")
    flat, lively, wide, wild = PITCH_SD_ST
    level = ramp(sd, flat, lively) if sd < wide else ramp(sd, wild, wide)
    return Judgement(level, f"pitch varies by {sd:.1f} semitones (lively speech: {lively}–{wide})")


def length(m: SpeechMetrics, target_words: int | None) -> Judgement:
    if target_words:
        ratio = m.word_count / target_words
        return Judgement(
            ramp(ratio, *LENGTH_SHARE),
            f"{m.word_count} words against about {target_words} in a well-developed answer",
        )
    if m.time_used_ratio is not None and m.time_limit_s:
        return Judgement(
            ramp(m.time_used_ratio, *TIME_SHARE),
            f"{m.duration_s:.0f} s used of the {m.time_limit_s} s allowed",
        )
    return Judgement(None, "no target length was given for this answer")


ERRORS_PER_100_WORDS = (8.0, 0.5)
"""Grammar errors per 100 words from worst (8: most clauses carry one) to best."""


def accuracy(grammar: GrammarCheck) -> Judgement:
    """How accurate the grammar was, from a checker's corrections: errors per 100 words and
    the share of clauses without one, equally."""
    per_100, clean = grammar.errors_per_100_words, grammar.error_free_clause_share
    if per_100 is None or clean is None:
        return Judgement(None, "grammar was not checked")
    level = (ramp(per_100, *ERRORS_PER_100_WORDS) + clean) / 2.0
    errors = len(grammar.corrections)
    clean_clauses = grammar.clauses - grammar.clauses_with_errors
    return Judgement(
        level,
        f"grammar checked by {' and '.join(grammar.checked_by)}: {errors} error(s) in "
        f"{grammar.words} words ({per_100:.1f} per 100 words); {clean_clauses} of "
        f"{grammar.clauses} clause(s) without an error",
    )
