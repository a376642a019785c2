"""How domain value objects are stored inside events (registered on the JSON transcoder)."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.speech import AudioFacts, Interval, Transcript, Word


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
        }

    def decode(self, data: dict[str, Any]) -> Transcript:
        """Transcripts recorded before `unheard` existed decode with none."""
        words = tuple(Word(t, start, end, p) for t, start, end, p in data["words"])
        unheard = _intervals(data.get("unheard", []))
        return Transcript(data["text"], words, data["language"], data["provider"], unheard)


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


def register(transcoder: JSONTranscoder) -> None:
    transcoder.register(TranscriptAsDict())
    transcoder.register(AudioFactsAsDict())
