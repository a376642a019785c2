"""A Telegram voice answer as the application records it, for tests below the webhook."""

from __future__ import annotations

from adapters.telegram.intake.answers import FREE_TALK
from application.coaching import NewLearner, VoiceAnswer


def voice_answer(chat: int, message_id: int) -> VoiceAnswer:
    """Chat `chat`'s answer in message `message_id` (its file named after the message)."""
    return VoiceAnswer(
        NewLearner("telegram", str(chat), "free_talk", "B1"),
        source_key=f"telegram:{chat}:{message_id}", audio_ref=f"tg:u{message_id}:f{message_id}",
        size_bytes=1000, mime="audio/ogg", declared_duration_s=3.0, free_prompt=FREE_TALK,
    )  # fmt: skip
