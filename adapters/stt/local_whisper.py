"""Local speech-to-text: faster-whisper on the CPU (int8), with word timings and fillers kept.

Whisper was trained on clean transcripts, so it drops "um" and "uh" unless its prompt shows
them; but the filler prompt costs words (mean WER 8.0% plain, 14.1% prompted on eight of our
answers; "Um, I'm like," for "online"). So each recording is decoded twice over the same
speech clips: plainly, for the words, and with the filler prompt, for the fillers only,
which `fillers.merge_fillers` takes over where the two transcripts disagree. The prompt
(dense with fillers, free of words Whisper could echo at the end of a clip, such as "okay")
goes in as `hotwords`, which faster-whisper puts in front of every 30 s window.

The two decodes run side by side on two of the model's workers (on 2 cores the pair took
2.1 s side by side where one after the other took 2.8 s) and share the audio encoder's work
(`shared_encoder`). The clips are cut at pauses to fit one window each
(`clips.speech_clips`), so both decodes see the same windows, and each clip is heard as one
window (faster-whisper's batched pipeline). Whisper's own loop hears a window again from its
last word whenever the decoder stops with a timestamp pair; that mostly left only the clip's
silent margin, cost a full encoder pass, and fell at a different place in each decode. Here
a clip is heard again from its last word only where measured speech is left after it.

Whisper also invents text for silence. So it listens only to the decoder's speech segments,
and `words.keep_spoken_words` drops segments that look invented, words outside speech and
fillers only the prompt put there. No silence is padded after the recording: with the filler
prompt, Whisper loops on "uh, uh, uh" in it.

A decode can also skip speech (the prompted one once skipped the first 8.7 s of a 21.8 s
answer, with no trace in its output). So speech of UNHEARD_SHORTEST_S or more that no word
covers is heard again, cut out onto one reel (`coverage.reels`): stretches as short as a
filler first with the filler prompt, for fillers only, then what is left plainly. What still
gives no words is returned as `Transcript.unheard`, which every report names and no score
counts.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ctranslate2
import numpy as np

from adapters.stt.clips import speech_clips
from adapters.stt.coverage import reels, uncovered
from adapters.stt.fillers import FILLER_LONGEST_S, fillers_over_voicing, merge_fillers
from adapters.stt.model_location import resolve_model
from adapters.stt.shared_encoder import Memo, SharedEncoder
from adapters.stt.words import (
    invented,
    keep_spoken_words,
    looped_or_unsure,
    snapped_to_voice,
)
from application.ports import DecodedAudio
from domain.metrics.model import FILLED_PAUSES
from domain.metrics.tokens import normalise
from domain.speech import AudioFacts, Interval, Transcript, Word, seconds_within

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

FILLER_PROMPT = (
    "Um, well, uh, I think, um, that, uh, you know, it is, like, er, hmm, um, fine. "
    "Uh, so, um, I mean, uh."
)
SAMPLE_RATE = 16_000
FALLBACK_TEMPERATURES = (0.0, 0.4, 0.8)  # retry a window that decoded as gibberish
SAME_WORD_S = 0.3  # a word heard again this close to the same word is that word
REEL_TOKENS_PER_S = 6  # a reel's text cannot be longer: the padding after it invites loops
FILLER_SHORTEST_S = 0.15  # voicing this long beside a filler is taken as the filler's sound
UNHEARD_SHORTEST_S = 0.5  # speech this long without a word is never dropped silently
M_ARENA_MAX = -8  # glibc's mallopt parameter
DECODES_AT_ONCE = 2  # the plain and the prompted decode side by side: 25% sooner on 2 cores
MOST_HEARINGS = 4  # a clip is heard again from its last word at most this often
UNFINISHED_MARGIN_S = 0.3  # speech this soon after the last word is taken as its tail


class LocalWhisper:
    """SpeechToText on this machine; the model loads on first use, once per instance."""

    def __init__(
        self,
        model: str | Path | None = None,
        cpu_threads: int = 0,
        compute_type: str = "int8",
        beam_size: int = 1,
    ) -> None:
        _one_malloc_arena()
        self._folder, short_name = resolve_model(model)
        self.name = f"faster-whisper:{short_name}"
        self._cpu_threads = cpu_threads
        self._compute_type = compute_type
        self._beam_size = beam_size
        self._model: tuple[WhisperModel, SharedEncoder] | None = None
        self._lock = threading.Lock()

    def transcribe(self, audio: DecodedAudio) -> Transcript:
        """Words with timings on the recording's own timeline, fillers included, and the
        stretches of speech that gave no words even when heard again."""
        if audio.sample_rate != SAMPLE_RATE:
            raise ValueError(f"LocalWhisper needs {SAMPLE_RATE} Hz PCM, got {audio.sample_rate}")
        samples = np.frombuffer(audio.pcm, np.int16).astype(np.float32) / 32768.0
        duration_s = samples.size / SAMPLE_RATE
        if samples.size == 0:
            return Transcript("", (), "en", self.name)
        speech = audio.facts.speech_segments
        with self._encoder().shared() as memo:  # a window heard again is not encoded again
            words = self._decoded_twice(samples, audio.facts, duration_s, memo)
            words = self._missed_fillers(samples, words, speech)
            words = self._missed_words(samples, words, speech)
        unheard = uncovered(words, speech, UNHEARD_SHORTEST_S)
        return Transcript(" ".join(w.text for w in words), tuple(words), "en", self.name, unheard)

    def _decoded_twice(
        self, samples: np.ndarray, facts: AudioFacts, duration_s: float, memo: Memo
    ) -> list[Word]:
        """The plain decode's words with the prompted decode's fillers, edges on the voice."""
        clips = speech_clips(facts, duration_s)

        def heard(hotwords: str | None) -> list[Any]:
            if clips is None:  # nothing measured: Whisper hears it all
                return self._decode(
                    samples, **({"hotwords": hotwords, "temperature": 0.0} if hotwords else {})
                )
            return self._decode_clips(samples, clips, facts.speech_segments, hotwords)

        with ThreadPoolExecutor(1) as beside:
            prompted = beside.submit(self._encoder().joined(memo, heard), FILLER_PROMPT)
            plain = heard(None)
            words = merge_fillers(
                keep_spoken_words(plain, facts, duration_s),
                keep_spoken_words(prompted.result(), facts, duration_s),
            )
        return snapped_to_voice(words, facts.silences)

    def _missed_fillers(
        self, samples: np.ndarray, words: list[Word], speech: Sequence[Interval]
    ) -> list[Word]:
        """Voicing beside a filler is its sound; a short voiced stretch heard again with the
        filler prompt gives the fillers heard in it, at their own times (the rest of the
        stretch is left for the plain decode to hear)."""
        words = fillers_over_voicing(words, uncovered(words, speech, FILLER_SHORTEST_S))
        gaps = uncovered(words, speech, UNHEARD_SHORTEST_S)
        heard = self._listen_again(
            samples, [g for g in gaps if g.duration_s <= FILLER_LONGEST_S], FILLER_PROMPT
        )
        fillers = [w for w in heard if normalise(w.text) in FILLED_PAUSES]
        return sorted([*words, *_apart_from(words, fillers)], key=lambda w: w.start_s)

    def _missed_words(
        self, samples: np.ndarray, words: list[Word], speech: Sequence[Interval]
    ) -> list[Word]:
        """Speech still without words, heard again plainly on its own."""
        heard = self._listen_again(samples, uncovered(words, speech, UNHEARD_SHORTEST_S))
        return sorted([*words, *_apart_from(words, heard)], key=lambda w: w.start_s)

    def _listen_again(
        self, samples: np.ndarray, stretches: Sequence[Interval], hotwords: str | None = None
    ) -> list[Word]:
        """Words heard in `stretches` on their own, plainly unless `hotwords` are given."""
        found: list[Word] = []
        for reel in reels(samples, stretches, SAMPLE_RATE):
            most = math.ceil(reel.samples.size / SAMPLE_RATE * REEL_TOKENS_PER_S) + 4
            options = {"hotwords": hotwords, "temperature": 0.0, "max_new_tokens": most}
            for segment in self._decode(reel.samples, **options):
                if invented(segment):
                    continue
                for raw in segment.words or ():
                    text = raw.word.strip()
                    word = Word(text, float(raw.start), float(raw.end), float(raw.probability))
                    placed = reel.place(word)
                    if placed and any(c.isalnum() for c in text):
                        found.append(placed)
        return found

    def _decode_clips(
        self,
        samples: np.ndarray,
        clips: Sequence[Interval],
        speech: Sequence[Interval],
        hotwords: str | None = None,
    ) -> list[Any]:
        """Each clip heard as one window; where Whisper stopped before the clip's speech did,
        the rest of the clip is heard again from its last word, as Whisper's own loop does.

        A plain window that looped or that the decoder was unsure of is heard by Whisper's own
        loop instead, with its temperature fallback. A window with no words is left to the
        second listen (`_missed_words`).
        """
        heard: list[Any] = []
        pending = [(clip.start_s, clip.end_s) for clip in clips]
        for _ in range(MOST_HEARINGS):
            rest = []
            for start, end in pending:
                segments = self._one_window(samples, start, end, hotwords)
                if hotwords is None and looped_or_unsure(segments):
                    heard += self._decode(samples, clip_timestamps=[start, end])
                    continue
                heard += segments
                last = max((float(w.end) for s in segments for w in s.words or ()), default=start)
                left_s = seconds_within(speech, last + UNFINISHED_MARGIN_S, end)
                if last > start and left_s >= UNHEARD_SHORTEST_S:
                    rest.append((last, end))
            pending = rest
        return sorted(heard, key=lambda s: s.start)

    def _one_window(
        self, samples: np.ndarray, start: float, end: float, hotwords: str | None
    ) -> list[Any]:
        from faster_whisper import BatchedInferencePipeline

        ctranslate2.set_random_seed(0)
        segments, _ = BatchedInferencePipeline(self.model()).transcribe(
            samples,
            language="en",
            beam_size=self._beam_size,
            word_timestamps=True,
            temperature=0.0,
            clip_timestamps=[{"start": start, "end": end}],
            batch_size=1,
            hotwords=hotwords,
            vad_filter=False,
            without_timestamps=False,  # as Whisper's own loop: the text tested most
        )
        return list(segments)

    def _decode(self, samples: np.ndarray, **options: Any) -> list[Any]:
        ctranslate2.set_random_seed(0)
        segments, _ = self.model().transcribe(
            samples,
            language="en",
            beam_size=self._beam_size,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
            **({"temperature": FALLBACK_TEMPERATURES} | options),
        )
        return list(segments)

    def warm_up(self) -> None:
        self.model()

    def _encoder(self) -> SharedEncoder:
        return self._loaded()[1]

    def model(self) -> WhisperModel:
        """The loaded model; the first caller loads it while any others wait."""
        return self._loaded()[0]

    def _loaded(self) -> tuple[WhisperModel, SharedEncoder]:
        with self._lock:
            if self._model is None:
                model = _load(self._folder, self._cpu_threads, self._compute_type)
                self._model = (model, SharedEncoder(model))
            return self._model


def _load(folder: Path, cpu_threads: int, compute_type: str) -> Any:
    """Import faster-whisper only here: it is slow to import and many commands never need it."""
    from faster_whisper import WhisperModel

    return WhisperModel(
        str(folder),
        device="cpu",
        compute_type=compute_type,
        cpu_threads=cpu_threads,
        num_workers=DECODES_AT_ONCE,
    )


def _one_malloc_arena() -> None:
    """Have threads started from now on allocate from one glibc malloc arena.

    By default glibc gives each new thread an arena of its own (up to 8 per core), and memory
    one thread freed (the model load's buffers) is not reused by another: the two decodes side
    by side then peaked at 441 MiB for a cold `try`, against 382 MiB with one arena, at the same
    speed. A no-op where the C library has no `mallopt` (not glibc).
    """
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1)


def _apart_from(words: Sequence[Word], heard: Sequence[Word]) -> list[Word]:
    """The re-heard words that neither overlap `words` nor repeat the word right beside them.

    Whisper often times a word shorter than its sound, and the rest of the sound, heard
    again, is the same word once more ("but... But").
    """
    kept: list[Word] = []
    for word in heard:
        known = (*words, *kept)
        if any(
            (word.start_s < w.end_s and w.start_s < word.end_s)
            or (
                normalise(w.text) == normalise(word.text)
                and max(w.start_s - word.end_s, word.start_s - w.end_s) < SAME_WORD_S
            )
            for w in known
        ):
            continue
        kept.append(word)
    return kept
