"""Speech-to-text by OpenAI (`whisper-1`, verbose_json with word and segment timestamps).

It is sent the reduced audio (adapters.audio.reduce: long silences cut, 1.5 times faster),
which bills 45-55% of the seconds, and every time it returns is mapped back to the
recording's own timeline. Failures become ProviderError: retryable for a timeout, a 429
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

from adapters.audio.reduce import reduce_for_transcription
from application.ports import DecodedAudio
from domain.errors import ProviderError
from domain.speech import Transcript, Word

MODEL = "whisper-1"


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
    ) -> None:
        self.client, self.model, self.retries, self._sleep = client, model, retries, sleep
        self.name = f"openai:{model}"

    def warm_up(self) -> None:
        """Nothing to load."""

    def transcribe(self, audio: DecodedAudio) -> Transcript:
        reduced = reduce_for_transcription(audio)
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
        return Transcript(str(heard.text).strip(), words, "en", self.name)

    def _heard(self, wav: bytes) -> Any:
        for attempt in range(self.retries + 1):
            try:
                return self.client.audio.transcriptions.create(
                    model=self.model,
                    file=("answer.wav", wav, "audio/wav"),
                    response_format="verbose_json",
                    timestamp_granularities=["word", "segment"],
                    language="en",
                )
            except openai.APIError as error:
                failure, wait_s = _provider_error(error), _retry_after_s(error)
            except ValueError:  # a body that is not the JSON it should be
                failure, wait_s = _malformed(), None
            if not failure.retryable or attempt == self.retries:
                raise failure from None
            self._sleep(wait_s or 0.5 * 2**attempt)
        raise AssertionError("unreachable")


def _malformed() -> ProviderError:
    message = "OpenAI speech-to-text: its answer was not valid JSON."
    return ProviderError("malformed_answer", message, retryable=True)


def _retry_after_s(error: openai.APIError) -> float | None:
    response = getattr(error, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return min(float(value), 30.0) if value else None
    except ValueError:
        return None


def _wav(pcm: bytes, sample_rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(pcm)
    return buffer.getvalue()


def _provider_error(error: openai.APIError) -> ProviderError:
    status = getattr(error, "status_code", None)
    if _code_of(error) == "insufficient_quota":
        code, message, retryable = "insufficient_quota", "its account is out of quota", False
    elif status in (401, 403):
        code, message, retryable = "unauthorized", "it refused the API key", False
    elif isinstance(error, openai.APITimeoutError):
        code, message, retryable = "timeout", "it did not answer in time", True
    elif isinstance(error, openai.APIConnectionError):
        code, message, retryable = "unreachable", "it could not be reached", True
    elif status == 429:
        code, message, retryable = "rate_limited", "it is rate limiting us", True
    elif status is not None and status >= 500:
        code, message, retryable = "provider_down", f"it failed ({status})", True
    else:
        code, message, retryable = "provider_error", f"it refused the request ({status})", False
    return ProviderError(code, f"OpenAI speech-to-text: {message}.", retryable=retryable)


def _code_of(error: openai.APIError) -> str | None:
    body: Any = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("code"):
            return str(inner["code"])
    return getattr(error, "code", None)
