"""The built-in coach: feedback from measured facts alone, with no network and no cost.

It is the last link of the provider chain, so it must always answer, and it only says
what the metrics and the rubric can back: numbers, and the learner's own words quoted.
"""

from __future__ import annotations

from adapters.feedback import cleaning, delivery, grammar, language, model_answer, next_steps
from adapters.feedback.plans import plan_for
from adapters.feedback.text import normalise, topic_of
from application.grammar import spoken_text
from application.ports import Feedback, FeedbackRequest
from domain.metrics import SpeechMetrics, metrics_from_dict
from domain.prompts import find_by_text, target_words_for
from domain.rubric import RubricResult, rubric_from_dict
from domain.speech import Word
from domain.usage import Usage

BRACKET_NOTE = "In the stronger answer, [brackets] say what to add where you said nothing yet."


def _number(value: float) -> str:
    return f"{value:g}"


def score_lines(rubric: RubricResult) -> list[str]:
    """The estimated score and what each criterion's number rests on."""
    level = "" if rubric.cefr in rubric.band_label else f" (CEFR estimate {rubric.cefr})"
    lines = [f"Estimated score: {rubric.band_label}{level}."]
    for criterion in rubric.criteria:
        score = (
            f"{_number(criterion.score)}/{_number(criterion.scale_max)}"
            if criterion.score is not None
            else "not scored offline"
        )
        evidence = " ".join(criterion.evidence)
        lines.append(f"- {criterion.name}: {score}." + (f" {evidence}" if evidence else ""))
    return lines


class RuleBasedCoach:
    """FeedbackProvider that needs nothing but the request."""

    name = "rule-based"
    model = "rules-v1"

    def give_feedback(self, request: FeedbackRequest) -> Feedback:
        metrics = metrics_from_dict(request.metrics)
        rubric = rubric_from_dict(request.rubric)
        words = list(request.transcript.words) or [
            Word(token, 0.0, 0.0) for token in request.transcript.text.split()
        ]
        said = (normalise(w.text) for w in words)
        spoken = [w for w in said if w and not cleaning.is_filled_pause(w)]
        known = find_by_text(request.prompt_text)
        target = known.target_words if known else target_words_for(request.answer_limit_s)
        answer = model_answer.build(
            cleaning.sentences(words, metrics),
            plan_for(request.mode, request.prompt_text),
            topic_of(request.prompt_text),
            target,
        )
        answer = grammar.corrected(answer, request.grammar, spoken_text(request.transcript).text)
        summary = self._summary(metrics, rubric, spoken, request)
        if "[" in answer:
            summary += "\n\n" + BRACKET_NOTE
        if grammar.MARK in answer:
            summary += "\n\n" + grammar.MARKED
        steps = next_steps.choose(
            metrics, spoken, request.prompt_text, request.mode, request.answer_limit_s, target
        )
        return Feedback(
            summary=summary,
            model_answer=answer,
            next_steps=steps,
            usage=Usage(self.name, self.model),
        )

    def measured(self, request: FeedbackRequest) -> str:
        """The score, delivery and grammar sections: what our measurements and checkers
        say, as facts that a writer of the rest (a language model) is given and keeps."""
        metrics = metrics_from_dict(request.metrics)
        rubric = rubric_from_dict(request.rubric)
        return "\n\n".join(self._sections(metrics, rubric, [], request)[:-1])

    @classmethod
    def _summary(
        cls,
        metrics: SpeechMetrics,
        rubric: RubricResult,
        spoken: list[str],
        request: FeedbackRequest,
    ) -> str:
        return "\n\n".join(cls._sections(metrics, rubric, spoken, request))

    @staticmethod
    def _sections(
        metrics: SpeechMetrics, rubric: RubricResult, spoken: list[str], request: FeedbackRequest
    ) -> list[str]:
        delivery_lines = [
            delivery.time_note(metrics, request.answer_limit_s),
            delivery.pace_note(metrics),
            delivery.filler_note(metrics),
            delivery.pause_note(metrics),
            delivery.repetition_note(metrics),
        ]
        language_lines = [
            language.vocabulary_note(metrics, spoken, request.prompt_text),
            language.hedge_note(metrics),
        ]
        checked = grammar.grammar_section(request.grammar)
        return [
            "\n".join(score_lines(rubric)),
            "Delivery:\n" + "\n".join(f"- {line}" for line in delivery_lines if line),
            *([checked] if checked else []),
            "Language:\n" + "\n".join(f"- {line}" for line in language_lines if line),
        ]
