"""`speech-coach serve | poll | set-webhook`: run the Telegram bot."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from adapters.settings import Settings
from adapters.telegram.bot import make_bot

ALLOWED_UPDATES = ["message", "callback_query"]


def _settings_or_exit(*, need_secret: bool = False) -> Settings | None:
    """The settings, or None after saying which variable is missing and what to set it to."""
    settings = Settings()
    if settings.telegram_bot_token is None:
        print("Set TELEGRAM_BOT_TOKEN to the token @BotFather gave you.", file=sys.stderr)
        return None
    if need_secret and settings.telegram_webhook_secret is None:
        print(
            "Set TELEGRAM_WEBHOOK_SECRET to a long random string: Telegram sends it with every "
            "update, and the webhook refuses updates without it.",
            file=sys.stderr,
        )
        return None
    return settings


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from adapters.telegram.webhook import create_app

    settings = _settings_or_exit(need_secret=True)
    if settings is None:
        return 2
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def poll(args: argparse.Namespace) -> int:
    from adapters.telegram.runtime import start_runtime

    settings = _settings_or_exit()
    if settings is None:
        return 2
    logging.basicConfig(level=logging.INFO)

    async def run() -> None:
        runtime = await start_runtime(settings)
        try:
            await runtime.bot.delete_webhook(drop_pending_updates=False)
            await runtime.dispatcher.start_polling(
                runtime.bot, allowed_updates=ALLOWED_UPDATES, handle_signals=True
            )
        finally:
            await runtime.close()

    asyncio.run(run())
    return 0


def set_webhook(args: argparse.Namespace) -> int:
    settings = _settings_or_exit(need_secret=True)
    if settings is None or settings.telegram_webhook_secret is None:
        return 2
    secret = settings.telegram_webhook_secret.get_secret_value()

    async def run() -> bool:
        bot = make_bot(settings)
        try:
            return await bot.set_webhook(
                args.url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=args.drop_pending_updates,
            )  # fmt: skip
        finally:
            await bot.session.close()

    ok = asyncio.run(run())
    print(f"Webhook set to {args.url}" if ok else "Telegram refused the webhook.")
    return 0 if ok else 1
