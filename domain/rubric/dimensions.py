"""The qualities every speaking rubric rates, each a weighted blend of judgements.

Fluency, vocabulary, grammatical range, topic development and pronunciation are
what TOEFL and IELTS descriptors share; exams differ only in how they group and
scale them, so that lives in the exam modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.grammar import NOT_CHECKED, GrammarCheck
from domain.metrics import SpeechMetrics
from domain.rubric import levels, text
from domain.rubric.levels import Judgement

GRAMMAR_NOT_CHECKED = (
    "Grammatical accuracy was not checked: no grammar checker runs offline, "
    "so this reflects sentence range only."
)
PARTIAL_CEILING = 0.67
"""A criterion measured only in part (no grammar accuracy, no speech sounds) cannot earn the
top of its scale: what we cannot hear may pull it down."""
CHECKED_CEILING = 0.85
CHECKER_MISSES = (
    "An automatic grammar checker misses some errors, so accuracy cannot earn the top of "
    "the scale here."
)
SHORT_TEXT_WORDS = (10, 50)
"""Under 50 words MATTR is the plain type/token ratio, which overstates range in short answers."""
SOUNDS_NOT_CHECKED = (
    "Individual sounds and word stress were not assessed offline; "
    "this reflects pace and intonation only."
)


@dataclass(frozen=True)
class Dimension:
    """A level in 0..1 (None = not measurable here) and the sentences it rests on."""

    level: float | None
    evidence: tuple[str, ...]


def sentence(phrase: str) -> str:
    """A judgement's phrase as a sentence a learner reads."""
    phrase = phrase.strip()
    if not phrase:
        return phrase
    return phrase[0].upper() + phrase[1:] + ("" if phrase.endswith(".") else ".")


def blend(parts: Sequence[tuple[Judgement, float]], notes: Sequence[str] = ()) -> Dimension:
    """Weighted mean of the measurable parts; every part's evidence is kept, measured or not."""
    measured = [(j.level, w) for j, w in parts if j.level is not None]
    weight = sum(w for _, w in measured)
    level = sum(lv * w for lv, w in measured) / weight if weight > 0 else None
    return Dimension(level, tuple(sentence(j.evidence) for j, _ in parts) + tuple(notes))


def fluency(m: SpeechMetrics) -> Dimension:
    return blend(
        [
            (levels.pace(m), 0.25),
            (levels.pausing(m), 0.25),
            (levels.run_length(m), 0.2),
            (levels.fillers(m), 0.2),
            (levels.repetition(m), 0.1),
        ]
    )


def fluency_and_coherence(m: SpeechMetrics, transcript: str) -> Dimension:
    fluent = fluency(m)
    linked = text.linking(transcript)
    level = None if fluent.level is None else 0.8 * fluent.level + 0.2 * (linked.level or 0.0)
    return Dimension(level, (*fluent.evidence, sentence(linked.evidence)))


def _capped(dim: Dimension, ceiling: float, note: str = "") -> Dimension:
    if dim.level is None or dim.level <= ceiling:
        return dim
    return Dimension(ceiling, dim.evidence + ((note,) if note else ()))


def vocabulary(m: SpeechMetrics) -> Dimension:
    dim = blend([(levels.vocabulary(m), 1.0)])
    ceiling = 0.5 + 0.5 * levels.ramp(m.word_count, *SHORT_TEXT_WORDS)
    note = (
        f"With only {m.word_count} words the range measure runs high, "
        "so the score is held back until a longer answer confirms it."
    )
    return _capped(dim, ceiling, note)


def grammar_range(transcript: str, grammar: GrammarCheck = NOT_CHECKED) -> Dimension:
    """Sentence range always; accuracy when a grammar checker ran on the answer."""
    if not grammar.checked:
        dim = blend([(text.complexity(transcript), 1.0)], [GRAMMAR_NOT_CHECKED])
        return _capped(dim, PARTIAL_CEILING)
    dim = blend([(text.complexity(transcript), 0.4), (levels.accuracy(grammar), 0.6)])
    return _capped(dim, CHECKED_CEILING, CHECKER_MISSES)


def development(
    m: SpeechMetrics, transcript: str, prompt: str, target_words: int | None
) -> Dimension:
    return blend(
        [
            (text.relevance(transcript, prompt), 0.4),
            (levels.length(m, target_words), 0.4),
            (text.linking(transcript), 0.2),
        ]
    )


def pronunciation(m: SpeechMetrics) -> Dimension:
    tune = levels.intonation(m)
    if tune.level is None:
        return Dimension(None, (sentence(tune.evidence), SOUNDS_NOT_CHECKED))
    return _capped(
        blend([(tune, 0.5), (levels.pace(m), 0.5)], [SOUNDS_NOT_CHECKED]), PARTIAL_CEILING
    )
