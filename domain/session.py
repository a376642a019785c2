"""The PracticeSession aggregate: one prompt answered by one learner, in one or more attempts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import SessionStateError
from domain.feedback import ScoredFeedback
from domain.grammar import NOT_CHECKED, GrammarCheck
from domain.ids import session_id
from domain.metrics import SpeechMetrics, metrics_from_dict
from domain.rubric import RubricResult, rubric_from_dict
from domain.speech import AudioFacts, Transcript
from domain.usage import Usage

# Reading a session replays all its events; with a few hundred attempts recording one more
# answer took 135 ms. A prompt answered more often goes on in a new session (application).
MAX_ATTEMPTS = 10


class Stage(StrEnum):
    RECEIVED = "received"
    TRANSCRIBED = "transcribed"
    SCORED = "scored"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass
class Attempt:
    """What the session knows about one answer. Mutated only by decorated event bodies."""

    number: int
    audio_ref: str
    stage: Stage = Stage.RECEIVED
    transcript: Transcript | None = None
    facts: AudioFacts | None = None
    feedback: ScoredFeedback | None = None
    failure: dict[str, Any] | None = None
    delivered: bool = False
    receipt: str | None = None  # the message that tells the learner how far their answer got
    opened_parts: dict[int, str] = field(default_factory=dict)  # part -> the message to fill
    sent_parts: dict[int, str] = field(default_factory=dict)  # part number -> message id
    undeliverable: str | None = None  # why the outcome could never reach the learner

    @property
    def finished(self) -> bool:
        """Nothing more will happen to it: its outcome was delivered, or never can be."""
        return self.delivered or self.undeliverable is not None


class PracticeSession(Aggregate):
    class Started(Aggregate.Created):
        learner_id: UUID
        source_key: str
        mode: str
        prompt_id: str
        prompt_text: str
        prep_s: int
        answer_s: int

    class AudioReceived(Aggregate.Event):
        attempt: int
        audio_ref: str
        declared_duration_s: float | None
        size_bytes: int
        mime: str

    class Transcribed(Aggregate.Event):
        attempt: int
        transcript: Transcript
        facts: AudioFacts

    class FeedbackGenerated(Aggregate.Event):
        attempt: int
        metrics: SpeechMetrics
        rubric: RubricResult
        summary: str
        model_answer: str
        next_steps: list[str]
        usage: Usage
        grammar: GrammarCheck

        class_version = 3

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 kept metrics and rubric as plain dicts, and the provider, model
            and cost as fields of their own."""
            state["metrics"] = metrics_from_dict(state["metrics"])
            state["rubric"] = rubric_from_dict(state["rubric"])
            state["usage"] = Usage(
                provider=state.pop("provider"),
                model=state.pop("model"),
                cost_usd=state.pop("cost_usd", 0.0),
            )

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            """Feedback given before grammar was checked: not checked."""
            state["grammar"] = NOT_CHECKED

    class ProcessingFailed(Aggregate.Event):
        attempt: int
        stage: str
        reason_code: str
        message: str
        retryable: bool

    class ReceiptSent(Aggregate.Event):
        """The learner was told we have their answer, in a message edited as it goes on."""

        attempt: int
        channel: str
        message_id: str

    class FeedbackPartOpened(Aggregate.Event):
        """A message was sent to carry one part of the outcome; its text follows as an
        edit. Telegram has no idempotency key, so a step run again after a crash fills
        this message instead of sending the part a second time."""

        attempt: int
        part: int
        channel: str
        message_id: str

    class FeedbackPartSent(Aggregate.Event):
        """One message of a several-message outcome reached the learner's chat."""

        attempt: int
        part: int
        channel: str
        message_id: str

    class FeedbackDelivered(Aggregate.Event):
        attempt: int
        channel: str
        message_id: str

    class DeliveryFailed(Aggregate.Event):
        """The outcome will never reach the learner (they blocked the bot, or it was tried
        for as long as it was worth it)."""

        attempt: int
        reason_code: str
        message: str

    @staticmethod
    def create_id(learner_id: UUID, source_key: str, **_: Any) -> UUID:
        return session_id(learner_id, source_key)

    @event(Started)
    def __init__(
        self,
        learner_id: UUID,
        source_key: str,
        mode: str,
        prompt_id: str,
        prompt_text: str,
        prep_s: int,
        answer_s: int,
    ) -> None:
        self.learner_id = learner_id
        self.source_key = source_key
        self.mode = mode
        self.prompt_id = prompt_id
        self.prompt_text = prompt_text
        self.prep_s = prep_s
        self.answer_s = answer_s
        self.attempts: dict[int, Attempt] = {}

    @property
    def full(self) -> bool:
        """It takes no more answers: the next one to its prompt starts a new session."""
        return len(self.attempts) >= MAX_ATTEMPTS

    def attempt_of(self, audio_ref: str) -> int | None:
        """The number of the attempt this recording made, if it made one."""
        return next((a.number for a in self.attempts.values() if a.audio_ref == audio_ref), None)

    # Commands: check the invariant, then trigger the event. Repeating a command whose
    # event is already recorded does nothing, so redelivered work cannot double-write.

    def receive_audio(
        self, audio_ref: str, size_bytes: int, mime: str, declared_duration_s: float | None = None
    ) -> int:
        if (known := self.attempt_of(audio_ref)) is not None:
            return known
        if self.full:
            raise SessionStateError("This session has all the answers it takes; start another.")
        number = len(self.attempts) + 1
        self._audio_received(number, audio_ref, declared_duration_s, size_bytes, mime)
        return number

    def record_transcript(self, attempt: int, transcript: Transcript, facts: AudioFacts) -> None:
        current = self._attempt(attempt)
        if current.stage is Stage.RECEIVED:
            self._transcribed(attempt, transcript, facts)
        elif current.stage is Stage.FAILED:
            raise SessionStateError(f"Attempt {attempt} already failed; send a new answer.")

    def record_feedback(self, attempt: int, feedback: ScoredFeedback) -> None:
        current = self._attempt(attempt)
        if current.stage is Stage.RECEIVED:
            raise SessionStateError(f"Attempt {attempt} has no transcript yet to give feedback on.")
        if current.stage is Stage.FAILED:
            raise SessionStateError(f"Attempt {attempt} already failed; send a new answer.")
        if current.stage is Stage.TRANSCRIBED:
            self._feedback_generated(
                attempt,
                feedback.metrics,
                feedback.rubric,
                feedback.summary,
                feedback.model_answer,
                list(feedback.next_steps),
                feedback.usage,
                feedback.grammar,
            )

    def record_failure(
        self, attempt: int, stage: str, reason_code: str, message: str, *, retryable: bool
    ) -> None:
        current = self._attempt(attempt)
        if current.stage in (Stage.SCORED, Stage.DELIVERED):
            raise SessionStateError(f"Attempt {attempt} already has its feedback.")
        if current.stage is not Stage.FAILED:
            self._processing_failed(attempt, stage, reason_code, message, retryable)

    def record_receipt(self, attempt: int, channel: str, message_id: str) -> None:
        """The first receipt of an attempt stands; a worker started again edits that one."""
        if self._attempt(attempt).receipt is None:
            self._receipt_sent(attempt, channel, message_id)

    def record_part_opened(self, attempt: int, part: int, channel: str, message_id: str) -> None:
        """The message that will carry part `part` (from 1) is in the learner's chat; the
        first one recorded stands."""
        current = self._part_of(attempt, part)
        if not current.finished and part not in current.opened_parts:
            self._feedback_part_opened(attempt, part, channel, message_id)

    def record_part_sent(self, attempt: int, part: int, channel: str, message_id: str) -> None:
        """Part `part` (from 1) of the outcome's messages reached the learner's chat."""
        current = self._part_of(attempt, part)
        if not current.finished and part not in current.sent_parts:
            self._feedback_part_sent(attempt, part, channel, message_id)

    def mark_delivered(self, attempt: int, channel: str, message_id: str) -> None:
        """The learner was told the outcome: the feedback, or why there is none."""
        current = self._outcome_of(attempt)
        if not current.finished:
            self._feedback_delivered(attempt, channel, message_id)

    def record_delivery_failure(self, attempt: int, reason_code: str, message: str) -> None:
        """The outcome can never be delivered; the attempt is finished without it."""
        current = self._outcome_of(attempt)
        if not current.finished:
            self._delivery_failed(attempt, reason_code, message)

    def _outcome_of(self, attempt: int) -> Attempt:
        current = self._attempt(attempt)
        if current.stage in (Stage.RECEIVED, Stage.TRANSCRIBED):
            raise SessionStateError(f"Attempt {attempt} has no outcome to deliver yet.")
        return current

    def _part_of(self, attempt: int, part: int) -> Attempt:
        current = self._outcome_of(attempt)
        if part < 1:
            raise SessionStateError(f"Messages are numbered from 1, not {part}.")
        return current

    def _attempt(self, number: int) -> Attempt:
        try:
            return self.attempts[number]
        except KeyError:
            raise SessionStateError(f"No answer number {number} was received.") from None

    # Event bodies only assign state, so replaying them is safe.

    @event(AudioReceived)
    def _audio_received(
        self,
        attempt: int,
        audio_ref: str,
        declared_duration_s: float | None,
        size_bytes: int,
        mime: str,
    ) -> None:
        self.attempts[attempt] = Attempt(number=attempt, audio_ref=audio_ref)

    @event(Transcribed)
    def _transcribed(self, attempt: int, transcript: Transcript, facts: AudioFacts) -> None:
        current = self.attempts[attempt]
        current.transcript, current.facts, current.stage = transcript, facts, Stage.TRANSCRIBED

    @event(FeedbackGenerated)
    def _feedback_generated(
        self,
        attempt: int,
        metrics: SpeechMetrics,
        rubric: RubricResult,
        summary: str,
        model_answer: str,
        next_steps: list[str],
        usage: Usage,
        grammar: GrammarCheck,
    ) -> None:
        current = self.attempts[attempt]
        current.stage = Stage.SCORED
        current.feedback = ScoredFeedback(
            metrics, rubric, summary, model_answer, tuple(next_steps), usage, grammar
        )

    @event(ProcessingFailed)
    def _processing_failed(
        self, attempt: int, stage: str, reason_code: str, message: str, retryable: bool
    ) -> None:
        current = self.attempts[attempt]
        current.stage = Stage.FAILED
        current.failure = {
            "stage": stage,
            "reason_code": reason_code,
            "message": message,
            "retryable": retryable,
        }

    @event(ReceiptSent)
    def _receipt_sent(self, attempt: int, channel: str, message_id: str) -> None:
        self.attempts[attempt].receipt = message_id

    @event(FeedbackPartOpened)
    def _feedback_part_opened(self, attempt: int, part: int, channel: str, message_id: str) -> None:
        self.attempts[attempt].opened_parts[part] = message_id

    @event(FeedbackPartSent)
    def _feedback_part_sent(self, attempt: int, part: int, channel: str, message_id: str) -> None:
        self.attempts[attempt].sent_parts[part] = message_id

    @event(FeedbackDelivered)
    def _feedback_delivered(self, attempt: int, channel: str, message_id: str) -> None:
        current = self.attempts[attempt]
        current.delivered = True
        if current.stage is Stage.SCORED:
            current.stage = Stage.DELIVERED

    @event(DeliveryFailed)
    def _delivery_failed(self, attempt: int, reason_code: str, message: str) -> None:
        self.attempts[attempt].undeliverable = reason_code

    @property
    def latest_attempt(self) -> Attempt | None:
        return self.attempts[max(self.attempts)] if self.attempts else None
