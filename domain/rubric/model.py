"""Rubric results as immutable values: a score per criterion, each with its evidence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CriterionScore:
    """One criterion's score on a 0..scale_max scale.

    `score` is None when the criterion cannot be measured offline; the evidence then
    says what was and was not measured instead of inventing a number.
    """

    name: str
    score: float | None
    scale_max: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class RubricResult:
    """An estimated exam score with the evidence each part rests on, plus a CEFR estimate."""

    exam: str
    criteria: tuple[CriterionScore, ...]
    overall: float | None
    overall_scale_max: float
    band_label: str
    cefr: str
    cefr_evidence: tuple[str, ...]
