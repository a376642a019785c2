"""The copy sent to paid speech-to-text is shorter, yet its times map back onto the original."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from adapters.audio import FfmpegAudioDecoder, ReducedAudio, reduce_for_transcription
from adapters.audio.envelope import levels_db

RATE = 22_050
WORDS = ("one", "two", "three", "four")
PAUSES_S = (1.2, 0.8, 2.0)


def word_onsets(reduced: ReducedAudio) -> list[float]:
    """Reduced-audio times where sound starts after at least 0.12 s of quiet."""
    hop = reduced.sample_rate // 100
    sounding = levels_db(np.frombuffer(reduced.pcm, dtype=np.int16), hop) > -45.0
    onsets, quiet = [], 12
    for index, loud in enumerate(sounding):
        if loud and quiet >= 12:
            onsets.append(index * hop / reduced.sample_rate)
        quiet = 0 if loud else quiet + 1
    return onsets


@pytest.fixture(scope="module")
def audio_counting(
    audio_say: Callable[..., np.ndarray], audio_write: Callable[..., Path]
) -> tuple[Path, list[float]]:
    """'one … two … three … four' as a voice note, and where each word really starts."""
    spoken = [audio_say(word) for word in WORDS]
    parts: list[np.ndarray | float] = [0.6]
    onsets, cursor = [], 0.6
    for index, word in enumerate(spoken):
        onsets.append(cursor)
        parts.append(word)
        cursor += word.size / RATE
        pause = PAUSES_S[index] if index < len(PAUSES_S) else 0.6
        parts.append(pause)
        cursor += pause
    return audio_write("counting", *parts, fmt="ogg"), onsets


@pytest.mark.parametrize("tempo", [1.0, 1.5])
def test_word_starts_heard_in_the_reduced_audio_map_back_to_where_they_were_said(
    audio_counting: tuple[Path, list[float]], tempo: float
) -> None:
    clip, said_at = audio_counting
    reduced = reduce_for_transcription(FfmpegAudioDecoder().decode(clip), tempo=tempo)
    heard_at = word_onsets(reduced)
    assert len(heard_at) == len(WORDS)
    mapped = [reduced.time_map.to_original(t) for t in heard_at]
    assert mapped == pytest.approx(said_at, abs=0.05)


def test_long_pauses_are_cut_and_the_rest_is_sped_up(
    audio_counting: tuple[Path, list[float]],
) -> None:
    clip, _ = audio_counting
    audio = FfmpegAudioDecoder().decode(clip)
    unsped = reduce_for_transcription(audio, tempo=1.0)
    faster = reduce_for_transcription(audio, tempo=1.5)
    cut_at_least = sum(p - 0.3 for p in PAUSES_S)
    assert unsped.duration_s <= audio.facts.duration_s - cut_at_least + 0.1
    assert faster.duration_s == pytest.approx(unsped.duration_s / 1.5, abs=0.05)
    assert faster.time_map.duration_s == pytest.approx(faster.duration_s, abs=0.01)


def test_the_reduced_audio_keeps_the_pitch_of_the_voice(
    audio_counting: tuple[Path, list[float]],
) -> None:
    clip, _ = audio_counting
    audio = FfmpegAudioDecoder().decode(clip)

    def dominant_hz(pcm: bytes) -> float:
        samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
        spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
        frequencies = np.fft.rfftfreq(samples.size, 1 / audio.sample_rate)
        band = (frequencies > 60) & (frequencies < 400)
        return float(frequencies[band][np.argmax(spectrum[band])])

    original = dominant_hz(reduce_for_transcription(audio, tempo=1.0).pcm)
    sped_up = dominant_hz(reduce_for_transcription(audio, tempo=1.5).pcm)
    assert sped_up == pytest.approx(original, rel=0.1)
