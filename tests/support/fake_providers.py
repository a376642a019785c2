"""Fakes of the OpenAI and Anthropic HTTP APIs on 127.0.0.1, which the real `openai` and
`anthropic` clients talk to, with the faults a test asks for: a 429 with retry-after, an
exhausted quota, a 5xx (Anthropic's 529 overload too), a refused key, a hang, malformed
JSON, and an answer that breaks the feedback schema.

OpenAI: audio transcription (verbose_json: the words of `script` spread evenly over the
uploaded WAV, so a test can check that times come back on the recording's timeline) and
chat completions (structured output: `feedback`). Anthropic: messages with a forced tool
call (`feedback` as the tool's input).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import threading
import wave
from collections import Counter, deque
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from aiohttp import web

API_KEY = "sk-fake-openai-key-for-speech-coach-tests"
ANTHROPIC_KEY = "sk-ant-fake-key-for-speech-coach-tests"
FAULTS = ("rate_limited", "insufficient_quota", "server_error", "unauthorized", "hang",
          "malformed", "bad_output", "overloaded")  # fmt: skip
FEEDBACK: dict[str, Any] = {
    "corrections": [
        {
            "before": "three evening",
            "after": "three evenings",
            "why": "Plural after a number.",
            "category": "plurals and countability",
        },
        {
            "before": "we was",
            "after": "we were",
            "why": "Not in the transcript.",
            "category": "verb form and agreement",
        },
    ],
    "language_notes": ["You linked your ideas with 'because': good."],
    "model_answer": "My friend worked in a cafe three evenings a week, and it taught her a lot.",
    "next_steps": ["Say 'three evenings' aloud five times.", "Add one example."],
}


@dataclass
class Call:
    path: str
    body: dict[str, Any]
    status: int = 200
    audio_s: float = 0.0


class _FakeServer:
    routes: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.script = ["I", "think", "that", "is", "a", "good", "idea"]
        self.feedback: dict[str, Any] = json.loads(json.dumps(FEEDBACK))
        self.hang_s = 30.0
        self.latency_s = 0.0  # how long each answer takes (a provider's own time)
        self.calls: list[Call] = []
        self.base_url = ""
        self._faults: deque[tuple[str, str]] = deque()
        self.served: Counter[str] = Counter()  # faults served, by kind
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None

    def fail_next(self, fault: str, times: int = 1, path: str = "") -> None:
        """The next `times` calls fail with `fault`; with `path`, only calls to it (e.g.
        "/v1/chat/completions")."""
        if fault not in FAULTS:
            raise ValueError(f"no fault {fault!r}; faults: {', '.join(FAULTS)}")
        self._faults.extend([(fault, path)] * times)

    def __enter__(self) -> Self:
        self._thread.start()
        port = asyncio.run_coroutine_threadsafe(self._open(), self._loop).result(timeout=10)
        self.base_url = self._base(port)
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

    def _base(self, port: int) -> str:
        return f"http://127.0.0.1:{port}"

    async def _open(self) -> int:
        self._closing = asyncio.Event()
        app = web.Application(client_max_size=30 * 1024 * 1024)
        for path in self.routes:
            app.router.add_post(path, self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return int(self._runner.addresses[0][1])

    async def _handle(self, request: web.Request) -> web.Response:
        call = await self._read(request)
        self.calls.append(call)
        if self.latency_s:
            await asyncio.sleep(self.latency_s)
        if not self._authorised(request):
            response = self._error(401, "unauthorized")
        elif fault := self._due(request.path):
            response = await self._fault(fault)
        else:
            response = web.json_response(self._answer(call))
        call.status = response.status
        return response

    def _due(self, path: str) -> str | None:
        """The first fault queued for `path` (or for any path), taken off the queue."""
        for queued in self._faults:
            if queued[1] in ("", path):
                self._faults.remove(queued)
                return queued[0]
        return None

    async def _fault(self, fault: str) -> web.Response:
        self.served[fault] += 1
        if fault == "hang" and self._closing is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.hang_s)
        if fault == "malformed":
            return web.Response(text="{not json", content_type="application/json")
        if fault == "bad_output":
            return web.json_response(self._answer(Call("", {}), broken=True))
        status = {"rate_limited": 429, "insufficient_quota": 429, "unauthorized": 401,
                  "overloaded": 529}.get(fault, 500)  # fmt: skip
        return self._error(status, fault)

    async def _read(self, request: web.Request) -> Call:
        return Call(request.path, await request.json())

    def _authorised(self, request: web.Request) -> bool:
        raise NotImplementedError

    def _error(self, status: int, fault: str) -> web.Response:
        raise NotImplementedError

    def _answer(self, call: Call, broken: bool = False) -> dict[str, Any]:
        raise NotImplementedError

    def _written(self, broken: bool) -> dict[str, Any]:
        return {"corrections": "none", "model_answer": 3} if broken else self.feedback


class FakeOpenAI(_FakeServer):
    routes = ("/v1/audio/transcriptions", "/v1/chat/completions")

    def _base(self, port: int) -> str:
        return f"http://127.0.0.1:{port}/v1"

    async def _read(self, request: web.Request) -> Call:
        if request.path.endswith("/chat/completions"):
            return await super()._read(request)
        form = await request.post()
        upload = form.get("file")
        audio = upload.file.read() if isinstance(upload, web.FileField) else b""
        granularities = [str(v) for v in form.getall("timestamp_granularities[]", [])]
        body = {
            "model": str(form.get("model", "")),
            "response_format": str(form.get("response_format", "json")),
            "timestamp_granularities": granularities,
        }
        return Call(request.path, body, audio_s=_wav_seconds(audio))

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {API_KEY}"

    def _error(self, status: int, fault: str) -> web.Response:
        code = {"unauthorized": "invalid_api_key", "rate_limited": "rate_limit_exceeded"}.get(
            fault, fault
        )
        body = {"error": {"message": f"fake {fault}", "type": code, "param": None, "code": code}}
        headers = {"retry-after": "1"} if fault == "rate_limited" else None
        return web.json_response(body, status=status, headers=headers)

    def _answer(self, call: Call, broken: bool = False) -> dict[str, Any]:
        if call.path.endswith("/audio/transcriptions"):
            return self._heard(call.audio_s)
        return {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0,
            "model": call.body.get("model", "fake"),
            "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant", "content": json.dumps(self._written(broken))}}],
            "usage": {"prompt_tokens": 500, "completion_tokens": 200, "total_tokens": 700},
        }  # fmt: skip

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


class FakeAnthropic(_FakeServer):
    routes = ("/v1/messages",)

    def _authorised(self, request: web.Request) -> bool:
        """The key as `x-api-key`, or as a bearer token (newer clients send that)."""
        return ANTHROPIC_KEY in (
            request.headers.get("x-api-key"),
            request.headers.get("Authorization", "").removeprefix("Bearer "),
        )

    def _error(self, status: int, fault: str) -> web.Response:
        kind = {"unauthorized": "authentication_error", "rate_limited": "rate_limit_error",
                "overloaded": "overloaded_error", "insufficient_quota": "invalid_request_error",
                }.get(fault, "api_error")  # fmt: skip
        message = ("Your credit balance is too low to access the Anthropic API."
                   if fault == "insufficient_quota" else f"fake {fault}")  # fmt: skip
        status = 400 if fault == "insufficient_quota" else status
        body = {"type": "error", "error": {"type": kind, "message": message}}
        headers = {"retry-after": "1"} if fault == "rate_limited" else None
        return web.json_response(body, status=status, headers=headers)

    def _answer(self, call: Call, broken: bool = False) -> dict[str, Any]:
        return {
            "id": "msg_fake", "type": "message", "role": "assistant",
            "model": call.body.get("model", "fake"), "stop_reason": "tool_use",
            "stop_sequence": None,
            "content": [{"type": "tool_use", "id": "toolu_fake", "name": "give_feedback",
                         "input": self._written(broken)}],
            "usage": {"input_tokens": 500, "output_tokens": 200},
        }  # fmt: skip


def _wav_seconds(data: bytes) -> float:
    try:
        with wave.open(io.BytesIO(data)) as reader:
            return reader.getnframes() / reader.getframerate()
    except (wave.Error, EOFError):
        return 0.0
