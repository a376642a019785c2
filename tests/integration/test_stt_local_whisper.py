"""Local speech-to-text hears synthesised answers: their words, their fillers, and no ghosts."""

from __future__ import annotations

import contextlib
import itertools
import re
import threading
from pathlib import Path

import jiwer
import numpy as np
import pytest

from adapters.audio.decode import FfmpegAudioDecoder
from adapters.stt.clips import speech_clips
from adapters.stt.local_whisper import LocalWhisper
from application.ports import DecodedAudio
from domain.metrics import measure
from domain.speech import AudioFacts, Interval, Transcript
from tests.synth import Silence, Synth, decode_pcm, synthesize

pytestmark = pytest.mark.slow

SCHOOL = [
    "Well, um, I think the most useful skill I learned at school was how to manage my time.",
    Silence(1.2),
    "When I was younger I always left my homework until the last minute, and uh, that made me"
    " nervous.",
    Silence(0.6),
    "Then a teacher showed me how to plan each week on a single page.",
    Silence(1.5),
    "Um, at first it felt strange, but after a month I noticed that I had more free time.",
    Silence(0.8),
    "I could play football with my friends and still finish every task.",
    Silence(1.0),
    "So, uh, I would say that planning is a skill that helps in every part of life.",
    Silence(0.5),
    "Today I still write a plan every Sunday evening, and um, I share it with my family.",
    Silence(1.1),
    "That is why I believe, uh, time management matters more than any single subject.",
]
CITY = [
    "I would rather live in a small town than in a big city.",
    Silence(1.0),
    "In a small town people know each other, and [you know], life is quieter and cheaper.",
    Silence(0.7),
    "You can walk to work and spend the evening with friends instead of sitting in traffic.",
]
WORK = [
    "Last year our team had to finish a project in two weeks.",
    Silence(1.3),
    "I made a simple list of every task and asked each person what they could do.",
    Silence(0.6),
    "We met for ten minutes each morning, and in the end we delivered on time.",
]
FILLERS = [
    "Um, my favourite place is, uh, the park near my house.",
    Silence(0.8),
    "I go there, um, every weekend, and, uh, I read a book.",
    Silence(0.5),
    "Uh, but, um, in winter it is too cold.",
]
TOPICS = [
    "castles", "gardens", "museums", "bicycles", "rivers",
    "libraries", "markets", "trains", "forests", "schools",
]  # fmt: skip
_FILLED = re.compile(r"^(u+m+|u+h+|h+m+|e+r+m*|a+h+|m+)$")


@pytest.fixture(scope="session")
def whisper() -> LocalWhisper:
    return LocalWhisper(cpu_threads=2)


