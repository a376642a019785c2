"""The HTTP face: aiohttp.web on 127.0.0.1 in its own thread and event loop.

aiohttp because it is already installed (aiogram's own transport), parses urlencoded and multipart
bodies the way aiogram writes them, and lets a long-polling getUpdates wait on an asyncio.Event
instead of holding a thread, so 20 concurrent learners cost nothing extra.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

from aiohttp import web

from tests.support.fake_telegram.faults import Faults
from tests.support.fake_telegram.messages import Uploads
from tests.support.fake_telegram.records import Call, CallLog
from tests.support.fake_telegram.service import CANONICAL, METHODS, get_updates_allowed
from tests.support.fake_telegram.state import ApiError, BotState

MAX_UPLOAD = 50 * 1024 * 1024
TEXT_FIELDS = {
    "text", "caption", "parse_mode", "action", "callback_query_id", "url", "secret_token",
    "file_id", "inline_message_id", "photo", "document", "voice", "audio", "video", "video_note",
    "animation", "sticker", "emoji", "business_connection_id", "message_effect_id", "ip_address",
}  # fmt: skip


def _decoded(key: str, value: str) -> Any:
    """Telegram reads numbers, booleans and JSON fields from strings; text stays text."""
    if key in TEXT_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read(request: web.Request) -> tuple[dict[str, Any], Uploads]:
    fields: dict[str, Any] = {k: _decoded(k, v) for k, v in request.query.items()}
    if request.content_type == "application/json":
        return {**fields, **(await request.json())}, {}
    parts: Uploads = {}
    for key, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            parts[key] = (value.filename, value.file.read())
        else:
            fields[key] = _decoded(key, str(value))
    uploads: Uploads = {}
    for key, value in fields.items():
        if isinstance(value, str) and value.startswith("attach://"):
            uploads[key] = parts.pop(value.removeprefix("attach://"), ("", b""))
    return fields, {**parts, **uploads}


class FakeServer:
    def __init__(self, state: BotState, log: CallLog, faults: Faults) -> None:
        self.state, self.log, self.faults = state, log, faults
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._arrived: asyncio.Event | None = None
        self._closing = False

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._open(), self._loop).result(timeout=10)

    def stop(self) -> None:
        if self._closing or not self._thread.is_alive():
            return
        self._closing = True
        self.wake()
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def wake(self) -> None:
        """Tell waiting getUpdates calls that the queue changed (callable from any thread)."""
        if self._arrived is not None:
            self._loop.call_soon_threadsafe(self._arrived.set)

    async def _open(self) -> None:
        self._arrived = asyncio.Event()
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _method(self, request: web.Request) -> web.Response:
        arrived = time.time()
        name = CANONICAL.get(request.match_info["method"].lower(), request.match_info["method"])
        params, uploads = await _read(request)
        await self.faults.wait_if_held(name, params)
        if request.transport is None or request.transport.is_closing():
            return web.Response(status=499)  # its client went away before we acted on it
        try:
            result = await self._answer(request.match_info["token"], name, params, uploads)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, body = error.status, error.body()
        files = {key: data for key, (_, data) in uploads.items()}
        self.log.record(Call(name, params, files, at=arrived, status=status))
        return web.json_response(body, status=status)

    async def _answer(self, token: str, name: str, params: dict[str, Any], uploads: Uploads) -> Any:
        if token != self.state.token:
            raise ApiError(401, "Unauthorized")
        if name not in CANONICAL.values():
            raise ApiError(404, "Not Found")
        self.faults.raise_if_due(name, params)
        if name == "getUpdates":
            return await self._get_updates(params)
        return METHODS[name](self.state, params, uploads)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        get_updates_allowed(self.state)
        assert self._arrived is not None
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        deadline = self._loop.time() + float(params.get("timeout") or 0)
        while True:
            self._arrived.clear()
            updates = self.state.take_updates(offset, limit)
            remaining = deadline - self._loop.time()
            if updates or self._closing or remaining <= 0:
                return updates
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except TimeoutError:
                return []

    async def _file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        await self.faults.wait_if_held("file", {"text": path})  # hold_next("file", <path>)
        status, data = 200, self.state.file_by_path(path)
        try:
            if request.match_info["token"] != self.state.token:
                raise ApiError(401, "Unauthorized")
            self.faults.raise_if_due("file")
            if data is None:
                raise ApiError(404, "Not Found")
        except ApiError as error:
            status = error.status
            self.log.record(Call("file", {"file_path": path}, status=status))
            return web.json_response(error.body(), status=status)
        self.log.record(Call("file", {"file_path": path}))
        return web.Response(body=data, content_type="application/octet-stream")
