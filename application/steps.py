"""The slow steps of one answer, run by whichever bus delivers the messages.

Each step loads the attempt from the event store and does nothing if its event is
already recorded, so a redelivered message is harmless.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from application.bus import AttemptMessage
from application.coaching import CoachingApp
from application.grammar import check_transcript, with_writer_corrections
from application.ports import (
    AudioDecoder,
    AudioStore,
    FeedbackProvider,
    FeedbackRequest,
    GrammarChecker,
    Progress,
    SpeechToText,
)
from domain.errors import (
    AudioError,
    ErrorCode,
    ProviderError,
    SessionStateError,
    UnknownPromptError,
)
from domain.feedback import ScoredFeedback
from domain.metrics import measure, metrics_to_dict
from domain.prompts import get_prompt
from domain.rubric import rubric_to_dict, score_answer
from domain.session import Stage
from domain.speech import Transcript, stretches_text
from domain.usage import Usage

NO_SPEECH_MESSAGE = (
    "I couldn't hear any words in that recording. Check that your microphone works, "
    "speak close to it, and send your answer again."
)


def require_words(transcript: Transcript) -> None:
    """Refuse a transcript without words, saying whether speech was heard at all."""
    if transcript.words:
        return
    if not transcript.unheard:
        raise AudioError(ErrorCode.NO_SPEECH, NO_SPEECH_MESSAGE)
    raise AudioError(
        ErrorCode.NO_SPEECH,
        f"I heard you speak ({stretches_text(transcript.unheard)}) but could not make out any "
        "words. Speak a little slower and closer to the microphone, somewhere quieter, and "
        "send it again.",
    )


INTERNAL_ERROR_MESSAGE = (
    "Something went wrong on our side with this answer, and it is not your recording. "
    "Please send it again in a minute."
)


def timed(transcript: Transcript, latency_s: float) -> Transcript:
    """The transcript, with how long hearing it took in its usage."""
    usage = transcript.usage or Usage(transcript.provider)
    return replace(transcript, usage=replace(usage, latency_s=round(latency_s, 3)))


def quiet(stage: str, message: AttemptMessage | None = None) -> None:
    """The default Progress: nobody is waiting to be told."""


AUDIO_FETCHED = "AudioFetched"


class FetchAnswer:
    """The first step (an I/O lane): bring the recording to local disk (a download for a
    Telegram answer), so transcription never waits on the network; then hand the attempt on
    as AUDIO_FETCHED. It writes no event: under load it runs ahead of transcription, and
    the event store is the webhook's too."""

    def __init__(
        self, app: CoachingApp, store: AudioStore, publish: Callable[[AttemptMessage], None]
    ) -> None:
        self.app, self.store, self.publish = app, store, publish

    def __call__(self, message: AttemptMessage) -> None:
        attempt = self.app.get_session(message.session_id).attempts[message.attempt]
        if attempt.stage is not Stage.RECEIVED:
            return
        try:
            self.store.path(attempt.audio_ref)
        except (AudioError, ProviderError) as error:
            _record_failure(self.app, message, "transcription", error)
            return
        self.publish(AttemptMessage(AUDIO_FETCHED, message.session_id, message.attempt))


class TranscribeAnswer:
    def __init__(
        self,
        app: CoachingApp,
        store: AudioStore,
        decoder: AudioDecoder,
        stt: SpeechToText,
        progress: Progress = quiet,
    ) -> None:
        self.app, self.store, self.decoder, self.stt = app, store, decoder, stt
        self.progress = progress

    def __call__(self, message: AttemptMessage) -> None:
        session = self.app.get_session(message.session_id)
        attempt = session.attempts[message.attempt]
        if attempt.stage is not Stage.RECEIVED:
            return
        try:
            self.progress("decoding", message)
            audio = self.decoder.decode(self.store.path(attempt.audio_ref))
            self.progress("transcribing", message)
            started = time.perf_counter()
            transcript = timed(self.stt.transcribe(audio), time.perf_counter() - started)
            require_words(transcript)
        except (AudioError, ProviderError) as error:
            _record_failure(self.app, message, "transcription", error)
            return
        self.app.record_transcript(message.session_id, message.attempt, transcript, audio.facts)


def _record_failure(
    app: CoachingApp, message: AttemptMessage, stage: str, error: AudioError | ProviderError
) -> None:
    """An outcome the learner is told: their recording's fault (never worth retrying as is),
    or a provider's (retryable if it says so)."""
    if isinstance(error, AudioError):
        code, retryable = error.code.value, False
    else:
        code, retryable = error.code, error.retryable
    app.record_failure(
        message.session_id, message.attempt, stage, code, error.message, retryable=retryable
    )


class ScoreAnswer:
    def __init__(
        self, app: CoachingApp, provider: FeedbackProvider, progress: Progress = quiet,
        grammar: Sequence[GrammarChecker] = (),
    ) -> None:  # fmt: skip
        self.app, self.provider, self.progress = app, provider, progress
        self.grammar = tuple(grammar)

    def __call__(self, message: AttemptMessage) -> None:
        session = self.app.get_session(message.session_id)
        attempt = session.attempts[message.attempt]
        if attempt.stage is not Stage.TRANSCRIBED or not attempt.transcript or not attempt.facts:
            return
        self.progress("scoring", message)
        try:
            target_words: int | None = get_prompt(session.prompt_id).target_words
        except UnknownPromptError:
            target_words = None
        transcript = attempt.transcript
        metrics = measure(transcript.words, attempt.facts, session.answer_s, transcript.unheard)
        self.progress("checking grammar", message)
        grammar = check_transcript(transcript, self.grammar)
        rubric = score_answer(metrics, attempt.transcript.text, session.mode,
                              session.prompt_text, target_words, grammar)  # fmt: skip
        request = FeedbackRequest(
            prompt_text=session.prompt_text,
            mode=session.mode,
            transcript=attempt.transcript,
            metrics=metrics_to_dict(metrics),
            rubric=rubric_to_dict(rubric),
            answer_limit_s=session.answer_s,
            grammar=grammar,
        )
        self.progress("writing feedback", message)
        started = time.perf_counter()
        try:
            feedback = self.provider.give_feedback(request)
        except ProviderError as error:
            _record_failure(self.app, message, "feedback", error)
            return
        usage = replace(feedback.usage, latency_s=round(time.perf_counter() - started, 3))
        grammar = with_writer_corrections(grammar, feedback.corrections, usage.provider)
        scored = ScoredFeedback(metrics, rubric, feedback.summary, feedback.model_answer,
                                tuple(feedback.next_steps), usage, grammar)  # fmt: skip
        self.app.record_feedback(message.session_id, message.attempt, scored)


_FAILED_STEP = {
    "AudioReceived": "transcription", AUDIO_FETCHED: "transcription", "Transcribed": "feedback",
}  # fmt: skip


class ReportGivingUp:
    """When a step kept failing, record why, so the learner is told instead of waiting.

    A failed delivery is left alone: its feedback is recorded and goes out at the next start.
    """

    def __init__(self, app: CoachingApp) -> None:
        self.app = app

    def __call__(self, message: AttemptMessage, error: Exception) -> None:
        stage = _FAILED_STEP.get(message.topic)
        if stage is None:
            return
        with contextlib.suppress(SessionStateError):  # it got an outcome after all
            self.app.record_failure(
                message.session_id, message.attempt, stage, "internal_error",
                INTERNAL_ERROR_MESSAGE, retryable=True,
            )  # fmt: skip
