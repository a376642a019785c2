"""`FfmpegAudioDecoder`: the AudioDecoder port on ffmpeg, webrtcvad and Praat.

Decoding and validation are one ffmpeg process (adapters/audio/ffmpeg.py); everything
measured afterwards runs in-process on the 16 kHz PCM, so the facts always describe the
original recording, never the reduced copy sent to speech-to-text.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from adapters.audio.envelope import Envelope
from adapters.audio.ffmpeg import decode_pcm
from adapters.audio.pitch import pitch_semitones_sd
from adapters.audio.silences import find_silences
from adapters.audio.vad import DEFAULT_VAD, VadSettings, speech_segments
from application.ports import DecodedAudio
from domain.errors import AudioError, ErrorCode
from domain.speech import AudioFacts

SAMPLE_RATE = 16_000
MIN_SPEECH_S = 0.3


class FfmpegAudioDecoder:
    """Validates, decodes and measures one recording; raises `AudioError` on bad input."""

    def __init__(
        self,
        max_bytes: int = 20_000_000,
        max_duration_s: float = 600.0,
        timeout_s: float = 30.0,
        vad: VadSettings = DEFAULT_VAD,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_duration_s = max_duration_s
        self.timeout_s = timeout_s
        self.vad = vad

    def decode(self, path: Path) -> DecodedAudio:
        pcm = decode_pcm(
            Path(path),
            sample_rate=SAMPLE_RATE,
            max_bytes=self.max_bytes,
            max_duration_s=self.max_duration_s,
            timeout_s=self.timeout_s,
        )
        return DecodedAudio(pcm, SAMPLE_RATE, measure(pcm, SAMPLE_RATE, self.vad))


def measure(pcm: bytes, sample_rate: int, vad: VadSettings = DEFAULT_VAD) -> AudioFacts:
    """Speech, silences and pitch of mono s16le `pcm`; `no_speech` if nobody talks."""
    samples = np.frombuffer(pcm, dtype=np.int16)
    envelope = Envelope.of(samples, sample_rate)
    speech = speech_segments(pcm, envelope, vad)
    speech_s = sum(segment.duration_s for segment in speech)
    if speech_s < MIN_SPEECH_S:
        raise AudioError(
            ErrorCode.NO_SPEECH,
            "We could not hear any speech in the recording. Check that the microphone "
            "works, speak close to it and send your answer again.",
        )
    return AudioFacts(
        duration_s=samples.size / sample_rate,
        speech_s=round(speech_s, 3),
        speech_segments=speech,
        silences=find_silences(samples, envelope, speech),
        pitch_semitones_sd=pitch_semitones_sd(samples, sample_rate, speech),
    )
