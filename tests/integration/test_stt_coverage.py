"""No speech is lost silently: every stretch the learner spoke has words, or is named as unheard."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.audio.decode import FfmpegAudioDecoder
from adapters.stt.coverage import WORD_MARGIN_S
from adapters.stt.local_whisper import UNHEARD_SHORTEST_S, LocalWhisper
from bench import speech_set
from domain.metrics.model import FILLED_PAUSES
from domain.metrics.tokens import normalise
from domain.speech import Interval, Transcript
from tests.support.unheard import muffled_answer
from tests.synth import Silence, Synth, synthesize

pytestmark = pytest.mark.slow

# First sentences of 8-12 s before the first pause: Whisper's first window holds a lot,
# the shape that once made a prompted decode skip the first 8.7 s of an answer.
LONG_OPENINGS = [
    [
        "When I think about the place where I grew up I remember the narrow streets the small"
        " bakery on the corner and the old men who played cards outside every afternoon",
        Silence(1.9),
        "It was a quiet town",
    ],
    [
        "My plan for the next year is to finish my degree find a job in a company that builds"
        " software for schools and save enough money to travel with my sister next summer",
        Silence(1.2),
        "That is my goal",
    ],
]


@pytest.fixture(scope="module")
def whisper() -> LocalWhisper:
    return LocalWhisper(cpu_threads=2)


def _gaps_without_words(clip: Synth, heard: Transcript) -> list[Interval]:
    """Stretches of each spoken part, 0.5 s or longer, with neither a word nor an unheard mark.

    Word edges are widened as the transcriber widens them: Whisper's are that loose.
    """
    words = [(w.start_s - WORD_MARGIN_S, w.end_s + WORD_MARGIN_S) for w in heard.words]
    marks = sorted(words + [(u.start_s, u.end_s) for u in heard.unheard])
    gaps = []
    for part in clip.parts:
        cursor = part.start_s
        for start, end in marks:
            if end <= cursor or start >= part.end_s:
                continue
            if start - cursor >= UNHEARD_SHORTEST_S:
                gaps.append(Interval(cursor, start))
            cursor = max(cursor, end)
        if part.end_s - cursor >= UNHEARD_SHORTEST_S:
            gaps.append(Interval(cursor, part.end_s))
    return gaps


@pytest.mark.parametrize(("voice", "rate"), [("espeak", 125), ("flite", 140), ("espeak", 175)])
@pytest.mark.parametrize("answer", range(len(LONG_OPENINGS)))
def test_a_long_first_sentence_is_heard_from_its_first_second(
    whisper: LocalWhisper, tmp_path: Path, voice: str, rate: int, answer: int
) -> None:
    parts = LONG_OPENINGS[answer]
    clip = synthesize(parts, tmp_path / "long.ogg", voice=voice, rate_wpm=rate)  # type: ignore[arg-type]
    first = clip.parts[0]
    assert 8.0 <= first.end_s - first.start_s <= 12.5, "the set must keep its long openings"
    heard = whisper.transcribe(FfmpegAudioDecoder().decode(clip.path))
    assert _gaps_without_words(clip, heard) == []
    opening = [w for w in heard.words if w.start_s < first.end_s]
    said = len(str(parts[0]).split())
    assert len(opening) >= 0.8 * said, heard.text
    assert opening[0].start_s < first.start_s + 1.0, "the first words were dropped"


def test_speech_nobody_can_make_out_is_named_not_dropped(
    whisper: LocalWhisper, tmp_path: Path
) -> None:
    """Speech muffled as through a wall is voiced like speech but gives no words: the stretch
    comes back as unheard, with the clear sentences either side still heard."""
    path, muffled = muffled_answer(tmp_path)
    heard = whisper.transcribe(FfmpegAudioDecoder().decode(path))
    unheard = sum(
        max(0.0, min(u.end_s, muffled.end_s) - max(u.start_s, muffled.start_s))
        for u in heard.unheard
    )
    assert unheard >= 0.6 * muffled.duration_s, (heard.text, heard.unheard)
    assert all(u.start_s >= muffled.start_s - 0.5 and u.end_s <= muffled.end_s + 0.5
               for u in heard.unheard)  # fmt: skip
    said = heard.text.lower()
    assert "my town" in said
    assert "wanted to say" in said


def test_a_filler_both_decodes_missed_is_heard_again_not_called_unclear(
    whisper: LocalWhisper, tmp_path: Path
) -> None:
    """Answer f27 of the bench set: "doors. Er, you can travel". Both decodes leave the "er"
    out, so its 0.7 s of voicing has no word; heard again with the filler prompt it is a
    filler, and the report does not claim speech it could not make out."""
    answer = next(a for a in speech_set.answers() if a.id == "f27")
    clip = speech_set.make(answer, "clean", tmp_path)
    heard = whisper.transcribe(FfmpegAudioDecoder().decode(clip.synth.path))
    assert heard.unheard == ()
    er = clip.synth.parts[1]
    assert any(
        normalise(w.text) in FILLED_PAUSES and w.start_s < er.end_s and er.start_s < w.end_s
        for w in heard.words
    ), heard.text
