"""Turn Whisper's segments into domain Words, dropping what Whisper invented in silence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.speech import AudioFacts, Word

NO_SPEECH_PROB = 0.6  # with AVG_LOGPROB below: Whisper's own test for "this was silence"
AVG_LOGPROB = -1.0
COMPRESSION_RATIO = 2.4  # above it a segment repeats itself: a decoding loop, not speech
GUESS_NO_SPEECH_PROB = 0.5  # with mean word probability under GUESS_WORD_PROB: a lone guess
GUESS_WORD_PROB = 0.25  # ("Okay.", "Good.") in what Whisper itself takes for silence
SPEECH_MARGIN_S = 0.3  # word edges run late or early by this much around voiced audio


def keep_spoken_words(
    segments: Sequence[Any], facts: AudioFacts, duration_s: float
) -> tuple[Word, ...]:
    """Words of believable segments that touch speech, clamped into the clip and in order.

    Without speech segments in `facts` (nothing measured) no word is dropped for lying outside.
    """
    words: list[Word] = []
    end = 0.0
    for segment in segments:
        if _invented(segment):
            continue
        for raw in segment.words or ():
            text = raw.word.strip()
            start = min(max(raw.start, end), duration_s)
            stop = min(max(raw.end, start), duration_s)
            if not any(c.isalnum() for c in text) or not _touches_speech(start, stop, facts):
                continue
            words.append(Word(text, _seconds(start), _seconds(stop), _seconds(raw.probability)))
            end = stop
    return tuple(words)


def _invented(segment: Any) -> bool:
    """Whisper's own silence test, plus decoding loops and lone guesses in near-silence."""
    probabilities = [word.probability for word in segment.words or ()]
    return bool(
        segment.compression_ratio > COMPRESSION_RATIO
        or (segment.no_speech_prob > NO_SPEECH_PROB and segment.avg_logprob < AVG_LOGPROB)
        or (
            segment.no_speech_prob > GUESS_NO_SPEECH_PROB
            and sum(probabilities) < GUESS_WORD_PROB * len(probabilities)
        )
    )


def _touches_speech(start: float, end: float, facts: AudioFacts) -> bool:
    if not facts.speech_segments:
        return True
    return any(
        start < s.end_s + SPEECH_MARGIN_S and end > s.start_s - SPEECH_MARGIN_S
        for s in facts.speech_segments
    )


def _seconds(value: float) -> float:
    """A plain float (Whisper gives numpy floats), rounded to the millisecond."""
    return round(float(value), 3)
