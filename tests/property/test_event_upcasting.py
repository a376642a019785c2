"""Events stored before feedback and metrics were typed values (version 1: plain dicts, and
provider, model and cost as fields of their own) are read as today's events."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict

import pytest
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic
from hypothesis import given

from application.coaching import CoachingApp
from domain.feedback import ScoredFeedback
from domain.grammar import NOT_CHECKED
from domain.metrics import metrics_to_dict
from domain.rubric import rubric_to_dict
from domain.session import PracticeSession
from tests.support.values import scored_feedbacks


@pytest.fixture(scope="module")
def mapper() -> Mapper[uuid.UUID]:
    return CoachingApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


def _stored_by_version_1(feedback: ScoredFeedback) -> StoredEvent:
    """The stored form the code before version 2 wrote (no `class_version` in it)."""
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2026-11-30T10:00:00+00:00"},
        "attempt": 1,
        "metrics": metrics_to_dict(feedback.metrics),
        "rubric": rubric_to_dict(feedback.rubric),
        "summary": feedback.summary,
        "model_answer": feedback.model_answer,
        "next_steps": list(feedback.next_steps),
        "provider": feedback.usage.provider,
        "model": feedback.usage.model,
        "cost_usd": feedback.usage.cost_usd,
    }
    return StoredEvent(
        originator_id=uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
        originator_version=4,
        topic=get_topic(PracticeSession.FeedbackGenerated),
        state=json.dumps(state).encode(),
    )


@given(feedback=scored_feedbacks)
def test_feedback_stored_as_dicts_is_read_as_typed_values(
    mapper: Mapper[uuid.UUID], feedback: ScoredFeedback
) -> None:
    event = mapper.to_domain_event(_stored_by_version_1(feedback))
    assert isinstance(event, PracticeSession.FeedbackGenerated)
    assert event.metrics == feedback.metrics
    assert event.rubric == feedback.rubric
    assert list(event.next_steps) == list(feedback.next_steps)
    usage = event.usage
    assert (usage.provider, usage.model, usage.cost_usd) == (
        feedback.usage.provider,
        feedback.usage.model,
        feedback.usage.cost_usd,
    )
    assert (usage.input_tokens, usage.output_tokens, usage.latency_s) == (0, 0, 0.0)
    assert event.grammar == NOT_CHECKED, "given before grammar was checked"
    again = mapper.to_domain_event(mapper.to_stored_event(event))
    assert again == event, "stored again, it is stored as today's version"


@given(feedback=scored_feedbacks)
def test_feedback_of_version_2_reads_as_not_checked_for_grammar(
    mapper: Mapper[uuid.UUID], feedback: ScoredFeedback
) -> None:
    """Version 2 (typed values, no grammar) as it was written: usage without failed_over."""
    usage = {name: value for name, value in asdict(feedback.usage).items()
             if name != "failed_over"}  # fmt: skip
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2026-12-01T10:00:00+00:00"},
        "attempt": 2,
        "metrics": {"_type_": "speech_metrics", "_data_": metrics_to_dict(feedback.metrics)},
        "rubric": {"_type_": "rubric_result", "_data_": rubric_to_dict(feedback.rubric)},
        "summary": feedback.summary,
        "model_answer": feedback.model_answer,
        "next_steps": list(feedback.next_steps),
        "usage": {"_type_": "usage", "_data_": usage},
        "class_version": 2,
    }
    stored = StoredEvent(uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427"), 5,
                         get_topic(PracticeSession.FeedbackGenerated),
                         json.dumps(state).encode())  # fmt: skip
    event = mapper.to_domain_event(stored)
    assert isinstance(event, PracticeSession.FeedbackGenerated)
    assert event.grammar == NOT_CHECKED
    assert event.usage.failed_over == ()
    assert (event.metrics, event.rubric) == (feedback.metrics, feedback.rubric)
