"""Domain errors. Each says what went wrong in the learner's terms and what to do."""

from __future__ import annotations

from enum import StrEnum


class SpeechCoachError(Exception):
    """Base of every error this product raises on purpose."""


class ErrorCode(StrEnum):
    INVALID_AUDIO = "invalid_audio"
    NO_SPEECH = "no_speech"
    TOO_LONG = "too_long"
    TOO_LARGE = "too_large"
    PROVIDER_UNAVAILABLE = "provider_unavailable"


class AudioError(SpeechCoachError):
    """A recording we cannot coach. `code` is stable; `message` tells the learner what to do."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SessionStateError(SpeechCoachError):
    """A command that does not fit where the practice session is (e.g. feedback before audio)."""


class UnknownPromptError(SpeechCoachError):
    """No prompt with that id or mode in the bank."""


class ProviderError(SpeechCoachError):
    """A speech-to-text or feedback provider failed; `retryable` says if trying later may help."""

    def __init__(self, code: str, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable
