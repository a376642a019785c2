"""The history read model: one row per scored or failed attempt, folded from the event log.

A pure fold over domain events, so it can be rebuilt from scratch at any time and gives
the same rows; the tracked projection (projections/projection.py) applies the same
`history_row` one event at a time, so both routes agree by construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.grammar import pattern_of
from domain.session import PracticeSession

Outcome = PracticeSession.FeedbackGenerated | PracticeSession.ProcessingFailed


@dataclass(frozen=True)
class HistoryRow:
    session_id: UUID
    learner_id: UUID
    attempt: int
    at: datetime
    mode: str
    prompt_id: str
    prompt_text: str
    outcome: str  # "scored" or the failure's reason code
    band_label: str = ""
    overall: float | None = None
    overall_scale_max: float | None = None
    wpm: float | None = None
    fillers_per_100_words: float | None = None
    long_pauses: int | None = None
    duration_s: float | None = None
    time_limit_s: int | None = None
    grammar_checked: bool = False
    grammar_patterns: tuple[str, ...] = ()  # the error patterns the answer showed (pattern_of)


@dataclass(frozen=True)
class SessionFacts:
    """What a session's `Started` event says, kept so later events can be shown with it."""

    session_id: UUID
    learner_id: UUID
    mode: str
    prompt_id: str
    prompt_text: str
    prep_s: int
    answer_s: int

    @classmethod
    def from_started(cls, started: PracticeSession.Started) -> SessionFacts:
        return cls(
            session_id=started.originator_id,
            learner_id=started.learner_id,
            mode=started.mode,
            prompt_id=started.prompt_id,
            prompt_text=started.prompt_text,
            prep_s=started.prep_s,
            answer_s=started.answer_s,
        )


def build_history(events: Iterable[Any], learner_id: UUID | None = None) -> list[HistoryRow]:
    """Rows in the order outcomes were recorded; one learner's only when `learner_id` is given."""
    sessions: dict[UUID, SessionFacts] = {}
    rows: dict[tuple[UUID, int], HistoryRow] = {}
    for event in events:
        if isinstance(event, PracticeSession.Started):
            if learner_id is None or event.learner_id == learner_id:
                sessions[event.originator_id] = SessionFacts.from_started(event)
        elif isinstance(event, Outcome):
            session = sessions.get(event.originator_id)
            if session is not None:
                rows[(event.originator_id, event.attempt)] = history_row(session, event)
    return list(rows.values())


def history_row(session: SessionFacts, event: Outcome) -> HistoryRow:
    """The row an attempt's outcome adds to its learner's history."""
    base = HistoryRow(
        session_id=session.session_id,
        learner_id=session.learner_id,
        attempt=event.attempt,
        at=event.timestamp,
        mode=session.mode,
        prompt_id=session.prompt_id,
        prompt_text=session.prompt_text,
        outcome="scored",
        time_limit_s=session.answer_s,
    )
    if isinstance(event, PracticeSession.ProcessingFailed):
        return replace(base, outcome=event.reason_code)
    metrics, rubric = event.metrics, event.rubric
    words = metrics.word_count
    return replace(
        base,
        band_label=rubric.band_label,
        overall=rubric.overall,
        overall_scale_max=rubric.overall_scale_max,
        wpm=metrics.wpm,
        fillers_per_100_words=(100.0 * metrics.filler_count / words) if words else None,
        long_pauses=sum(1 for p in metrics.pauses if p.end_s - p.start_s >= 1.0),
        duration_s=metrics.duration_s,
        grammar_checked=event.grammar.checked,
        grammar_patterns=tuple(sorted({pattern_of(c) for c in event.grammar.corrections})),
    )


def grammar_patterns(rows: Iterable[HistoryRow]) -> list[tuple[str, ...]]:
    """Each scored and grammar-checked answer's error patterns, oldest first."""
    return [row.grammar_patterns for row in rows if row.outcome == "scored" and row.grammar_checked]
