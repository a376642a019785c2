"""Every event survives the trip through the stored form unchanged."""

from __future__ import annotations

import uuid

import pytest
from eventsourcing.persistence import JSONTranscoder, Mapper
from hypothesis import given
from hypothesis import strategies as st

from application.coaching import CoachingApp
from domain.errors import SessionStateError
from domain.learner import Learner
from domain.session import PracticeSession
from domain.speech import AudioFacts, Interval
from tests.support.values import audio_facts, scored_feedbacks, transcripts

_small_text = st.text(max_size=40)
_session_commands = st.lists(
    st.one_of(
        st.tuples(st.just("audio"), _small_text),
        st.tuples(st.just("transcript"), transcripts, audio_facts),
        st.tuples(st.just("feedback"), scored_feedbacks),
        st.tuples(st.just("failure"), st.sampled_from(["no_speech", "too_long"]), st.booleans()),
        st.tuples(st.just("receipt"), _small_text),
        st.tuples(st.just("opened"), st.integers(1, 4), _small_text),
        st.tuples(st.just("part"), st.integers(1, 4), _small_text),
        st.tuples(st.just("delivered"), _small_text),
        st.tuples(st.just("undeliverable"), st.sampled_from(["chat_blocked", "gave_up"])),
    ),
    max_size=12,
)


@pytest.fixture(scope="module")
def mapper() -> Mapper[uuid.UUID]:
    app = CoachingApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    return app.mapper


def _apply(session: PracticeSession, command: tuple) -> None:  # type: ignore[type-arg]
    kind, *args = command
    latest = max(session.attempts, default=0)
    try:
        if kind == "audio":
            session.receive_audio(args[0], 10, "audio/ogg", 3.5)
        elif kind == "transcript":
            session.record_transcript(latest, args[0], args[1])
        elif kind == "feedback":
            session.record_feedback(latest, args[0])
        elif kind == "failure":
            session.record_failure(latest, "transcription", args[0], "msg", retryable=args[1])
        elif kind == "receipt":
            session.record_receipt(latest, "telegram", args[0])
        elif kind == "opened":
            session.record_part_opened(latest, args[0], "telegram", args[1])
        elif kind == "part":
            session.record_part_sent(latest, args[0], "telegram", args[1])
        elif kind == "undeliverable":
            session.record_delivery_failure(latest, args[0], "why")
        else:
            session.mark_delivered(latest, "telegram", args[0])
    except SessionStateError:  # a command the aggregate refuses produces no event
        return


@given(commands=_session_commands, mode=st.sampled_from(["free_talk", "ielts_part2"]))
def test_every_session_event_round_trips_through_the_stored_form(
    mapper: Mapper[uuid.UUID],
    commands: list,
    mode: str,  # type: ignore[type-arg]
) -> None:
    session = PracticeSession(
        learner_id=uuid.uuid4(),
        source_key="cli:x",
        mode=mode,
        prompt_id="p",
        prompt_text="Describe a place.",
        prep_s=60,
        answer_s=120,
    )
    for command in commands:
        _apply(session, command)
    for event in session.collect_events():
        restored = mapper.to_domain_event(mapper.to_stored_event(event))
        assert restored == event
        assert type(restored) is type(event)


@given(mode=st.sampled_from(["free_talk", "toefl_interview"]), level=st.sampled_from(["B1", "C1"]))
def test_learner_events_round_trip(mapper: Mapper[uuid.UUID], mode: str, level: str) -> None:
    learner = Learner(channel="telegram", external_id="123", mode="free_talk", level="B2")
    learner.change_settings(mode, level)
    for event in learner.collect_events():
        assert mapper.to_domain_event(mapper.to_stored_event(event)) == event


def test_a_transcoder_without_our_registrations_refuses_transcripts() -> None:
    """Guards the registration itself: without it, Transcribed could not be stored at all."""
    bare = JSONTranscoder()
    facts = AudioFacts(duration_s=3.0, speech_s=2.0, speech_segments=(Interval(0.5, 2.5),))
    with pytest.raises(TypeError):
        bare.encode({"facts": facts})
