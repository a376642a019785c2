"""Turning a 0..1 level into a score on an exam's scale, with the exam's rounding."""

from __future__ import annotations

import math
from collections.abc import Sequence

from domain.rubric.dimensions import Dimension
from domain.rubric.model import CriterionScore


def round_half_up(value: float, step: float = 1.0) -> float:
    """Round to the nearest `step`, halves upward (IELTS: 6.25 -> 6.5, 6.75 -> 7.0)."""
    return math.floor(value / step + 0.5 + 1e-9) * step


def criterion(
    name: str, dim: Dimension, lowest: float, top: float, *, spoke: bool
) -> CriterionScore:
    """Score a dimension from `lowest` (any rateable answer) to `top`; 0 for no words at all."""
    if not spoke:
        return CriterionScore(name, 0.0, top, ("No words were recognised, so nothing was rated.",))
    if dim.level is None:
        return CriterionScore(name, None, top, dim.evidence)
    score = round_half_up(lowest + dim.level * (top - lowest))
    return CriterionScore(name, min(max(score, 0.0), top), top, dim.evidence)


def mean_score(criteria: Sequence[CriterionScore]) -> float | None:
    """Mean of the criteria that could be scored; None if none could."""
    scored = [c.score for c in criteria if c.score is not None]
    return sum(scored) / len(scored) if scored else None


def measured_note(criteria: Sequence[CriterionScore]) -> str:
    """ " (from 3 of 4 criteria)" when some criterion could not be scored offline."""
    scored = sum(1 for c in criteria if c.score is not None)
    return "" if scored == len(criteria) else f" (from {scored} of {len(criteria)} criteria)"
