"""A fake OpenAI API on 127.0.0.1 that the real `openai` client talks to: the audio
transcription endpoint (verbose_json with word and segment timestamps), and faults a test
asks for (429 with retry-after, insufficient_quota, 500, 401, a hang, malformed JSON).

What it "hears": the words of `script`, spread evenly over the uploaded WAV's length, so
a test can check that times come back on the recording's own timeline.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import threading
import wave
from collections import deque
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from aiohttp import web

API_KEY = "sk-fake-openai-key-for-speech-coach-tests"
FAULTS = ("rate_limited", "insufficient_quota", "server_error", "unauthorized", "hang",
          "malformed")  # fmt: skip


@dataclass
class TranscriptionCall:
    model: str
    audio_s: float
    response_format: str
    granularities: list[str]
    status: int


@dataclass
class FakeOpenAI:
    script: list[str] = field(
        default_factory=lambda: ["I", "think", "that", "is", "a", "good", "idea"]
    )
    hang_s: float = 30.0
    calls: list[TranscriptionCall] = field(default_factory=list)
    base_url: str = ""
    _faults: deque[str] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None

    def fail_next(self, fault: str, times: int = 1) -> None:
        if fault not in FAULTS:
            raise ValueError(f"no fault {fault!r}; faults: {', '.join(FAULTS)}")
        self._faults.extend([fault] * times)

    def __enter__(self) -> Self:
        self._thread.start()
        port = asyncio.run_coroutine_threadsafe(self._open(), self._loop).result(timeout=10)
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._closing is not None:  # a request left hanging ends now
            self._loop.call_soon_threadsafe(self._closing.set)
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def _open(self) -> int:
        self._closing = asyncio.Event()
        app = web.Application(client_max_size=30 * 1024 * 1024)
        app.router.add_post("/v1/audio/transcriptions", self._transcribe)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return int(self._runner.addresses[0][1])

    async def _transcribe(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        audio = upload.file.read() if isinstance(upload, web.FileField) else b""
        audio_s = _wav_seconds(audio)
        call = TranscriptionCall(
            str(form.get("model", "")), audio_s, str(form.get("response_format", "json")),
            [str(v) for v in form.getall("timestamp_granularities[]", [])], 200,
        )  # fmt: skip
        self.calls.append(call)
        if request.headers.get("Authorization") != f"Bearer {API_KEY}":
            call.status = 401
            return _error(401, "invalid_api_key", "Incorrect API key provided.")
        if self._faults:
            fault = self._faults.popleft()
            response = await self._fault(fault)
            call.status = response.status
            return response
        return web.json_response(self._heard(audio_s))

    async def _fault(self, fault: str) -> web.Response:
        if fault == "hang" and self._closing is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.hang_s)
        if fault == "malformed":
            return web.Response(text="{not json", content_type="application/json")
        if fault == "rate_limited":
            headers = {"retry-after": "1"}
            return _error(429, "rate_limit_exceeded", "Rate limit reached.", headers)
        if fault == "insufficient_quota":
            return _error(429, "insufficient_quota", "You exceeded your current quota.")
        if fault == "unauthorized":
            return _error(401, "invalid_api_key", "Incorrect API key provided.")
        return _error(500, "server_error", "The server had an error.")

    def _heard(self, audio_s: float) -> dict[str, Any]:
        step = audio_s / max(1, len(self.script))
        words = [
            {"word": word, "start": round(i * step, 3), "end": round(i * step + step * 0.8, 3)}
            for i, word in enumerate(self.script)
        ]
        text = " ".join(self.script)
        return {
            "task": "transcribe", "language": "english", "duration": audio_s, "text": text,
            "words": words,
            "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": audio_s, "text": text,
                          "tokens": [], "temperature": 0.0, "avg_logprob": -0.2,
                          "compression_ratio": 1.2, "no_speech_prob": 0.01}],
        }  # fmt: skip


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    body = {"error": {"message": message, "type": code, "param": None, "code": code}}
    return web.json_response(body, status=status, headers=headers)


def _wav_seconds(data: bytes) -> float:
    try:
        with wave.open(io.BytesIO(data)) as reader:
            return reader.getnframes() / reader.getframerate()
    except (wave.Error, EOFError):
        return 0.0
