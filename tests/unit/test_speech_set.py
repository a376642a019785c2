"""The benchmark speech set (bench/speech_set.py) is what its spec says it is."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from bench import speech_set
from bench.speech_set import DISCOURSE, RUN_IN, SET_OFF, Answer
from tests.synth import SAMPLE_RATE, Paced, Synth, decode_pcm, synthesize, tokenize
from tests.synth.conditions import speech_power


@pytest.fixture(scope="module")
def answers() -> list[Answer]:
    return speech_set.answers()


def _words(answer: Answer) -> list[str]:
    return [
        w
        for p in answer.parts
        if isinstance(p, str | Paced)
        for w in tokenize(p.text if isinstance(p, Paced) else p)[0]
    ]


def _said(answer: Answer) -> str:
    return " ".join(_words(answer))


def test_there_are_44_answers_with_fillers_and_40_without(answers: list[Answer]) -> None:
    with_fillers = [a for a in answers if a.filler_kinds]
    assert [a.id for a in with_fillers] == [f"f{n:02}" for n in range(1, 45)]
    assert [a.id for a in answers if not a.filler_kinds] == [f"n{n:02}" for n in range(1, 41)]
    kinds = Counter(k for a in answers for k in a.filler_kinds)
    assert kinds[SET_OFF] >= 60
    assert kinds[RUN_IN] >= 40
    assert kinds[DISCOURSE] >= 15
    sounds = Counter(p.text.strip(",").lower() for a in answers for p in a.parts
                     if isinstance(p, Paced))  # fmt: skip
    assert {"um", "uh", "er", "hmm"} <= set(sounds)


def test_like_you_know_and_i_mean_are_both_fillers_and_plain_words(
    answers: list[Answer],
) -> None:
    fillers = Counter(p for a in answers for p in a.parts if isinstance(p, str) and "[" in p)
    assert {"[like],", "[you know],", "[I mean],"} <= set(fillers)
    plain = " ".join(_said(a) for a in answers if not a.filler_kinds)
    for words in ("i like", "do you know", "i mean", "looks like", "feel like"):
        assert words in plain
    assert any(" i i " in f" {_said(a)} " for a in answers if a.filler_kinds)
    assert any(" i i " in f" {_said(a)} " for a in answers if not a.filler_kinds)


def test_a_run_in_filler_touches_the_next_word_and_a_set_off_one_has_a_pause_each_side(
    answers: list[Answer],
) -> None:
    for answer in answers:
        for i, part in enumerate(answer.parts):
            if isinstance(part, Paced):
                after = answer.parts[i + 1]
                assert isinstance(after, str) == (not part.text.endswith(",")), answer.id
                if part.text.endswith(","):
                    assert not isinstance(answer.parts[i - 1], str | Paced), answer.id


def test_odd_numbered_answers_are_held_out_and_even_ones_tune(answers: list[Answer]) -> None:
    held = [a for a in answers if a.held_out]
    tune = [a for a in answers if not a.held_out]
    assert {a.id for a in held}.isdisjoint(a.id for a in tune)
    assert len(held) == len(tune) == 42
    assert all(int(a.id[1:]) % 2 == 1 for a in held)
    assert speech_set.held_out("f45")  # answers added later follow the same rule
    assert not speech_set.held_out("n42")
    assert [a.parts for a in speech_set.answers()] == [a.parts for a in answers]  # stable
    assert {a.voice for a in held} == {a.voice for a in tune} == {v for v, *_ in speech_set.VOICES}


@pytest.mark.slow
def test_every_answer_runs_at_120_to_220_wpm_and_its_first_sentence_lasts_up_to_12_s(
    answers: list[Answer], tmp_path: Path
) -> None:
    def spoken(answer: Answer) -> Synth:
        return synthesize(answer.parts, tmp_path / f"{answer.id}.wav", voice=answer.voice,
                          rate_wpm=answer.rate_wpm, fmt="wav", pitch=answer.pitch)  # fmt: skip

    with ThreadPoolExecutor(2) as pool:
        clips = dict(zip(answers, pool.map(spoken, answers), strict=True))
    for answer, clip in clips.items():
        assert 120 <= clip.wpm <= 220, (answer.id, clip.wpm)
        long_first = len(next(p for p in answer.parts if isinstance(p, str)).split()) >= 30
        first = speech_set.first_sentence_s(clip)
        assert 12 < first <= 16 if long_first else first <= 12, (answer.id, first)
        assert any(p.duration_s >= 1 for p in clip.pauses), answer.id
    for half in (True, False):
        firsts = [speech_set.first_sentence_s(c) for a, c in clips.items() if a.held_out == half]
        assert sum(f > 12 for f in firsts) >= 5
        assert sum(5 < f <= 12 for f in firsts) >= 3


def _pcm(clip: speech_set.Clip) -> np.ndarray:
    return np.frombuffer(decode_pcm(clip.synth.path), np.int16).astype(np.float64)


def _db(power: float) -> float:
    return 10 * float(np.log10(power))


def test_each_condition_has_its_level_snr_and_band(answers: list[Answer], tmp_path: Path) -> None:
    answer = next(a for a in answers if a.id == "f02")
    clips = {c: speech_set.make(answer, c, tmp_path) for c in speech_set.CONDITIONS}
    clean = _pcm(clips["clean"])
    truth = clips["clean"].synth
    spoken = [(round(p.start_s * SAMPLE_RATE), round(p.end_s * SAMPLE_RATE)) for p in truth.parts]
    quiet = [(round(s.start_s * SAMPLE_RATE), round(s.end_s * SAMPLE_RATE)) for s in truth.silences]
    for condition, snr in (("snr20", 20), ("snr10", 10)):
        noise = speech_power(_pcm(clips[condition]) - clean, quiet)  # the pauses: noise alone
        assert _db(speech_power(clean, spoken) / noise) == pytest.approx(snr, abs=1.0)
    peak = np.max(np.abs(_pcm(clips["quiet"])))
    assert 20 * np.log10(peak / 32767) == pytest.approx(-30, abs=1.0)
    for condition, outside in (("clean", 0.05), ("phone", 0.01)):
        spectrum = np.abs(np.fft.rfft(_pcm(clips[condition]))) ** 2
        hz = np.fft.rfftfreq(clean.size, 1 / SAMPLE_RATE)
        share = spectrum[(hz < 250) | (hz > 3600)].sum() / spectrum.sum()
        assert (share < outside) == (condition == "phone"), (condition, share)
    assert all(c.synth.duration_s == truth.duration_s for c in clips.values())
    again = speech_set.make(answer, "snr10", tmp_path / "again")
    assert again.synth.path.read_bytes() == clips["snr10"].synth.path.read_bytes()
