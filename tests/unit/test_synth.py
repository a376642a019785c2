"""The test-audio synthesiser tells the truth about the clips it makes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import synth
from tests.synth import SAMPLE_RATE, Silence, decode_pcm, synthesize, tokenize
from tests.synth.voices import EDGE_LEVEL

ANSWER = [
    "Well um I think so",
    Silence(1.2),
    "uh it is [you know] fine",
    Silence(0.4),
    "I like tea",
]


def _samples(path: Path) -> np.ndarray:
    return np.frombuffer(decode_pcm(path), np.int16)


@pytest.mark.parametrize("voice", ["espeak", "flite"])
def test_an_inserted_pause_is_exact_digital_silence_between_voiced_edges(
    tmp_path: Path, voice: synth.Voice
) -> None:
    clip = synthesize(ANSWER, tmp_path / "a.wav", voice=voice, fmt="wav")
    samples = np.abs(_samples(clip.path).astype(np.int32))
    assert [round(p.duration_s, 4) for p in clip.pauses] == [1.2, 0.4]
    for pause in clip.pauses:
        start, end = round(pause.start_s * SAMPLE_RATE), round(pause.end_s * SAMPLE_RATE)
        assert not samples[start:end].any()
        assert samples[start - 1] > EDGE_LEVEL * 32768
        assert samples[end] > EDGE_LEVEL * 32768


@pytest.mark.parametrize("fmt", ["ogg", "mp3", "wav"])
def test_the_encoded_file_lasts_as_long_as_the_truth_says(
    tmp_path: Path, fmt: synth.Format
) -> None:
    clip = synthesize([Silence(0.3), *ANSWER], tmp_path / f"a.{fmt}", fmt=fmt)
    assert len(_samples(clip.path)) / SAMPLE_RATE == pytest.approx(clip.duration_s, abs=0.03)


def test_leading_and_trailing_silence_is_not_a_pause(tmp_path: Path) -> None:
    clip = synthesize([Silence(0.5), "hello there", Silence(0.7)], tmp_path / "a.wav", fmt="wav")
    assert clip.pauses == ()
    assert [round(s.duration_s, 4) for s in clip.silences] == [0.5, 0.7]
    assert clip.parts[0].start_s == 0.5


def test_fillers_are_the_filled_pauses_and_the_bracketed_phrases_only() -> None:
    words, fillers, spoken = tokenize("Well, um, I like tea, [like], [you know], uh.")
    assert spoken == "Well, um, I like tea, like, you know, uh."
    assert words == ["well", "um", "i", "like", "tea", "like", "you", "know", "uh"]
    assert [(f.text, f.word_index) for f in fillers] == [
        ("um", 1),
        ("like", 5),
        ("you know", 6),
        ("uh", 8),
    ]


@pytest.mark.parametrize("voice", ["espeak", "flite"])
def test_a_slower_rate_setting_gives_a_longer_clip_and_a_lower_true_rate(
    tmp_path: Path, voice: synth.Voice
) -> None:
    text = ["the best way to learn a language is to use it every day"]
    slow = synthesize(text, tmp_path / "slow.wav", voice=voice, rate_wpm=120, fmt="wav")
    fast = synthesize(text, tmp_path / "fast.wav", voice=voice, rate_wpm=180, fmt="wav")
    assert slow.duration_s > fast.duration_s * 1.2
    assert slow.wpm < fast.wpm


def test_filled_pauses_count_neither_as_words_nor_in_the_reference(tmp_path: Path) -> None:
    clip = synthesize(["um so uh we [like] went"], tmp_path / "a.wav", fmt="wav")
    assert clip.word_count == 4
    assert clip.reference_text == "so we like went"


def test_the_same_parts_give_the_same_bytes_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = []
    for run in ("one", "two"):
        (tmp_path / run).mkdir()
        monkeypatch.setattr(synth, "_cache_dir", lambda run=run: tmp_path / run)
        made.append(synthesize(ANSWER, tmp_path / f"{run}.ogg").path.read_bytes())
    assert made[0] == made[1]


@given(
    st.lists(st.sampled_from(["um", "[you know]", "tea", "I", "uh,", "[like]", "so."]), max_size=12)
)
def test_every_filler_points_at_its_own_words(tokens: list[str]) -> None:
    words, fillers, _ = tokenize(" ".join(tokens))
    for filler in fillers:
        span = words[filler.word_index : filler.word_index + len(filler.text.split())]
        assert " ".join(span) == filler.text
    assert len(fillers) == sum(
        t.strip(",.") in {"um", "uh", "[you know]", "[like]"} for t in tokens
    )
