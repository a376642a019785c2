"""The practice projection: each learner or session event becomes one tracked change."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.feedback import ScoredFeedback
from domain.learner import Learner
from domain.session import PracticeSession, Stage
from projections.history import Outcome, SessionFacts, history_row
from projections.recorder import PracticeViewRecorder
from projections.views import UNDELIVERABLE, AttemptView, LearnerView


class PracticeProjection(Projection[PracticeViewRecorder]):
    """Folds Learner events into learners' settings, and PracticeSession events into
    sessions, attempts and history rows.

    Every event, even one the view ignores, records its position, so the view's position
    reaches the end of the log and a caller can wait for any notification it wrote.
    An event at or below the view's position is skipped: replaying the log is harmless.
    """

    name = "practice_views"

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        if self.view.has_tracking_id(tracking.application_name, tracking.notification_id):
            return
        self._apply(domain_event, tracking)

    @singledispatchmethod
    def _apply(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @_apply.register
    def _registered(self, domain_event: Learner.Registered, tracking: Tracking) -> None:
        learner = LearnerView(domain_event.originator_id, domain_event.mode, domain_event.level)
        self.view.record_learner(learner, tracking)

    @_apply.register
    def _settings_changed(self, domain_event: Learner.SettingsChanged, tracking: Tracking) -> None:
        self._learner_change(domain_event, tracking, mode=domain_event.mode,
                             level=domain_event.level)  # fmt: skip

    @_apply.register
    def _practice_started(self, domain_event: Learner.PracticeStarted, tracking: Tracking) -> None:
        self._learner_change(domain_event, tracking, active_session_id=domain_event.session_id,
                             active_prompt_id=domain_event.prompt_id)  # fmt: skip

    def _learner_change(self, domain_event: Any, tracking: Tracking, **facts: Any) -> None:
        current = self.view.learner(domain_event.originator_id)
        if current is None:
            self.view.insert_tracking(tracking)
            return
        self.view.record_learner(replace(current, **facts), tracking)

    @_apply.register
    def _started(self, domain_event: PracticeSession.Started, tracking: Tracking) -> None:
        self.view.record_session(SessionFacts.from_started(domain_event), tracking)

    @_apply.register
    def _received(self, domain_event: PracticeSession.AudioReceived, tracking: Tracking) -> None:
        session = self.view.session(domain_event.originator_id)
        if session is None:
            self.view.insert_tracking(tracking)
            return
        attempt = AttemptView(
            session_id=session.session_id,
            attempt=domain_event.attempt,
            learner_id=session.learner_id,
            mode=session.mode,
            prompt_id=session.prompt_id,
            prompt_text=session.prompt_text,
            stage=Stage.RECEIVED.value,
            received_at=domain_event.timestamp,
        )
        self.view.record_attempt(attempt, tracking)

    @_apply.register
    def _transcribed(self, domain_event: PracticeSession.Transcribed, tracking: Tracking) -> None:
        transcript = domain_event.transcript
        self._change(domain_event, tracking, stage=Stage.TRANSCRIBED, transcript=transcript)

    @_apply.register
    def _scored(self, domain_event: PracticeSession.FeedbackGenerated, tracking: Tracking) -> None:
        feedback = ScoredFeedback(
            domain_event.metrics, domain_event.rubric, domain_event.summary,
            domain_event.model_answer, tuple(domain_event.next_steps), domain_event.usage,
            domain_event.grammar,
        ).to_dict()  # fmt: skip
        self._change(domain_event, tracking, stage=Stage.SCORED, feedback=feedback)

    @_apply.register
    def _failed(self, domain_event: PracticeSession.ProcessingFailed, tracking: Tracking) -> None:
        failure = {
            "stage": domain_event.stage,
            "reason_code": domain_event.reason_code,
            "message": domain_event.message,
            "retryable": domain_event.retryable,
        }
        self._change(domain_event, tracking, stage=Stage.FAILED, failure=failure)

    @_apply.register
    def _delivered(
        self, domain_event: PracticeSession.FeedbackDelivered, tracking: Tracking
    ) -> None:
        self._change(domain_event, tracking, stage=Stage.DELIVERED)

    @_apply.register
    def _undeliverable(
        self, domain_event: PracticeSession.DeliveryFailed, tracking: Tracking
    ) -> None:
        self._change(domain_event, tracking, stage=UNDELIVERABLE)

    def _change(
        self, domain_event: Any, tracking: Tracking, stage: Stage | str, **facts: Any
    ) -> None:
        current = self.view.attempt(domain_event.originator_id, domain_event.attempt)
        if current is None:
            self.view.insert_tracking(tracking)
            return
        changed = replace(current, stage=str(stage), **facts)
        row = None
        if isinstance(domain_event, Outcome):
            session = self.view.session(domain_event.originator_id)
            row = history_row(session, domain_event) if session else None
        self.view.record_attempt(changed, tracking, row)
