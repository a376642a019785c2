"""The FastAPI app: Telegram's webhook, health and readiness.

The webhook checks the secret in constant time, validates and deduplicates the update,
records a voice answer (AudioReceived) and only then answers 200. The workers take the
answer from there (status message, feedback); other updates' conversation runs after the
acknowledgement.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from aiogram.types import Update
from fastapi import FastAPI, Request, Security
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from adapters.gc_tuning import settle_startup_objects
from adapters.logs import about_answer, configure_logging
from adapters.metrics import UPDATES
from adapters.roles import start
from adapters.settings import Settings
from adapters.telegram.edge.http_edge import RefusedBodyError, read_update
from adapters.telegram.edge.openapi import UPDATE_BODY, WEBHOOK_RESPONSES, document_update_schema
from adapters.telegram.intake.answers import Accepted
from adapters.telegram.intake.front_door import DUPLICATE, IGNORED
from adapters.telegram.intake.recording import RecorderBusyError
from adapters.telegram.runtime import TelegramRuntime, WorkersAt

_log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
# Declared as a security scheme so /docs and the OpenAPI document show it; checked by us (403).
TELEGRAM_SECRET = APIKeyHeader(
    name=SECRET_HEADER,
    scheme_name="TelegramSecretToken",
    description="The secret_token given to setWebhook",
    auto_error=False,
)


def app_from_environment() -> FastAPI:
    """The app of one of several webhook processes (`serve --workers N`): settings from the
    environment; it only records answers, and the workers run beside it."""
    settings = Settings()
    configure_logging("web", settings.log_format)  # a spawned process starts with none
    return create_app(settings, "elsewhere")


def create_app(settings: Settings, workers: WorkersAt | None = None, **overrides: Any) -> FastAPI:
    """The ASGI app; the web role's runtime (bot, front door, views, workers), which the
    composition root (adapters.roles) starts, starts and stops with it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        running = await start(settings, "web", workers=workers, **overrides)
        app.state.runtime = running.telegram
        settle_startup_objects()
        try:
            yield
        finally:
            await running.close()

    app = FastAPI(title="Speech Coach", version="0.1.0", lifespan=lifespan)
    document_update_schema(app)
    expected = (
        settings.telegram_webhook_secret.get_secret_value().encode()
        if (settings.telegram_webhook_secret)
        else None
    )

    @app.post(
        "/telegram/webhook",
        summary="Telegram delivers updates here",
        response_model=None,
        responses=WEBHOOK_RESPONSES,
        openapi_extra=UPDATE_BODY,
    )
    async def webhook(
        request: Request, secret: Annotated[str | None, Security(TELEGRAM_SECRET)]
    ) -> JSONResponse:
        if expected is None or secret is None or not hmac.compare_digest(secret.encode(), expected):
            UPDATES.labels("forbidden").inc()
            return JSONResponse({"ok": False, "error": "forbidden"}, status_code=403)
        runtime: TelegramRuntime = request.app.state.runtime
        try:
            update = await read_update(request, runtime.bot)
        except RefusedBodyError as refused:
            UPDATES.labels("refused").inc()
            return refused.answer()
        try:
            taken = await runtime.front_door.take(update)
        except Exception as failed:  # noqa: BLE001 - whatever it was, the update must come again
            # Not recorded: let Telegram deliver it again (the door forgot it meanwhile).
            if isinstance(failed, RecorderBusyError):
                _log.warning("%s; update %s will come again", failed, update.update_id)
            else:
                _log.exception("could not record update %s; Telegram will retry", update.update_id)
            UPDATES.labels("busy").inc()
            return JSONResponse({"ok": False, "error": "busy, try again"}, status_code=503)
        if taken in (IGNORED, DUPLICATE):
            UPDATES.labels(taken).inc()
            return JSONResponse({"ok": True, taken: True})
        accepted = taken
        if isinstance(accepted, Accepted):  # the workers' now
            with about_answer(accepted.session_id, accepted.attempt):
                _log.info("recorded the answer of update %s", update.update_id)
        else:
            runtime.converse(_converse(runtime, update, accepted))
        UPDATES.labels("answer" if isinstance(accepted, Accepted) else "message").inc()
        return JSONResponse({"ok": True})

    @app.get("/metrics", summary="Prometheus metrics of this process", response_class=Response)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/healthz", summary="The process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="The event store and read side answer")
    async def readyz(request: Request) -> JSONResponse:
        """`in_progress`: answers not yet delivered; `workers`: inline, starting (loading
        the speech model), running, restarting (the worker process died and is started
        again) or elsewhere (`serve --no-workers`)."""
        runtime: TelegramRuntime | None = getattr(request.app.state, "runtime", None)
        if runtime is None:
            return JSONResponse({"status": "starting"}, status_code=503)

        def read() -> dict[str, int]:
            position = runtime.app.recorder.max_notification_id() or 0
            return {"events": position, "views_behind": position - runtime.views.max_tracking_id(),
                    "in_progress": runtime.views.in_progress()}  # fmt: skip

        figures = await asyncio.to_thread(read)
        return JSONResponse({"status": "ready", **figures, "workers": runtime.workers_state()})

    return app


async def _converse(runtime: TelegramRuntime, update: Update, accepted: object) -> None:
    try:
        await runtime.dispatcher.feed_update(runtime.bot, update, accepted=accepted)
    except Exception:  # noqa: BLE001 - after the 200 nobody else would see it; the answer is safe
        _log.exception("handling update %s failed", update.update_id)
