"""How domain value objects are stored inside events (registered on the JSON transcoder)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.grammar import GrammarCheck, grammar_from_dict, grammar_to_dict
from domain.metrics import SpeechMetrics, metrics_from_dict, metrics_to_dict
from domain.rubric import RubricResult, rubric_from_dict, rubric_to_dict
from domain.speech import AudioFacts, Interval, Transcript, Word
from domain.usage import Usage


def _intervals(data: list[list[float]]) -> tuple[Interval, ...]:
    return tuple(Interval(start, end) for start, end in data)


class TranscriptAsDict(Transcoding):
    """Words are stored as compact [text, start, end, probability] rows."""

    type = Transcript
    name = "transcript"

    def encode(self, obj: Transcript) -> dict[str, Any]:
        return {
            "text": obj.text,
            "words": [[w.text, w.start_s, w.end_s, w.probability] for w in obj.words],
            "language": obj.language,
            "provider": obj.provider,
            "unheard": [[i.start_s, i.end_s] for i in obj.unheard],
            "usage": None if obj.usage is None else asdict(obj.usage),
        }

    def decode(self, data: dict[str, Any]) -> Transcript:
        """Transcripts recorded before `unheard` or `usage` existed decode with none."""
        words = tuple(Word(t, start, end, p) for t, start, end, p in data["words"])
        unheard = _intervals(data.get("unheard", []))
        usage = None if data.get("usage") is None else Usage.from_dict(data["usage"])
        return Transcript(data["text"], words, data["language"], data["provider"], unheard, usage)


class AudioFactsAsDict(Transcoding):
    type = AudioFacts
    name = "audio_facts"

    def encode(self, obj: AudioFacts) -> dict[str, Any]:
        return {
            "duration_s": obj.duration_s,
            "speech_s": obj.speech_s,
            "speech_segments": [[i.start_s, i.end_s] for i in obj.speech_segments],
            "silences": [[i.start_s, i.end_s] for i in obj.silences],
            "pitch_semitones_sd": obj.pitch_semitones_sd,
        }

    def decode(self, data: dict[str, Any]) -> AudioFacts:
        return AudioFacts(
            duration_s=data["duration_s"],
            speech_s=data["speech_s"],
            speech_segments=_intervals(data["speech_segments"]),
            silences=_intervals(data["silences"]),
            pitch_semitones_sd=data["pitch_semitones_sd"],
        )


class SpeechMetricsAsDict(Transcoding):
    """With the derived counts too, for readers of the stored events without this code."""

    type = SpeechMetrics
    name = "speech_metrics"

    def encode(self, obj: SpeechMetrics) -> dict[str, Any]:
        return metrics_to_dict(obj)

    def decode(self, data: dict[str, Any]) -> SpeechMetrics:
        return metrics_from_dict(data)


class RubricResultAsDict(Transcoding):
    type = RubricResult
    name = "rubric_result"

    def encode(self, obj: RubricResult) -> dict[str, Any]:
        return rubric_to_dict(obj)

    def decode(self, data: dict[str, Any]) -> RubricResult:
        return rubric_from_dict(data)


class UsageAsDict(Transcoding):
    type = Usage
    name = "usage"

    def encode(self, obj: Usage) -> dict[str, Any]:
        return asdict(obj)

    def decode(self, data: dict[str, Any]) -> Usage:
        return Usage.from_dict(data)


class GrammarCheckAsDict(Transcoding):
    type = GrammarCheck
    name = "grammar_check"

    def encode(self, obj: GrammarCheck) -> dict[str, Any]:
        return grammar_to_dict(obj)

    def decode(self, data: dict[str, Any]) -> GrammarCheck:
        return grammar_from_dict(data)


def register(transcoder: JSONTranscoder) -> None:
    for transcoding in (TranscriptAsDict(), AudioFactsAsDict(), SpeechMetricsAsDict(),
                        RubricResultAsDict(), UsageAsDict(), GrammarCheckAsDict()):  # fmt: skip
        transcoder.register(transcoding)
