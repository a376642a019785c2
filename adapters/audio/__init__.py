"""Audio adapter: decode and measure recordings, and reduce them for speech-to-text."""

from adapters.audio.decode import FfmpegAudioDecoder
from adapters.audio.reduce import ReducedAudio, reduce_for_transcription
from adapters.audio.timemap import TimeMap
from adapters.audio.vad import VadSettings

__all__ = [
    "FfmpegAudioDecoder",
    "ReducedAudio",
    "TimeMap",
    "VadSettings",
    "reduce_for_transcription",
]
