"""The aiogram Bot, pointed at the Bot API server the settings name (Telegram's, or a local one)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from adapters.logs import protect_logs
from adapters.settings import Settings


class BotNotConfiguredError(RuntimeError):
    """The bot needs TELEGRAM_BOT_TOKEN; says so plainly instead of failing later."""


def make_bot(settings: Settings) -> Bot:
    if settings.telegram_bot_token is None:
        raise BotNotConfiguredError(
            "Set TELEGRAM_BOT_TOKEN to the token @BotFather gave you (and TELEGRAM_WEBHOOK_SECRET "
            "to a random string for the webhook)."
        )
    token = settings.telegram_bot_token.get_secret_value()
    secret = settings.telegram_webhook_secret
    # Whoever holds the token scrubs it (and the webhook secret) from every log record.
    protect_logs(token, secret.get_secret_value() if secret else None)
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(settings.telegram_api_base),
        timeout=settings.telegram_timeout_s,
    )
    return Bot(
        token=token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
