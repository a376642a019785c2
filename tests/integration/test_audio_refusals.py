"""Every recording we cannot coach is refused with its code and a message a learner can act on."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from adapters.audio import FfmpegAudioDecoder
from domain.errors import AudioError, ErrorCode


def refusal(path: Path, decoder: FfmpegAudioDecoder | None = None) -> AudioError:
    with pytest.raises(AudioError) as caught:
        (decoder or FfmpegAudioDecoder()).decode(path)
    return caught.value


def assert_learner_facing(error: AudioError) -> None:
    """The message tells the learner what to do and never leaks ffmpeg's own words."""
    lowered = error.message.lower()
    assert any(hint in lowered for hint in ("send", "record", "speak"))
    assert "ffmpeg" not in lowered
    assert "invalid data" not in lowered
    assert "@ 0x" not in lowered


def test_an_empty_file_is_invalid_audio(audio_dir: Path) -> None:
    empty = audio_dir / "empty.ogg"
    empty.write_bytes(b"")
    error = refusal(empty)
    assert error.code == ErrorCode.INVALID_AUDIO
    assert "voice message" in error.message
    assert_learner_facing(error)


def test_a_text_file_named_ogg_is_invalid_audio(audio_dir: Path) -> None:
    text = audio_dir / "notes.ogg"
    text.write_text("Dear teacher, here is my answer to question three.\n" * 20)
    error = refusal(text)
    assert error.code == ErrorCode.INVALID_AUDIO
    assert "OGG, MP3, M4A, WAV" in error.message
    assert_learner_facing(error)


def test_a_voice_note_cut_off_mid_download_is_invalid_audio(
    audio_answer: Path, audio_dir: Path
) -> None:
    data = audio_answer.read_bytes()
    cut = audio_dir / "cut.ogg"
    cut.write_bytes(data[: len(data) * 2 // 3])
    error = refusal(cut)
    assert error.code == ErrorCode.INVALID_AUDIO
    assert_learner_facing(error)


def test_a_voice_note_with_garbled_bytes_inside_is_invalid_audio(
    audio_answer: Path, audio_dir: Path
) -> None:
    data = bytearray(audio_answer.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 2000] = np.random.default_rng(7).bytes(2000)
    garbled = audio_dir / "garbled.ogg"
    garbled.write_bytes(bytes(data))
    error = refusal(garbled)
    assert error.code == ErrorCode.INVALID_AUDIO
    assert_learner_facing(error)


def test_a_file_over_20_mb_is_refused_as_too_large_before_any_decoding(audio_dir: Path) -> None:
    big = audio_dir / "big.ogg"
    big.write_bytes(b"OggS" + os.urandom(21_000_000))
    error = refusal(big)
    assert error.code == ErrorCode.TOO_LARGE
    assert "20 MB" in error.message
    assert_learner_facing(error)


def test_a_15_minute_voice_note_is_refused_as_too_long(
    audio_generate: Callable[..., Path], audio_dir: Path
) -> None:
    ten_seconds = audio_generate("tone10", "sine=frequency=220", 10.0)
    long_note = audio_dir / "fifteen_minutes.ogg"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-stream_loop", "89",
         "-i", str(ten_seconds), "-c", "copy", str(long_note)],
        check=True,
    )  # fmt: skip
    error = refusal(long_note)
    assert error.code == ErrorCode.TOO_LONG
    assert "10 minutes" in error.message
    assert_learner_facing(error)


def test_a_recording_just_over_a_custom_limit_is_too_long_and_one_under_is_accepted(
    audio_say: Callable[..., np.ndarray], audio_write: Callable[..., Path]
) -> None:
    speech = audio_say("This answer is about four seconds long, more or less.")
    clip = audio_write("limit", 0.2, speech, 0.2)
    seconds = (speech.size / 22_050) + 0.4
    accepted = FfmpegAudioDecoder(max_duration_s=seconds + 0.5).decode(clip)
    assert accepted.facts.duration_s == pytest.approx(seconds, abs=0.1)
    assert refusal(clip, FfmpegAudioDecoder(max_duration_s=seconds - 1.0)).code == (
        ErrorCode.TOO_LONG
    )


def test_a_decode_that_overruns_its_time_limit_is_stopped_and_explained(
    audio_answer: Path,
) -> None:
    error = refusal(audio_answer, FfmpegAudioDecoder(timeout_s=0.001))
    assert error.code == ErrorCode.INVALID_AUDIO
    assert "too long" in error.message
    assert_learner_facing(error)


def test_five_seconds_of_silence_has_no_speech(audio_generate: Callable[..., Path]) -> None:
    silence = audio_generate("silence", "anullsrc=channel_layout=mono:sample_rate=48000", 5.0)
    error = refusal(silence)
    assert error.code == ErrorCode.NO_SPEECH
    assert_learner_facing(error)


@pytest.mark.parametrize("color", ["white", "pink", "brown"])
@pytest.mark.parametrize("amplitude", [0.02, 0.3])
def test_steady_noise_has_no_speech(
    audio_generate: Callable[..., Path], color: str, amplitude: float
) -> None:
    noise = audio_generate(
        f"noise_{color}_{amplitude}", f"anoisesrc=color={color}:amplitude={amplitude}:seed=3", 6.0
    )
    error = refusal(noise)
    assert error.code == ErrorCode.NO_SPEECH


def test_speech_over_steady_noise_is_still_heard(
    audio_say: Callable[..., np.ndarray], audio_write: Callable[..., Path]
) -> None:
    speech = audio_say("My favourite place to study is the library near my house.")
    padded = np.concatenate([np.zeros(22_050), speech, np.zeros(22_050)]).astype(np.float64)
    noise = np.random.default_rng(5).normal(0.0, np.std(speech) / 6, padded.size)
    noisy = audio_write("noisy", np.clip(padded + noise, -32768, 32767).astype(np.int16))
    facts = FfmpegAudioDecoder().decode(noisy).facts
    spoken_s = speech.size / 22_050
    assert facts.speech_s == pytest.approx(spoken_s, rel=0.25)
