"""Reduced audio for paid speech-to-text: long silences cut, and (if asked) spoken faster.

Providers bill by the minute of audio, so silences over 0.3 s are cut to 0.15 s on each
side (enough for a word's soft onset and release). The rest can be sped up with a
pitch-preserving time stretch, which bills less but hears worse: on our speech set the
local model's word error rate rose by 5 to 14 points at tempo 1.25 to 1.5, while cutting
the silences alone lowered it (bench/billing.py); so the default tempo is 1. The stretch is
sox `tempo -q -s` over pipes: on a 45 s note it took about 20 ms against about 100 ms for
ffmpeg `atempo`, almost all of which is ffmpeg's start-up (see BENCHMARKS.md). Metrics are
never measured on this copy: the `TimeMap` brings its word times back.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

from adapters.audio.timemap import TimeMap
from application.ports import DecodedAudio
from domain.speech import Interval

PADDING_S = 0.15
TEMPO = 1.0  # SPEECH_COACH_STT_TEMPO


@dataclass(frozen=True)
class ReducedAudio:
    pcm: bytes
    sample_rate: int
    time_map: TimeMap

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / (2 * self.sample_rate)


def kept_stretches(
    speech: tuple[Interval, ...], duration_s: float, padding_s: float = PADDING_S
) -> tuple[Interval, ...]:
    """Speech segments widened by `padding_s`, clipped to the recording, overlaps merged."""
    if not speech:
        return (Interval(0.0, duration_s),)
    merged: list[Interval] = []
    for segment in sorted(speech, key=lambda s: s.start_s):
        start = max(0.0, segment.start_s - padding_s)
        end = min(duration_s, segment.end_s + padding_s)
        if merged and start <= merged[-1].end_s:
            merged[-1] = Interval(merged[-1].start_s, max(end, merged[-1].end_s))
        else:
            merged.append(Interval(start, end))
    return tuple(merged)


def reduce_for_transcription(
    audio: DecodedAudio, *, tempo: float = TEMPO, padding_s: float = PADDING_S
) -> ReducedAudio:
    """Speech-only, `tempo` times faster copy of `audio`, with its map back to the original."""
    rate = audio.sample_rate
    duration = len(audio.pcm) / (2 * rate)
    spans = [
        (round(s.start_s * rate), round(s.end_s * rate))
        for s in kept_stretches(audio.facts.speech_segments, duration, padding_s)
    ]
    joined = b"".join(audio.pcm[2 * start : 2 * end] for start, end in spans)
    faster = joined if tempo == 1.0 else _sox_tempo(joined, rate, tempo)
    stretches = tuple(Interval(start / rate, end / rate) for start, end in spans)
    scale = len(joined) / len(faster) if faster else 1.0
    return ReducedAudio(faster, rate, TimeMap(stretches, scale))


def _sox_tempo(pcm: bytes, sample_rate: int, tempo: float) -> bytes:
    raw = ["-t", "raw", "-r", str(sample_rate), "-e", "signed-integer", "-b", "16", "-c", "1"]
    command = ["sox", "-V1", *raw, "-", *raw, "-", "tempo", "-q", "-s", f"{tempo:g}"]
    return subprocess.run(command, input=pcm, capture_output=True, check=True).stdout
