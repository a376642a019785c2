"""The exam scales: TOEFL 2026 interview items, classic TOEFL independent, IELTS, CEFR."""

from __future__ import annotations

from domain.grammar import NOT_CHECKED, GrammarCheck
from domain.metrics import SpeechMetrics
from domain.rubric import cefr, dimensions
from domain.rubric.dimensions import Dimension
from domain.rubric.model import CriterionScore, RubricResult
from domain.rubric.scales import criterion, mean_score, measured_note, round_half_up

RATEABLE_FLOOR = 1.0
"""TOEFL's lowest score for an answer with any rateable speech (0 is no attempt)."""
IELTS_FLOOR = 3.0
"""IELTS band 3 is the floor for an answer with connected English words in it."""
TOEFL_INDEPENDENT_TOP = 4.0
TOEFL_ITEM_TOP = 5.0
TOEFL_BAND_TOP = 6.0
IELTS_TOP = 9.0


def _delivery(m: SpeechMetrics) -> Dimension:
    flow = dimensions.fluency(m)
    tune = dimensions.pronunciation(m)
    # Pace backs both fluency and intonation; say it once.
    evidence = tuple(dict.fromkeys(flow.evidence + tune.evidence))
    if tune.level is None or flow.level is None:
        return Dimension(flow.level, evidence)
    return Dimension(0.75 * flow.level + 0.25 * tune.level, evidence)


def _language(m: SpeechMetrics, transcript: str, checked: GrammarCheck) -> Dimension:
    vocab = dimensions.vocabulary(m)
    grammar = dimensions.grammar_range(transcript, checked)
    known = [d.level for d in (vocab, grammar) if d.level is not None]
    level = sum(known) / len(known) if known else None
    return Dimension(level, vocab.evidence + grammar.evidence)


def _toefl_criteria(
    m: SpeechMetrics, transcript: str, prompt: str, target: int | None, top: float,
    grammar: GrammarCheck,
) -> tuple[CriterionScore, ...]:  # fmt: skip
    spoke = m.word_count > 0
    develop = dimensions.development(m, transcript, prompt, target)
    return (
        criterion("Delivery", _delivery(m), RATEABLE_FLOOR, top, spoke=spoke),
        criterion(
            "Language use", _language(m, transcript, grammar), RATEABLE_FLOOR, top, spoke=spoke
        ),
        criterion("Topic development", develop, RATEABLE_FLOOR, top, spoke=spoke),
    )


def toefl_independent(
    m: SpeechMetrics, transcript: str, prompt: str, target: int | None, est: cefr.CefrEstimate,
    grammar: GrammarCheck = NOT_CHECKED,
) -> RubricResult:  # fmt: skip
    criteria = _toefl_criteria(m, transcript, prompt, target, TOEFL_INDEPENDENT_TOP, grammar)
    mean = mean_score(criteria)
    overall = None if mean is None else round_half_up(mean)
    label = "TOEFL not scored" if overall is None else f"TOEFL {overall:.0f} of 4"
    return RubricResult(
        "TOEFL (independent)", criteria, overall, TOEFL_INDEPENDENT_TOP,
        label + measured_note(criteria), est.label, est.evidence,
    )  # fmt: skip


def toefl_interview(
    m: SpeechMetrics, transcript: str, prompt: str, target: int | None, est: cefr.CefrEstimate,
    grammar: GrammarCheck = NOT_CHECKED,
) -> RubricResult:  # fmt: skip
    """Item scored 0-5; the 1-6 band is 1 + item score in half bands (ETS's table is not public)."""
    criteria = _toefl_criteria(m, transcript, prompt, target, TOEFL_ITEM_TOP, grammar)
    item = mean_score(criteria)
    band = None if item is None else min(round_half_up(1.0 + item, 0.5), TOEFL_BAND_TOP)
    label = (
        "TOEFL not scored"
        if band is None or item is None
        else f"TOEFL band {band:.1f} of 6 (item score {item:.1f} of 5)"
    )
    return RubricResult(
        "TOEFL (2026 interview)", criteria, band, TOEFL_BAND_TOP,
        label + measured_note(criteria), est.label, est.evidence,
    )  # fmt: skip


def ielts(
    m: SpeechMetrics, transcript: str, prompt: str, target: int | None, est: cefr.CefrEstimate,
    grammar: GrammarCheck = NOT_CHECKED,
) -> RubricResult:  # fmt: skip
    """Four criteria in whole bands; overall is their mean rounded to the nearest half band."""
    spoke = m.word_count > 0
    dims = (
        ("Fluency and coherence", dimensions.fluency_and_coherence(m, transcript)),
        ("Lexical resource", dimensions.vocabulary(m)),
        ("Grammatical range and accuracy", dimensions.grammar_range(transcript, grammar)),
        ("Pronunciation", dimensions.pronunciation(m)),
    )
    criteria = tuple(
        criterion(name, dim, IELTS_FLOOR, IELTS_TOP, spoke=spoke) for name, dim in dims
    )
    mean = mean_score(criteria)
    overall = None if mean is None else round_half_up(mean, 0.5)
    label = "IELTS not scored" if overall is None else f"IELTS band {overall:.1f}"
    return RubricResult(
        "IELTS speaking", criteria, overall, IELTS_TOP,
        label + measured_note(criteria), est.label, est.evidence,
    )  # fmt: skip


def cefr_centred(
    m: SpeechMetrics, transcript: str, prompt: str, target: int | None, est: cefr.CefrEstimate,
    grammar: GrammarCheck = NOT_CHECKED,
) -> RubricResult:  # fmt: skip
    """Each criterion on the CEFR index 1..6 (A1..C2); overall is the CEFR estimate itself."""
    top = float(len(cefr.LEVELS))
    spoke = m.word_count > 0
    develop = dimensions.development(m, transcript, prompt, target)
    fluency_evidence = tuple(e for e in est.evidence if "Pace" in e or "Runs" in e or "long" in e)
    vocab_evidence = tuple(e for e in est.evidence if "ocabulary" in e)
    criteria = (
        CriterionScore("Fluency", float(est.fluency) if spoke else 0.0, top, fluency_evidence),
        CriterionScore(
            "Vocabulary range",
            None if est.vocabulary is None else float(est.vocabulary),
            top,
            vocab_evidence,
        ),
        criterion("Topic development", develop, RATEABLE_FLOOR, top, spoke=spoke),
    )
    overall = float(est.overall) if spoke else None
    label = f"CEFR {est.label} (estimate)" if spoke else "CEFR not estimated"
    return RubricResult("CEFR", criteria, overall, top, label, est.label, est.evidence)
