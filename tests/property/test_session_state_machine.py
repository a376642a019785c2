"""PracticeSession keeps its invariants under any sequence of commands, and replays exactly."""

from __future__ import annotations

import uuid

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from domain.errors import SessionStateError
from domain.feedback import ScoredFeedback
from domain.session import MAX_ATTEMPTS, PracticeSession, Stage
from tests.support.values import audio_facts, scored_feedbacks, transcripts

ORDER = [Stage.RECEIVED, Stage.TRANSCRIBED, Stage.SCORED, Stage.DELIVERED]


class PracticeSessionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.session = PracticeSession(
            learner_id=uuid.uuid4(),
            source_key="telegram:1:2",
            mode="free_talk",
            prompt_id="free-01",
            prompt_text="Talk about your day.",
            prep_s=0,
            answer_s=60,
        )
        self.events = list(self.session.collect_events())
        self.expected: dict[int, Stage] = {}
        self.told: set[int] = set()  # attempts whose outcome reached the learner
        self.parts: dict[int, set[int]] = {}  # parts of each outcome sent
        self.opened: dict[int, dict[int, str]] = {}  # the message that carries each part
        self.undeliverable: set[int] = set()
        self.receipts: dict[int, str] = {}  # the first status message of each attempt

    def _save(self) -> None:
        self.events.extend(self.session.collect_events())

    attempts = st.integers(min_value=1, max_value=4)

    @rule(ref=st.sampled_from("abcd") | st.text("abcdefghijklmn", min_size=1, max_size=1))
    def receive_audio(self, ref: str) -> None:
        known = {a.audio_ref: n for n, a in self.session.attempts.items()}
        try:
            number = self.session.receive_audio(ref, 100, "audio/ogg")
        except SessionStateError:
            assert ref not in known, "a resent answer is never refused"
            assert len(known) == MAX_ATTEMPTS, "only a full session refuses"
            assert self.session.full
            return
        if ref in known:
            assert number == known[ref], "a resent answer must land on its attempt"
        else:
            assert number == len(self.expected) + 1
            self.expected[number] = Stage.RECEIVED
        self._save()

    @rule(n=attempts, transcript=transcripts, facts=audio_facts)
    def transcribe(self, n: int, transcript, facts) -> None:  # type: ignore[no-untyped-def]
        stage = self.expected.get(n)
        try:
            self.session.record_transcript(n, transcript, facts)
        except SessionStateError:
            assert stage in (None, Stage.FAILED), (
                "only unknown or failed attempts refuse a transcript"
            )
        else:
            assert stage not in (None, Stage.FAILED)
            if stage is Stage.RECEIVED:
                self.expected[n] = Stage.TRANSCRIBED
        self._save()

    @rule(n=attempts, feedback=scored_feedbacks)
    def give_feedback(self, n: int, feedback: ScoredFeedback) -> None:
        stage = self.expected.get(n)
        try:
            self.session.record_feedback(n, feedback)
        except SessionStateError:
            assert stage in (None, Stage.RECEIVED, Stage.FAILED), "no feedback before transcript"
        else:
            assert stage in (Stage.TRANSCRIBED, Stage.SCORED, Stage.DELIVERED)
            if stage is Stage.TRANSCRIBED:
                self.expected[n] = Stage.SCORED
        self._save()

    @rule(n=attempts, retryable=st.booleans())
    def fail(self, n: int, retryable: bool) -> None:
        stage = self.expected.get(n)
        try:
            self.session.record_failure(n, "transcription", "no_speech", "x", retryable=retryable)
        except SessionStateError:
            assert stage in (None, Stage.SCORED, Stage.DELIVERED), "one outcome per attempt"
        else:
            if stage is not Stage.FAILED:
                self.told.discard(n)
            self.expected[n] = Stage.FAILED
        self._save()

    def _finished(self, n: int) -> bool:
        return n in self.told or n in self.undeliverable

    def _new_events(self, command) -> bool:  # type: ignore[no-untyped-def]
        """Run `command`; whether it recorded an event (SessionStateError propagates)."""
        before = len(self.events) + len(self.session.pending_events)
        command()
        return len(self.events) + len(self.session.pending_events) > before

    @rule(n=attempts)
    def deliver(self, n: int) -> None:
        stage = self.expected.get(n)
        try:
            told_now = self._new_events(lambda: self.session.mark_delivered(n, "telegram", "42"))
        except SessionStateError:
            assert stage in (None, Stage.RECEIVED, Stage.TRANSCRIBED), "told before any outcome"
        else:
            assert stage in (Stage.SCORED, Stage.DELIVERED, Stage.FAILED)
            assert told_now == (not self._finished(n)), "an outcome is delivered once, if ever"
            if told_now:
                self.told.add(n)
                if stage is Stage.SCORED:
                    self.expected[n] = Stage.DELIVERED
        self._save()

    @rule(n=attempts, part=st.integers(min_value=1, max_value=3))
    def send_part(self, n: int, part: int) -> None:
        stage = self.expected.get(n)
        try:
            sent_now = self._new_events(
                lambda: self.session.record_part_sent(n, part, "telegram", f"m{part}")
            )
        except SessionStateError:
            assert stage in (None, Stage.RECEIVED, Stage.TRANSCRIBED), "a part before any outcome"
        else:
            fresh = part not in self.parts.get(n, set()) and not self._finished(n)
            assert sent_now == fresh, "each part is recorded once, and none after the end"
            if sent_now:
                self.parts.setdefault(n, set()).add(part)
        self._save()

    @rule(n=attempts, part=st.integers(min_value=1, max_value=3),
          message_id=st.sampled_from(["9", "10"]))  # fmt: skip
    def open_part(self, n: int, part: int, message_id: str) -> None:
        stage = self.expected.get(n)
        try:
            opened_now = self._new_events(
                lambda: self.session.record_part_opened(n, part, "telegram", message_id)
            )
        except SessionStateError:
            assert stage in (None, Stage.RECEIVED, Stage.TRANSCRIBED), "a part before any outcome"
        else:
            fresh = part not in self.opened.get(n, {}) and not self._finished(n)
            assert opened_now == fresh, "the first message opened for a part stands"
            if opened_now:
                self.opened.setdefault(n, {})[part] = message_id
        self._save()

    @rule(n=attempts, message_id=st.sampled_from(["7", "8"]))
    def send_receipt(self, n: int, message_id: str) -> None:
        try:
            self.session.record_receipt(n, "telegram", message_id)
        except SessionStateError:
            assert n not in self.expected, "only an unknown attempt refuses a receipt"
        else:
            self.receipts.setdefault(n, message_id)
        self._save()

    @rule(n=attempts)
    def give_up_delivering(self, n: int) -> None:
        stage = self.expected.get(n)
        try:
            ended_now = self._new_events(
                lambda: self.session.record_delivery_failure(n, "chat_blocked", "blocked")
            )
        except SessionStateError:
            assert stage in (None, Stage.RECEIVED, Stage.TRANSCRIBED), "no outcome to give up on"
        else:
            assert ended_now == (not self._finished(n)), "a finished attempt stays finished"
            if ended_now:
                self.undeliverable.add(n)
        self._save()

    @invariant()
    def stages_match_the_model(self) -> None:
        assert {n: a.stage for n, a in self.session.attempts.items()} == self.expected

    @invariant()
    def delivery_matches_the_model(self) -> None:
        attempts = self.session.attempts
        assert {n for n, a in attempts.items() if a.delivered} == self.told
        assert {n for n, a in attempts.items() if a.undeliverable} == self.undeliverable
        assert {n: set(a.sent_parts) for n, a in attempts.items() if a.sent_parts} == self.parts
        opened = {n: a.opened_parts for n, a in attempts.items() if a.opened_parts}
        assert opened == self.opened, "each part fills the first message opened for it"
        assert not self.told & self.undeliverable, "delivered or undeliverable, never both"
        receipts = {n: a.receipt for n, a in attempts.items() if a.receipt is not None}
        assert receipts == self.receipts, "the first status message of an attempt stands"

    @invariant()
    def versions_strictly_increase(self) -> None:
        versions = [e.originator_version for e in self.events]
        assert versions == list(range(1, len(versions) + 1))

    @invariant()
    def at_most_one_outcome_per_attempt(self) -> None:
        outcomes = [
            e.attempt
            for e in self.events
            if isinstance(e, PracticeSession.FeedbackGenerated | PracticeSession.ProcessingFailed)
        ]
        assert len(outcomes) == len(set(outcomes))

    @precondition(lambda self: len(self.events) > 1)
    @invariant()
    def replaying_the_events_rebuilds_the_same_state(self) -> None:
        replayed = None
        for event in self.events:
            replayed = event.mutate(replayed)
        assert replayed is not None
        assert replayed.attempts == self.session.attempts
        assert replayed.version == self.session.version


TestPracticeSession = PracticeSessionMachine.TestCase
TestPracticeSession.settings = settings(stateful_step_count=100)  # long enough to fill one
