"""What the webhook takes over HTTP: a body up to a limit, JSON no deeper than Telegram nests
an update, and an Update in it. Anything else is refused with the status Telegram should see,
never with a traceback."""

from __future__ import annotations

import json
from typing import Any

from aiogram import Bot
from aiogram.types import Update
from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

# Telegram's updates are tens of KiB at most (a message holds 4,096 characters): 1 MiB is ample.
MAX_BODY_BYTES = 1024 * 1024
# A real update nests a dozen levels or so (update, message, reply, its keyboard, rows, button...).
MAX_JSON_DEPTH = 64


class RefusedBodyError(Exception):
    """The request body is not one we take; `answer()` is what the sender gets. A 400 says
    the update itself is wrong (Telegram sends it again a few times, then gives up; only a
    caller that is not Telegram would send one: Telegram's updates are well formed)."""

    status = 400

    def answer(self) -> JSONResponse:
        return JSONResponse({"ok": False, "error": str(self)}, status_code=self.status)


class BodyTooLargeError(RefusedBodyError):
    status = 413

    def answer(self) -> JSONResponse:
        refused = super().answer()
        refused.headers["Connection"] = "close"  # so the rest of the body is not read either
        return refused


async def read_update(request: Request, bot: Bot) -> Update:
    """The update in the request body, within MAX_BODY_BYTES and MAX_JSON_DEPTH."""
    try:
        return Update.model_validate(parse_json(await read_body(request)), context={"bot": bot})
    except ValidationError:
        raise RefusedBodyError("not a Telegram update") from None


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    too_large = BodyTooLargeError(f"the body is over {limit} bytes")
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > limit:
        raise too_large  # before a byte of it is read
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def parse_json(body: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    try:
        value = json.loads(body)
    except RecursionError:
        raise RefusedBodyError(f"not a Telegram update: nested over {max_depth} levels") from None
    except ValueError:
        raise RefusedBodyError("not a Telegram update: not JSON") from None
    if _deeper_than(value, max_depth):
        raise RefusedBodyError(f"not a Telegram update: nested over {max_depth} levels")
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest over `limit` levels (a top-level object is one)."""
    containers = [(value, 1)] if isinstance(value, dict | list) else []
    while containers:
        container, depth = containers.pop()
        if depth > limit:
            return True
        children = container.values() if isinstance(container, dict) else container
        containers.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False
