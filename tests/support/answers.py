"""A Telegram voice answer as the application records it, for tests below the webhook."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from adapters.bootstrap import Container, bootstrap
from adapters.settings import Settings
from adapters.telegram.intake.answers import FREE_TALK
from application.coaching import NewLearner, VoiceAnswer
from domain.feedback import ScoredFeedback
from domain.prompts import get_prompt
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText, script


def voice_answer(chat: int, message_id: int) -> VoiceAnswer:
    """Chat `chat`'s answer in message `message_id` (its file named after the message)."""
    return VoiceAnswer(
        NewLearner("telegram", str(chat), "free_talk", "B1"),
        source_key=f"telegram:{chat}:{message_id}", audio_ref=f"tg:u{message_id}:f{message_id}",
        size_bytes=1000, mime="audio/ogg", declared_duration_s=3.0, free_prompt=FREE_TALK,
    )  # fmt: skip


def record_and_score(
    container: Container, folder: Path, spoken: str, key: str = "scored"
) -> ScoredFeedback:
    """A learner's answer whose words are `spoken` ("word@start-end ..."), through the
    container's steps (scripted audio and speech): the feedback it got."""
    app = container.app
    learner = app.register_learner("telegram", "4242", "toefl_interview", "B2")
    session_id = app.start_session(learner, get_prompt("toefl-int-06"), source_key=key)
    ref = container.store.put(script(folder / f"{key}.txt", spoken))
    attempt = app.receive_audio(session_id, ref, 100, "audio/ogg")
    feedback = app.get_session(session_id).attempts[attempt].feedback
    assert feedback is not None, "the steps ran and scored the answer"
    return feedback


@contextlib.contextmanager
def scripted_container(home: Path, **settings: Any) -> Iterator[Container]:
    """The application in memory, its audio and speech scripted ("word@start-end ...")."""
    configured = Settings(SPEECH_COACH_HOME=home, SPEECH_COACH_EVENT_STORE="memory", **settings)
    built = bootstrap(configured, decoder=ScriptedDecoder(), stt=ScriptedSpeechToText())
    try:
        yield built
    finally:
        built.close()
