"""Chooses the exam rubric for a practice mode and scores an answer on it."""

from __future__ import annotations

from collections.abc import Callable

from domain.errors import UnknownPromptError
from domain.grammar import NOT_CHECKED, GrammarCheck
from domain.metrics import SpeechMetrics
from domain.rubric import cefr, exams
from domain.rubric.model import RubricResult

_Scorer = Callable[
    [SpeechMetrics, str, str, int | None, cefr.CefrEstimate, GrammarCheck], RubricResult
]

EXAM_BY_MODE: dict[str, _Scorer] = {
    "toefl_interview": exams.toefl_interview,
    "toefl_independent": exams.toefl_independent,
    "ielts_part1": exams.ielts,
    "ielts_part2": exams.ielts,
    "ielts_part3": exams.ielts,
    "job_interview": exams.cefr_centred,
    "free_talk": exams.cefr_centred,
}


def score_answer(
    metrics: SpeechMetrics,
    transcript_text: str,
    mode: str,
    prompt_text: str = "",
    target_words: int | None = None,
    grammar: GrammarCheck = NOT_CHECKED,
) -> RubricResult:
    """Score one answer on the rubric its mode practises for, with a CEFR estimate alongside;
    grammatical accuracy counts when a checker ran (`grammar`)."""
    scorer = EXAM_BY_MODE.get(mode)
    if scorer is None:
        known = ", ".join(EXAM_BY_MODE)
        raise UnknownPromptError(f"There is no practice mode called {mode!r}; try one of: {known}.")
    estimate = cefr.estimate(metrics, grammar)
    return scorer(metrics, transcript_text, prompt_text, target_words, estimate, grammar)
