"""Turn Whisper's segments into domain Words, dropping what Whisper invented.

Whisper invents text in silence, and the filler prompt makes it write fillers that were
never said: "Today I will ..." came back as "So, uh, I will ..." in 10 of 46 synthesised
clips without fillers. Such a filler shows in two things Whisper reports about each word:
its probability comes from faster-whisper's alignment pass, which sees the audio without
the prompt, and it scored near 0; the aligner gave it no time of its own. Heard fillers
nearly always had one or the other. Dropping fillers with neither removed all 10, and 1 of
the 2 invented in 30 clips of other sentences, at a cost of 1 of 45 fillers run into the
next word and none of those set off by commas.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

from domain.metrics import FILLED_PAUSES
from domain.speech import AudioFacts, Interval, Word

NO_SPEECH_PROB = 0.6  # with AVG_LOGPROB below: Whisper's own test for "this was silence"
AVG_LOGPROB = -1.0
COMPRESSION_RATIO = 2.4  # above it a segment repeats itself: a decoding loop, not speech
GUESS_NO_SPEECH_PROB = 0.5  # with mean word probability under GUESS_WORD_PROB: a lone guess
GUESS_WORD_PROB = 0.25  # ("Okay.", "Good.") in what Whisper itself takes for silence
SPEECH_MARGIN_S = 0.3  # word edges run late or early by this much around voiced audio
PROMPTED_FILLER_PROB = 0.05  # heard fillers scored 0.10 and up when the aligner gave them
SPANNED_SILENCE_S = 0.5  # a silence this long inside a word's times is a pause, not the word
PROMPTED_FILLER_S = 0.05  # under this many seconds (its step is 0.02 s); prompted ones 0.00


def keep_spoken_words(
    segments: Sequence[Any], facts: AudioFacts, duration_s: float
) -> tuple[Word, ...]:
    """Words of believable segments that touch speech, clamped into the clip and in order.

    Fillers that only the prompt put there (unlikely without it, and given no time) are dropped.

    Without speech segments in `facts` (nothing measured) no word is dropped for lying outside.
    """
    words: list[Word] = []
    end = 0.0
    for segment in segments:
        if invented(segment):
            continue
        for raw in segment.words or ():
            text = raw.word.strip()
            start = min(max(raw.start, end), duration_s)
            stop = min(max(raw.end, start), duration_s)
            if (
                not any(c.isalnum() for c in text)
                or _prompted_filler(raw)
                or not _touches_speech(start, stop, facts)
            ):
                continue
            words.append(Word(text, _seconds(start), _seconds(stop), _seconds(raw.probability)))
            end = stop
    return tuple(words)


def invented(segment: Any) -> bool:
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


def looped_or_unsure(segments: Sequence[Any]) -> bool:
    """Whisper's test for a window to decode again at a higher temperature, on the window's
    whole text: a loop of short segments ("I'm going to be happy to be here." eleven times)
    repeats itself only across them."""
    text = "".join(segment.text for segment in segments).encode()
    return bool(
        text
        and (
            len(text) / len(zlib.compress(text)) > COMPRESSION_RATIO
            or min(segment.avg_logprob for segment in segments) < AVG_LOGPROB
        )
    )


def _prompted_filler(word: Any) -> bool:
    """A filled pause that Whisper would not write without the prompt and that takes no time."""
    return (
        "".join(c for c in word.word.lower() if c.isalpha()) in FILLED_PAUSES
        and word.probability < PROMPTED_FILLER_PROB
        and word.end - word.start < PROMPTED_FILLER_S
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


def snapped_to_voice(words: Sequence[Word], silences: Sequence[Interval]) -> list[Word]:
    """Word edges that Whisper put inside a measured silence moved to where the voice is.

    Whisper starts a word up to ~0.3 s early, or ends it late, in the silence beside it; a
    silence the signal shows is not the word. It even stretches a word over a whole pause
    ("it." from 12.96 to 14.36 s over a 1.28 s silence from 13.03 s, hiding the pause): such a
    word keeps the side of the silence where more of it lies. A shorter silence inside a word
    can be the word's own soft part (a real "okay." over 0.33 s of measured silence), and a
    word inside a silence is left as it is.
    """
    snapped = []
    for word in words:
        start, end = word.start_s, word.end_s
        for silence in silences:
            spanned = start < silence.start_s and silence.end_s < end
            if spanned and silence.duration_s >= SPANNED_SILENCE_S:  # stretched over a pause
                if silence.start_s - start >= end - silence.end_s:
                    end = silence.start_s
                else:
                    start = silence.end_s
            if silence.start_s <= start < silence.end_s < end:
                start = silence.end_s
            if start < silence.start_s < end <= silence.end_s:
                end = silence.start_s
        snapped.append(Word(word.text, _seconds(start), _seconds(end), word.probability))
    return snapped
