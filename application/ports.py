"""Ports: what the application needs from the outside world, as Protocols.

Adapters implement them; tests use fakes that implement the same Protocols.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from application.bus import AttemptMessage
from domain.grammar import NOT_CHECKED, Correction, GrammarCheck
from domain.speech import AudioFacts, Transcript
from domain.usage import Usage


@dataclass(frozen=True)
class DecodedAudio:
    """16 kHz mono signed 16-bit PCM of a whole recording, plus what we measured on it."""

    pcm: bytes
    sample_rate: int
    facts: AudioFacts


class AudioDecoder(Protocol):
    """Validates and decodes a recording; raises `domain.errors.AudioError` on bad input."""

    def decode(self, path: Path) -> DecodedAudio: ...


class SpeechToText(Protocol):
    """Turns decoded audio into words with timings on the original timeline."""

    name: str

    def transcribe(self, audio: DecodedAudio) -> Transcript: ...

    def warm_up(self) -> None:
        """Load now what the first answer would otherwise wait for (e.g. a model)."""
        ...


class GrammarChecker(Protocol):
    """Finds grammar and word-choice errors in a text: each a Correction whose span is in
    that text. Raises `domain.errors.ProviderError` when it cannot check (a server down)."""

    name: str

    def check(self, text: str) -> list[Correction]: ...


@dataclass(frozen=True)
class FeedbackRequest:
    prompt_text: str
    mode: str
    transcript: Transcript
    metrics: dict[str, object]
    rubric: dict[str, object]
    answer_limit_s: int
    grammar: GrammarCheck = NOT_CHECKED  # what our checkers found: facts, as the metrics are


@dataclass(frozen=True)
class Feedback:
    """What a coach wrote, and what writing it took (`usage`: its model, tokens, cost)."""

    summary: str
    model_answer: str
    next_steps: tuple[str, ...]
    usage: Usage
    # A language model's own corrections, in the checkers' shape (spans in the text the
    # checkers read); our rules write none beyond the checkers' (`FeedbackRequest.grammar`).
    corrections: tuple[Correction, ...] = ()


class FeedbackProvider(Protocol):
    """Writes the coaching text for one scored answer."""

    name: str

    def give_feedback(self, request: FeedbackRequest) -> Feedback: ...


class AudioStore(Protocol):
    """Keeps the learner's original recordings; events refer to them by a stable reference."""

    def put(self, source: Path) -> str: ...

    def path(self, ref: str) -> Path: ...


class Progress(Protocol):
    """Tells a waiting learner which stage of which attempt is running ("transcribing", ...)."""

    def __call__(self, stage: str, message: AttemptMessage | None = None) -> None: ...
