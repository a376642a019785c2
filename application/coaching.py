"""The coaching application: the use cases of practising, as get -> command -> save."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from application import transcodings
from application.bus import AttemptMessage, EventBus
from domain.errors import SessionStateError
from domain.feedback import ScoredFeedback
from domain.ids import learner_id as make_learner_id
from domain.ids import session_id as make_session_id
from domain.learner import Learner
from domain.prompts import Prompt
from domain.session import PracticeSession
from domain.speech import AudioFacts, Transcript

# Events that start the next step of the pipeline when they are published.
STEP_TOPICS = frozenset({"AudioReceived", "Transcribed", "FeedbackGenerated", "ProcessingFailed"})
# Events after which nothing more happens to an attempt.
FINISHING_TOPICS = frozenset({"FeedbackDelivered", "DeliveryFailed"})
_CONFLICT_RETRIES = 5
LEARNER_SNAPSHOT_EVERY = 50
T = TypeVar("T")


@dataclass(frozen=True)
class NewLearner:
    """Who to register if this is the learner's first contact."""

    channel: str
    external_id: str
    mode: str
    level: str


@dataclass(frozen=True)
class VoiceAnswer:
    """A recording sent as an answer; `source_key` names the message it came in."""

    newcomer: NewLearner
    source_key: str
    audio_ref: str
    size_bytes: int
    mime: str
    declared_duration_s: float | None
    free_prompt: Prompt


class CoachingApp(Application[UUID]):
    """Learners, practice sessions and their attempts, stored as events."""

    name = "SpeechCoach"
    # A learner gains an event with every prompt they take: without snapshots, recording
    # an answer of someone with 1,000 prompts behind them took 58 ms, 3,000 took 213 ms.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Learner: LEARNER_SNAPSHOT_EVERY}

    def __init__(self, env: dict[str, str] | None = None, bus: EventBus | None = None) -> None:
        super().__init__(env)
        self.bus = bus

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register(transcoder)

    # Learners

    def register_learner(self, channel: str, external_id: str, mode: str, level: str) -> UUID:
        """Idempotent, also when two updates of a newcomer register them at the same time."""
        learner, is_new = self._learner_or_new(NewLearner(channel, external_id, mode, level))
        if is_new:
            with contextlib.suppress(IntegrityError):  # registered a moment ago by another
                self.save(learner)
        return learner.id

    def _learner_or_new(self, newcomer: NewLearner) -> tuple[Learner, bool]:
        """The stored learner, or a new unsaved one (True) on first contact."""
        try:
            learner: Learner = self.repository.get(
                make_learner_id(newcomer.channel, newcomer.external_id)
            )
        except AggregateNotFoundError:
            return Learner(channel=newcomer.channel, external_id=newcomer.external_id,
                           mode=newcomer.mode, level=newcomer.level), True  # fmt: skip
        return learner, False

    def get_learner(self, learner_id: UUID) -> Learner:
        learner: Learner = self.repository.get(learner_id)
        return learner

    def change_settings(self, learner_id: UUID, mode: str, level: str) -> None:
        def change() -> tuple[list[Learner], None]:
            learner = self.get_learner(learner_id)
            learner.change_settings(mode, level)
            return [learner], None

        self._until_saved(change)

    # Practice sessions

    def start_practice(self, learner_id: UUID, prompt: Prompt, source_key: str) -> UUID:
        """Give the learner a prompt: their next voice answers belong to this session."""
        session_id = make_session_id(learner_id, source_key)

        def start() -> tuple[list[Learner | PracticeSession], UUID]:
            learner = self.get_learner(learner_id)
            new = (
                []
                if session_id in self.repository
                else [self._new_session(learner_id, prompt, source_key)]
            )
            learner.start_practice(session_id, prompt.id)
            return [learner, *new], session_id

        return self._until_saved(start)

    def answer_by_voice(self, answer: VoiceAnswer) -> tuple[UUID, int]:
        """Record a voice answer to the learner's active prompt, or as free talk if none.

        A first-time learner is registered on the way. Whatever is new (learner, session,
        AudioReceived) is saved in one transaction, because a webhook waits for it.
        Idempotent: the same `audio_ref` again lands on the attempt it already made.
        """

        def stage() -> tuple[list[Learner | PracticeSession], tuple[UUID, int]]:
            staged, session_id, attempt = self._stage_answer(answer)
            return staged, (session_id, attempt)

        return self._until_saved(stage, "Too many answers at once; please send it again.")

    def answer_by_voice_many(
        self, answers: Sequence[VoiceAnswer]
    ) -> list[tuple[UUID, int] | Exception]:
        """Record several voice answers in as few transactions as possible (group commit:
        one write and one fsync for the lot). Each answer gets its (session, attempt) or
        the error that refused it. A learner's second answer waits for the next round; if
        a round conflicts with another writer, its answers are recorded one by one."""
        results: dict[int, tuple[UUID, int] | Exception] = {}
        pending = list(enumerate(answers))
        while pending:
            this_round: list[tuple[int, VoiceAnswer]] = []
            later: list[tuple[int, VoiceAnswer]] = []
            learners: set[UUID] = set()
            for index, answer in pending:
                learner_id = make_learner_id(answer.newcomer.channel, answer.newcomer.external_id)
                (later if learner_id in learners else this_round).append((index, answer))
                learners.add(learner_id)
            staged: list[Learner | PracticeSession] = []
            made: dict[int, tuple[UUID, int]] = {}
            for index, answer in this_round:
                aggregates, session_id, attempt = self._stage_answer(answer)
                staged.extend(aggregates)
                made[index] = (session_id, attempt)
            try:
                self._save_and_publish(*staged)
            except IntegrityError:
                results.update((index, self._alone(answer)) for index, answer in this_round)
            except Exception as failed:  # noqa: BLE001 - e.g. a locked database: each is told
                results.update((index, failed) for index in made)
            else:
                results.update(made)
            pending = later
        return [results[index] for index in range(len(answers))]

    def _alone(self, answer: VoiceAnswer) -> tuple[UUID, int] | Exception:
        try:
            return self.answer_by_voice(answer)
        except Exception as failed:  # noqa: BLE001 - reported to the answer's own sender
            return failed

    def _stage_answer(
        self, answer: VoiceAnswer
    ) -> tuple[list[Learner | PracticeSession], UUID, int]:
        """The aggregates to save for `answer` (not saved yet), its session and attempt."""
        learner, is_new = self._learner_or_new(answer.newcomer)
        changed: list[Learner | PracticeSession] = [learner] if is_new else []
        session_id = learner.active_session_id or make_session_id(learner.id, answer.source_key)
        try:
            session: PracticeSession = self.repository.get(session_id)
        except AggregateNotFoundError:
            session = self._new_session(learner.id, answer.free_prompt, answer.source_key)
        if session.full and session.attempt_of(answer.audio_ref) is None:
            session = self._same_prompt_again(session, answer.source_key)
            learner.start_practice(session.id, session.prompt_id)
            changed = [learner]
        attempt = session.receive_audio(
            answer.audio_ref, answer.size_bytes, answer.mime, answer.declared_duration_s
        )
        return [*changed, session], session.id, attempt

    def start_session(self, learner_id: UUID, prompt: Prompt, source_key: str) -> UUID:
        """Idempotent: the same learner and source message always give the same session."""
        session_id = make_session_id(learner_id, source_key)
        if session_id not in self.repository:
            with contextlib.suppress(IntegrityError):  # a concurrent retry created it first
                self._save_and_publish(self._new_session(learner_id, prompt, source_key))
        return session_id

    @staticmethod
    def _new_session(learner_id: UUID, prompt: Prompt, source_key: str) -> PracticeSession:
        return PracticeSession(
            learner_id=learner_id,
            source_key=source_key,
            mode=prompt.mode,
            prompt_id=prompt.id,
            prompt_text=prompt.text,
            prep_s=prompt.prep_s,
            answer_s=prompt.answer_s,
        )

    @staticmethod
    def _same_prompt_again(full: PracticeSession, source_key: str) -> PracticeSession:
        """A new session of a full one's prompt, for the answers that keep coming to it."""
        return PracticeSession(
            learner_id=full.learner_id,
            source_key=source_key,
            mode=full.mode,
            prompt_id=full.prompt_id,
            prompt_text=full.prompt_text,
            prep_s=full.prep_s,
            answer_s=full.answer_s,
        )

    def get_session(self, session_id: UUID) -> PracticeSession:
        session: PracticeSession = self.repository.get(session_id)
        return session

    def receive_audio(
        self,
        session_id: UUID,
        audio_ref: str,
        size_bytes: int,
        mime: str,
        declared_duration_s: float | None = None,
    ) -> int:
        return self._change_session(
            session_id,
            lambda session: session.receive_audio(audio_ref, size_bytes, mime, declared_duration_s),
        )

    def record_transcript(
        self, session_id: UUID, attempt: int, transcript: Transcript, facts: AudioFacts
    ) -> None:
        self._change_session(
            session_id, lambda session: session.record_transcript(attempt, transcript, facts)
        )

    def record_feedback(self, session_id: UUID, attempt: int, feedback: ScoredFeedback) -> None:
        self._change_session(session_id, lambda session: session.record_feedback(attempt, feedback))

    def record_failure(
        self,
        session_id: UUID,
        attempt: int,
        stage: str,
        reason_code: str,
        message: str,
        *,
        retryable: bool,
    ) -> None:
        self._change_session(
            session_id,
            lambda session: session.record_failure(
                attempt, stage, reason_code, message, retryable=retryable
            ),
        )

    def mark_delivered(self, session_id: UUID, attempt: int, channel: str, message_id: str) -> None:
        self._change_session(
            session_id, lambda session: session.mark_delivered(attempt, channel, message_id)
        )

    def record_receipt(self, session_id: UUID, attempt: int, channel: str, message_id: str) -> None:
        self._change_session(
            session_id, lambda session: session.record_receipt(attempt, channel, message_id)
        )

    def record_part_opened(
        self, session_id: UUID, attempt: int, part: int, channel: str, message_id: str
    ) -> None:
        self._change_session(
            session_id,
            lambda session: session.record_part_opened(attempt, part, channel, message_id),
        )

    def record_part_sent(
        self, session_id: UUID, attempt: int, part: int, channel: str, message_id: str
    ) -> None:
        self._change_session(
            session_id,
            lambda session: session.record_part_sent(attempt, part, channel, message_id),
        )

    def record_delivery_failure(
        self, session_id: UUID, attempt: int, reason_code: str, message: str
    ) -> None:
        self._change_session(
            session_id,
            lambda session: session.record_delivery_failure(attempt, reason_code, message),
        )

    def _change_session(self, session_id: UUID, change: Callable[[PracticeSession], T]) -> T:
        """Apply `change` to the session as stored now; again on a fresh copy if another
        worker saved the session meanwhile (two attempts of one session run side by side)."""

        def changed() -> tuple[list[PracticeSession], T]:
            session = self.get_session(session_id)
            return [session], change(session)

        return self._until_saved(changed)

    def _until_saved(
        self,
        change: Callable[[], tuple[Sequence[Learner | PracticeSession], T]],
        busy: str = "Too many changes at once; please try again.",
    ) -> T:
        """Make `change` on the aggregates as stored now and save them; make it again on
        fresh copies when another writer saved one of them meanwhile. Its result."""
        for _ in range(_CONFLICT_RETRIES):
            aggregates, result = change()
            try:
                self._save_and_publish(*aggregates)
            except IntegrityError:
                continue
            return result
        raise SessionStateError(busy)

    # Reading the log, for projections

    def all_events(self) -> Iterator[DomainEventProtocol[UUID]]:
        """Every stored event in the order it was recorded."""
        last = self.recorder.max_notification_id() or 0
        start = 1
        while start <= last:
            notifications = self.recorder.select_notifications(start=start, limit=500)
            if not notifications:
                break
            for notification in notifications:
                yield self.mapper.to_domain_event(notification)
            start = notifications[-1].id + 1

    def unfinished_attempts(self) -> list[AttemptMessage]:
        """Attempts whose next step never ran (e.g. the process stopped): to publish again."""
        pending: dict[tuple[UUID, int], str] = {}
        for event in self.all_events():
            topic = type(event).__name__
            if topic in STEP_TOPICS or topic in FINISHING_TOPICS:
                pending[(event.originator_id, getattr(event, "attempt", 0))] = topic
        return [
            AttemptMessage(topic, session_id, attempt)
            for (session_id, attempt), topic in pending.items()
            if topic in STEP_TOPICS  # its last event still has a step (or a delivery) to run
        ]

    def _save_and_publish(self, *aggregates: Learner | PracticeSession) -> None:
        recordings = self.save(*aggregates)
        if self.bus is None:
            return
        for recording in recordings:
            domain_event = recording.domain_event
            topic = type(domain_event).__name__
            if topic in STEP_TOPICS:
                attempt = getattr(domain_event, "attempt", 0)
                self.bus.publish(AttemptMessage(topic, domain_event.originator_id, attempt))