@pytest.fixture(scope="session")
def long_answer(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    folder = tmp_path_factory.mktemp("stt")
    return synthesize([*SCHOOL, Silence(0.6)], folder / "school.ogg", rate_wpm=140)


@pytest.fixture(scope="session")
def long_heard(whisper: LocalWhisper, long_answer: Synth) -> Transcript:
    return whisper.transcribe(_decoded(long_answer))


def _decoded(clip: Synth) -> DecodedAudio:
    return FfmpegAudioDecoder().decode(clip.path)


def _spoken(text: str) -> list[str]:
    return [w for w in re.sub(r"[^\w' ]", " ", text.lower()).split() if not _FILLED.match(w)]


def _word_error_rate(clip: Synth, heard: Transcript) -> float:
    return float(jiwer.wer(clip.reference_text, " ".join(_spoken(heard.text))))


@pytest.mark.parametrize(
    ("parts", "voice", "rate"),
    [(CITY, "espeak", 130), (WORK, "espeak", 175), (CITY, "flite", 150), (WORK, "flite", 190)],
)
def test_synthesised_answers_are_heard_with_at_most_one_word_in_eight_wrong(
    whisper: LocalWhisper, tmp_path: Path, parts: list[str | Silence], voice: str, rate: int
) -> None:
    clip = synthesize(parts, tmp_path / "answer.ogg", voice=voice, rate_wpm=rate)  # type: ignore[arg-type]
    heard = whisper.transcribe(_decoded(clip))
    assert _word_error_rate(clip, heard) <= 0.12  # 0.00-0.07 measured
    assert heard.text == " ".join(word.text for word in heard.words)
    assert heard.provider == "faster-whisper:tiny.en"


def _count(clip: Synth, heard: Transcript, filler: str) -> tuple[int, int]:
    said = sum(f.text == filler for f in clip.fillers)
    return said, sum(re.sub(r"\W", "", w.text.lower()) == filler for w in heard.words)


def test_um_and_uh_survive_transcription(whisper: LocalWhisper, tmp_path: Path) -> None:
    clip = synthesize(FILLERS, tmp_path / "fillers.ogg")
    heard = whisper.transcribe(_decoded(clip))
    for filler in ("um", "uh"):
        said, found = _count(clip, heard, filler)
        assert found == said, (filler, heard.text)


def test_a_second_voice_keeps_its_ums(whisper: LocalWhisper, tmp_path: Path) -> None:
    clip = synthesize(FILLERS, tmp_path / "fillers.ogg", voice="flite")
    said, found = _count(clip, whisper.transcribe(_decoded(clip)), "um")
    assert found == said


def test_answers_without_fillers_are_never_given_one(whisper: LocalWhisper, tmp_path: Path) -> None:
    invented = {}
    for topic in TOPICS:
        spoken = f"Today I will talk about {topic}. I think {topic} matter to everyone"
        heard = whisper.transcribe(_decoded(synthesize([spoken], tmp_path / f"{topic}.ogg")))
        if any(_FILLED.match(re.sub(r"\W", "", w.text.lower())) for w in heard.words):
            invented[topic] = heard.text
    assert not invented


def test_a_45_second_answer_is_heard_to_its_end_with_its_fillers(
    long_answer: Synth, long_heard: Transcript
) -> None:
    heard = long_heard
    assert long_answer.duration_s >= 45
    assert _word_error_rate(long_answer, heard) <= 0.05  # 0.008-0.016 measured
    assert heard.words[-1].end_s > long_answer.parts[-1].end_s - 1.0
    late = [w for w in heard.words if w.start_s > 30 and _FILLED.match(w.text.strip(",.").lower())]
    assert len(late) >= 2, "fillers after Whisper's first 30 s window were dropped"


def test_word_timings_run_forward_and_stay_inside_the_clip(
    long_answer: Synth, long_heard: Transcript
) -> None:
    words = long_heard.words
    assert all(0 <= w.start_s <= w.end_s <= long_answer.duration_s for w in words)
    assert all(a.end_s <= b.start_s for a, b in itertools.pairwise(words))


def test_no_word_is_placed_inside_a_long_pause(long_answer: Synth, long_heard: Transcript) -> None:
    words = long_heard.words
    for pause in (p for p in long_answer.pauses if p.duration_s >= 1.0):
        inside = [w for w in words if pause.start_s + 0.3 < w.start_s < pause.end_s - 0.3]
        assert not inside, (pause, inside)


def test_every_long_pause_is_measured_at_its_length(
    long_answer: Synth, long_heard: Transcript
) -> None:
    """The pauses the learner is told about come out of these word times and the signal: each
    long pause found, at its length (0.002-0.003 s off measured; the issue's goal is 0.25 s)."""
    measured = measure(long_heard.words, _decoded(long_answer).facts).pauses
    for pause in (p for p in long_answer.pauses if p.duration_s >= 1.0):
        over = [m for m in measured if m.start_s < pause.end_s and pause.start_s < m.end_s]
        assert over, f"the {pause.duration_s:.1f} s pause at {pause.start_s:.1f} s was missed"
        longest = max(over, key=lambda m: m.duration_s)
        assert abs(longest.duration_s - pause.duration_s) <= 0.1, (pause, longest)


@pytest.mark.parametrize("kind", ["digital silence", "soft noise"])
def test_silence_and_noise_are_not_turned_into_words(whisper: LocalWhisper, kind: str) -> None:
    samples = np.zeros(5 * 16_000, np.int16)
    if kind == "soft noise":
        samples = (np.random.default_rng(7).standard_normal(samples.size) * 300).astype(np.int16)
    unmeasured = AudioFacts(duration_s=5.0, speech_s=0.0, speech_segments=())
    heard = whisper.transcribe(DecodedAudio(samples.tobytes(), 16_000, unmeasured))
    assert heard.words == ()
    assert heard.text == ""


def test_words_outside_the_measured_speech_are_dropped(
    whisper: LocalWhisper, tmp_path: Path
) -> None:
    clip = synthesize(WORK, tmp_path / "work.wav", fmt="wav")
    first = clip.parts[0]
    only_first = AudioFacts(
        clip.duration_s, first.end_s - first.start_s, (Interval(first.start_s, first.end_s),)
    )
    heard = whisper.transcribe(DecodedAudio(decode_pcm(clip.path), 16_000, only_first))
    assert heard.words
    assert all(w.start_s < clip.parts[1].start_s for w in heard.words)


def test_callers_at_once_share_one_loaded_model() -> None:
    stt = LocalWhisper()
    loaded: list[object] = []
    threads = [threading.Thread(target=lambda: loaded.append(stt.model())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loaded) == 3
    assert all(model is loaded[0] for model in loaded)


def test_the_two_decodes_share_the_encoder_and_hear_exactly_what_they_would_alone(
    long_answer: Synth, long_heard: Transcript
) -> None:
    """The memo saves the encoder's work on windows both decodes hear, and changes nothing.

    The two decodes run side by side; each speech clip is one window, encoded once for both,
    and no window is ever encoded twice.
    """
    stt = LocalWhisper(cpu_threads=2)
    encoder = stt._encoder()
    encoded: list[bytes] = []
    encode = encoder._encode

    def counted(features: np.ndarray) -> object:
        encoded.extend(window.tobytes() for window in features.reshape(-1, *features.shape[-2:]))
        return encode(features)

    encoder._encode = counted
    audio = _decoded(long_answer)
    shared = stt.transcribe(audio)
    clips = len(speech_clips(audio.facts, len(audio.pcm) / 2 / 16_000) or [])
    assert clips >= 2
    assert encoder.hits >= clips, "the prompted decode reuses each clip's encoder output"
    assert len(set(encoded)) == len(encoded), "no window is encoded twice"
    encoder.shared = contextlib.nullcontext  # type: ignore[method-assign]
    alone = stt.transcribe(_decoded(long_answer))
    assert shared == alone == long_heard
