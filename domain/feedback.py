"""The feedback on one answer, as the session keeps it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from domain.grammar import NOT_CHECKED, GrammarCheck, correction_to_dict
from domain.metrics import SpeechMetrics, metrics_to_dict
from domain.rubric import RubricResult, rubric_to_dict
from domain.usage import Usage


@dataclass(frozen=True)
class ScoredFeedback:
    """Our measurements and score, and the words a coach wrote on them."""

    metrics: SpeechMetrics
    rubric: RubricResult
    summary: str
    model_answer: str
    next_steps: tuple[str, ...]
    usage: Usage
    grammar: GrammarCheck = NOT_CHECKED

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data, as the views keep it and `speech-coach try --json` prints it."""
        return {
            "metrics": metrics_to_dict(self.metrics),
            "rubric": rubric_to_dict(self.rubric),
            "summary": self.summary,
            "model_answer": self.model_answer,
            "next_steps": list(self.next_steps),
            "provider": self.usage.provider,
            "model": self.usage.model,
            "cost_usd": self.usage.cost_usd,
            "usage": {**asdict(self.usage), "failed_over": list(self.usage.failed_over)},
            # the corrections, most important first, on the recording's timeline
            "grammar": [correction_to_dict(c) for c in self.grammar.all_corrections],
            "grammar_check": {
                "checked_by": list(self.grammar.checked_by),
                "words": self.grammar.words,
                "errors_per_100_words": self.grammar.errors_per_100_words,
                "error_free_clause_share": self.grammar.error_free_clause_share,
                "not_shown_unsure": self.grammar.unsure,
            },
        }
