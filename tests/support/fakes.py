"""Fakes at the ports: same Protocols as the real adapters, scripted by the test.

A "recording" here is a small text file that names what the fake should hear:
its words with timings ("word@start-end ..."), or `error:<code>` for a bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from application.ports import DecodedAudio
from domain.errors import AudioError, ErrorCode
from domain.speech import AudioFacts, Interval, Transcript, Word


def script(path: Path, spoken: str) -> Path:
    path.write_text(spoken)
    return path


def scripted_words(spoken: str) -> tuple[Word, ...]:
    """'word@start-end' pieces, each with '~probability' if the recogniser was unsure."""
    words = []
    for token in spoken.split():
        text, _, heard = token.partition("@")
        times, _, probability = heard.partition("~")
        start, _, end = times.partition("-")
        words.append(Word(text, float(start), float(end), float(probability or 1.0)))
    return tuple(words)


class ScriptedDecoder:
    def __init__(self) -> None:
        self.decoded: list[Path] = []

    def decode(self, path: Path) -> DecodedAudio:
        self.decoded.append(path)
        spoken = path.read_text()
        if spoken.startswith("error:"):
            code = ErrorCode(spoken.removeprefix("error:").strip())
            raise AudioError(code, f"scripted {code.value}")
        words = scripted_words(spoken)
        end = max((w.end_s for w in words), default=0.0) + 0.5
        segments = tuple(Interval(w.start_s, w.end_s) for w in words)
        facts = AudioFacts(end, sum(s.duration_s for s in segments), segments)
        return DecodedAudio(spoken.encode(), 16_000, facts)


@dataclass
class ScriptedSpeechToText:
    name: str = "scripted"
    calls: int = 0
    heard: list[str] = field(default_factory=list)

    def warm_up(self) -> None:
        """Nothing to load."""

    def transcribe(self, audio: DecodedAudio) -> Transcript:
        self.calls += 1
        words = scripted_words(audio.pcm.decode())
        text = " ".join(w.text for w in words)
        self.heard.append(text)
        return Transcript(text, words, "en", self.name)
