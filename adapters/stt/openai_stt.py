"""Speech-to-text by OpenAI (`whisper-1`, verbose_json with word and segment timestamps).

It is sent the reduced audio (adapters.audio.reduce: long silences cut, and as many times
faster as `tempo`), which bills fewer seconds, and every time it returns is mapped back to
the recording's own timeline. Failures become ProviderError: retryable for a timeout, a 429
rate limit, a 5xx or a lost connection (the SDK has already retried those itself), not
for `insufficient_quota` or a refused key, which no retry can mend. Neither the key nor
the request's URL reaches an error message.
"""

from __future__ import annotations

import io
import time
import wave
from collections.abc import Callable
from typing import Any

import openai

from adapters.audio.reduce import TEMPO, reduce_for_transcription
from adapters.providers.retry import with_retries
from application.ports import DecodedAudio
from domain.speech import Transcript, Word
from domain.usage import Usage

MODEL = "whisper-1"
PRICE_PER_MINUTE = 0.006  # US dollars, whisper-1's list price
WHO = "OpenAI speech-to-text"


class OpenAISpeechToText:
    """`client` should not retry by itself (max_retries=0): the SDK retries every 429, also
    `insufficient_quota`, which no retry mends. Here a rate limit, a 5xx, a timeout or a
    lost connection is tried again up to `retries` times (after the retry-after OpenAI asks
    for, or a growing pause); anything else fails at once, so the next provider takes over."""

    def __init__(
        self,
        client: openai.OpenAI,
        model: str = MODEL,
        retries: int = 2,
        sleep: Callable[[float], None] = time.sleep,
        price_per_minute: float = PRICE_PER_MINUTE,
        tempo: float = TEMPO,
    ) -> None:
        self.client, self.model, self.retries, self._sleep = client, model, retries, sleep
        self.price_per_minute, self.tempo = price_per_minute, tempo
        self.name = f"openai:{model}"

    def warm_up(self) -> None:
        """Nothing to load."""

    def transcribe(self, audio: DecodedAudio) -> Transcript:
        reduced = reduce_for_transcription(audio, tempo=self.tempo)
        heard = self._heard(_wav(reduced.pcm, reduced.sample_rate))
        timeline = reduced.time_map
        words = tuple(
            Word(
                " " + str(w.word).strip(),
                round(timeline.to_original(float(w.start)), 3),
                round(timeline.to_original_end(float(w.end)), 3),
            )
            for w in (getattr(heard, "words", None) or [])
        )
        billed_s = len(reduced.pcm) / 2 / reduced.sample_rate
        usage = Usage(self.name, self.model, audio_s=round(billed_s, 3),
                      cost_usd=round(billed_s / 60 * self.price_per_minute, 6))  # fmt: skip
        return Transcript(str(heard.text).strip(), words, "en", self.name, usage=usage)

    def _heard(self, wav: bytes) -> Any:
        def ask() -> Any:
            return self.client.audio.transcriptions.create(
                model=self.model,
                file=("answer.wav", wav, "audio/wav"),
                response_format="verbose_json",
                timestamp_granularities=["word", "segment"],
                language="en",
            )

        return with_retries(WHO, ask, (openai.APIError,), self.retries, self._sleep)


def _wav(pcm: bytes, sample_rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(pcm)
    return buffer.getvalue()
