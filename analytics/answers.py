"""From the event store's log to the analytics' answers: each attempt's events (received,
coached or failed, delivered) joined into one AnswerFact when the attempt is finished.

The log may be read more than once (Debezium and the dataflow's recovery are at least
once): an event whose notification id is not past the last one taken is skipped, so each
answer is counted once. The log is in order, so that is all deduplication needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from analytics.windows import AnswerFact
from domain.learner import Learner
from domain.session import PracticeSession
from domain.usage import Usage

Session = PracticeSession


@dataclass
class _Open:
    """What is known of an attempt that has not finished yet."""

    at: float
    failed: bool = False
    measures: dict[str, float] = field(default_factory=dict)
    stages: list[tuple[str, str, str]] = field(default_factory=list)


def _seconds(moment: datetime) -> float:
    return moment.timestamp()


@dataclass
class AnswerAssembly:
    """The state that joins events into answers; it pickles, for the dataflow's recovery."""

    last_id: int = 0
    sessions: dict[UUID, tuple[str, str]] = field(default_factory=dict)  # learner, mode
    levels: dict[str, str] = field(default_factory=dict)  # learner -> level
    open: dict[tuple[UUID, int], _Open] = field(default_factory=dict)
    skipped: int = 0  # events seen again

    def take(self, notification_id: int, event: Any) -> AnswerFact | None:
        """Take the event at `notification_id` in the log: the answer it finishes, if any."""
        if notification_id <= self.last_id:
            self.skipped += 1
            return None
        self.last_id = notification_id
        if isinstance(event, Learner.Registered | Learner.SettingsChanged):
            self.levels[str(event.originator_id)] = event.level
        elif isinstance(event, Session.Started):
            self.sessions[event.originator_id] = (str(event.learner_id), event.mode)
        elif isinstance(event, Session.AudioReceived):
            self.open[event.originator_id, event.attempt] = _Open(_seconds(event.timestamp))
        elif isinstance(event, Session.Transcribed):
            if (attempt := self.open.get((event.originator_id, event.attempt))) is not None:
                usage = event.transcript.usage
                attempt.stages += served(TRANSCRIPTION, usage or Usage(event.transcript.provider))
        elif isinstance(event, Session.FeedbackGenerated):
            if (attempt := self.open.get((event.originator_id, event.attempt))) is not None:
                attempt.measures = measures_of(event)
                attempt.stages += served(FEEDBACK, event.usage)
        elif isinstance(event, Session.ProcessingFailed):
            if (attempt := self.open.get((event.originator_id, event.attempt))) is not None:
                attempt.failed = True
                attempt.stages.append((event.stage, NO_PROVIDER, event.reason_code))
        elif isinstance(event, Session.FeedbackDelivered):
            return self._finish(event.originator_id, event.attempt, _seconds(event.timestamp),
                                (DELIVERY, event.channel, OK))  # fmt: skip
        elif isinstance(event, Session.DeliveryFailed):
            return self._finish(event.originator_id, event.attempt, _seconds(event.timestamp),
                                (DELIVERY, "telegram", event.reason_code))  # fmt: skip
        return None

    def _finish(
        self, session_id: UUID, number: int, at: float, delivery: tuple[str, str, str]
    ) -> AnswerFact | None:
        attempt = self.open.pop((session_id, number), None)
        learner, mode = self.sessions.get(session_id, ("", ""))
        if attempt is None or not learner:
            return None  # its start is before the part of the log read
        return AnswerFact(
            at=attempt.at,
            learner=learner,
            mode=mode,
            level=self.levels.get(learner, ""),
            failed=attempt.failed,
            measures=attempt.measures,
            latency_s=max(at - attempt.at, 0.0),
            stages=(*attempt.stages, delivery),
        )


TRANSCRIPTION, FEEDBACK, DELIVERY = "transcription", "feedback", "delivery"
OK = "ok"
NO_PROVIDER = "none"  # an attempt given up: no provider answered, or the recording was at fault


def served(stage: str, usage: Usage) -> list[tuple[str, str, str]]:
    """How a stage went that a provider answered: each one that failed before it (and
    why), then the one that answered."""
    failed = [(stage, *_provider_and_why(entry)) for entry in usage.failed_over]
    return [*failed, (stage, usage.provider, OK)]


def _provider_and_why(entry: str) -> tuple[str, str]:
    provider, _, why = entry.rpartition(": ")
    return (provider, why) if provider else (entry, "failed")


def measures_of(event: PracticeSession.FeedbackGenerated) -> dict[str, float]:
    """The figures an analyst follows, from one feedback: the score as a share of its scale,
    since each exam has its own."""
    metrics, rubric = event.metrics, event.rubric
    figures = {
        "words": float(metrics.word_count),
        "seconds": metrics.duration_s,
        "wpm": metrics.wpm,
    }
    if metrics.word_count:
        figures["fillers_per_100_words"] = 100 * metrics.filler_count / metrics.word_count
    if metrics.duration_s > 0:
        figures["long_pauses_per_minute"] = 60 * metrics.long_pause_count / metrics.duration_s
    if metrics.mattr is not None:
        figures["mattr"] = metrics.mattr
    if rubric.overall is not None and rubric.overall_scale_max:
        figures["score"] = rubric.overall / rubric.overall_scale_max
    return figures
