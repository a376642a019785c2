"""Decoded recordings keep their length in every format; silences show where the learner paused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from adapters.audio import FfmpegAudioDecoder
from domain.speech import Interval

RATE = 22_050
PAUSE_S = 1.5


@pytest.fixture(scope="module")
def audio_two_phrases(audio_say: Callable[..., np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return (
        audio_say("When I was at school, my favourite subject was chemistry"),
        audio_say("because our teacher explained everything with simple examples."),
    )


@pytest.mark.parametrize("fmt", ["ogg", "mp3", "m4a", "wav"])
def test_every_accepted_format_decodes_to_the_recordings_real_duration(
    audio_write: Callable[..., Path],
    audio_two_phrases: tuple[np.ndarray, np.ndarray],
    fmt: str,
) -> None:
    first, second = audio_two_phrases
    clip = audio_write(f"format_{fmt}", 0.5, first, 0.8, second, 0.5, fmt=fmt)
    real_s = (first.size + second.size) / RATE + 1.8
    decoded = FfmpegAudioDecoder().decode(clip)
    assert decoded.sample_rate == 16_000
    assert len(decoded.pcm) / 2 / 16_000 == pytest.approx(real_s, abs=0.1)
    assert decoded.facts.duration_s == pytest.approx(real_s, abs=0.1)


@pytest.mark.parametrize("fmt", ["ogg", "wav"])
def test_an_inserted_pause_is_found_as_a_silence_of_its_real_length_and_place(
    audio_write: Callable[..., Path],
    audio_two_phrases: tuple[np.ndarray, np.ndarray],
    fmt: str,
) -> None:
    first, second = audio_two_phrases
    clip = audio_write(f"pause_{fmt}", 0.4, first, PAUSE_S, second, 0.4, fmt=fmt)
    pause_start = 0.4 + first.size / RATE
    facts = FfmpegAudioDecoder().decode(clip).facts
    around = [
        s for s in facts.silences if s.start_s < pause_start + PAUSE_S and s.end_s > pause_start
    ]
    assert len(around) == 1
    assert around[0].duration_s == pytest.approx(PAUSE_S, abs=0.1)
    assert around[0].start_s == pytest.approx(pause_start, abs=0.05)
    others = [s for s in facts.silences if s is not around[0]]
    assert all(s.duration_s < 1.0 for s in others)


def test_speech_segments_cover_the_phrases_and_leave_out_the_pause(
    audio_write: Callable[..., Path], audio_two_phrases: tuple[np.ndarray, np.ndarray]
) -> None:
    first, second = audio_two_phrases
    clip = audio_write("segments", 0.4, first, PAUSE_S, second, 0.4, fmt="ogg")
    facts = FfmpegAudioDecoder().decode(clip).facts
    pause = Interval(0.4 + first.size / RATE, 0.4 + first.size / RATE + PAUSE_S)
    middle = Interval(pause.start_s + 0.2, pause.end_s - 0.2)
    assert not any(
        s.start_s < middle.end_s and s.end_s > middle.start_s for s in facts.speech_segments
    )
    spoken_s = (first.size + second.size) / RATE
    assert facts.speech_s == pytest.approx(spoken_s, rel=0.15)
    assert facts.speech_s <= facts.duration_s - PAUSE_S + 0.2


@pytest.mark.parametrize("fmt", ["ogg", "wav"])
def test_a_wider_intonation_range_shows_as_more_pitch_variation(
    audio_say: Callable[..., np.ndarray], audio_write: Callable[..., Path], fmt: str
) -> None:
    text = "Really? I never expected that! Well, maybe next year we can try again, can't we?"
    variation = []
    for reach in ("x-low", "medium", "x-high"):
        spoken = audio_say(f'<speak><prosody range="{reach}">{text}</prosody></speak>', ssml=True)
        clip = audio_write(f"range_{reach}_{fmt}", 0.3, spoken, 0.3, fmt=fmt)
        variation.append(FfmpegAudioDecoder().decode(clip).facts.pitch_semitones_sd)
    assert None not in variation
    flat, usual, wide = variation
    assert flat < usual < wide  # type: ignore[operator]


def test_a_too_short_utterance_has_no_pitch_figure(
    audio_say: Callable[..., np.ndarray], audio_write: Callable[..., Path]
) -> None:
    clip = audio_write("short_yes", 0.5, audio_say("yes"), 0.5, audio_say("no"), 0.5)
    assert FfmpegAudioDecoder().decode(clip).facts.pitch_semitones_sd is None
