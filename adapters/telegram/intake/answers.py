"""Before the webhook answers 200: record a voice answer as AudioReceived, so none is lost.

Only facts from the update are stored here (the file id, size, type); downloading and
everything slow happens on the workers after the acknowledgement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from aiogram.types import Message

from adapters.telegram.intake.ratelimit import RateLimit
from application.coaching import CoachingApp, NewLearner, VoiceAnswer
from domain.prompts import Prompt

CHANNEL = "telegram"
DEFAULT_MODE, DEFAULT_LEVEL = "free_talk", "B1"
FREE_TALK = Prompt(
    id="free-open", mode="free_talk", text="Free talk: any topic you like.",
    prep_s=0, answer_s=120, target_words=210,
)  # fmt: skip
AUDIO_DOCUMENT_SUFFIXES = (
    ".ogg",
    ".oga",
    ".opus",
    ".mp3",
    ".m4a",
    ".wav",
    ".webm",
    ".aac",
    ".flac",
)


@dataclass(frozen=True)
class AudioFile:
    file_id: str
    file_unique_id: str
    size_bytes: int
    mime: str
    duration_s: float | None


@dataclass(frozen=True)
class Accepted:
    session_id: UUID
    attempt: int


@dataclass(frozen=True)
class Refused:
    reason: str  # "rate_limited"


# What became of an update's message: an answer recorded or refused, nothing to record
# (None), or the error that kept it from being recorded.
Outcome = Accepted | Refused | Exception | None


def audio_of(message: Message) -> AudioFile | None:
    """The recording in a voice, audio, video note or audio document message, if any."""
    if message.voice:
        v = message.voice
        return AudioFile(v.file_id, v.file_unique_id, v.file_size or 0, v.mime_type or "audio/ogg",
                         float(v.duration))  # fmt: skip
    if message.audio:
        a = message.audio
        return AudioFile(a.file_id, a.file_unique_id, a.file_size or 0, a.mime_type or "audio/mpeg",
                         float(a.duration))  # fmt: skip
    if message.video_note:
        n = message.video_note
        return AudioFile(
            n.file_id, n.file_unique_id, n.file_size or 0, "video/mp4", float(n.duration)
        )
    document = message.document
    if document and (
        (document.mime_type or "").startswith("audio/")
        or (document.file_name or "").lower().endswith(AUDIO_DOCUMENT_SUFFIXES)
    ):
        return AudioFile(document.file_id, document.file_unique_id, document.file_size or 0,
                         document.mime_type or "application/octet-stream", None)  # fmt: skip
    return None


def audio_ref(audio: AudioFile) -> str:
    """Stable per file (unique id) and fetchable later (file id)."""
    return f"tg:{audio.file_unique_id}:{audio.file_id}"


def telegram_chat(app: CoachingApp, learner_id: UUID) -> int | None:
    """The learner's Telegram chat; None for another channel (e.g. the CLI)."""
    learner = app.get_learner(learner_id)
    return int(learner.external_id) if learner.channel == CHANNEL else None


class Intake:
    def __init__(self, app: CoachingApp, limit: RateLimit) -> None:
        self.app, self.limit = app, limit

    def accept_messages(self, messages: Sequence[Message]) -> list[Outcome]:
        """Each message's outcome; the answers among them are recorded together."""
        outcomes: list[Outcome] = []
        answers: list[tuple[int, VoiceAnswer]] = []
        for message in messages:
            screened = self._screen(message)
            if isinstance(screened, VoiceAnswer):
                answers.append((len(outcomes), screened))
                outcomes.append(None)  # its outcome once recorded, below
            else:
                outcomes.append(screened)
        recorded = self.app.answer_by_voice_many([answer for _, answer in answers])
        for (index, _), result in zip(answers, recorded, strict=True):
            outcomes[index] = result if isinstance(result, Exception) else Accepted(*result)
        return outcomes

    def _screen(self, message: Message) -> VoiceAnswer | Refused | None:
        audio = audio_of(message)
        if audio is None:
            return None
        chat_id = message.chat.id
        source_key = f"{CHANNEL}:{chat_id}:{message.message_id}"
        if not self.limit.allow(chat_id, source_key):
            return Refused("rate_limited")
        return VoiceAnswer(
            NewLearner(CHANNEL, str(chat_id), DEFAULT_MODE, DEFAULT_LEVEL),
            source_key=source_key,
            audio_ref=audio_ref(audio),
            size_bytes=audio.size_bytes,
            mime=audio.mime,
            declared_duration_s=audio.duration_s,
            free_prompt=FREE_TALK,
        )
