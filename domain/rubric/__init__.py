"""Rubric scoring: exam-style estimates from speech metrics, each resting on quoted evidence."""

from domain.rubric.codec import rubric_from_dict, rubric_to_dict
from domain.rubric.model import CriterionScore, RubricResult
from domain.rubric.score import score_answer

__all__ = [
    "CriterionScore",
    "RubricResult",
    "rubric_from_dict",
    "rubric_to_dict",
    "score_answer",
]
