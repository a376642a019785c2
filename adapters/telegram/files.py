"""Recordings referenced by Telegram file id, downloaded on first use into the local store."""

from __future__ import annotations

import io
from pathlib import Path
from uuid import uuid4

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError, TelegramRetryAfter

from adapters.persistence.audio_store import LocalAudioStore
from adapters.telegram.bridge import LoopBridge
from domain.errors import AudioError, ErrorCode, ProviderError

BOT_API_DOWNLOAD_LIMIT = 20_000_000  # getFile refuses bigger files


class TelegramAudioStore:
    """AudioStore whose `tg:` references are fetched from the Bot API; others are local."""

    def __init__(self, local: LocalAudioStore, bot: Bot, bridge: LoopBridge) -> None:
        self.local, self.bot, self.bridge = local, bot, bridge

    def put(self, source: Path) -> str:
        return self.local.put(source)

    def path(self, ref: str) -> Path:
        if not ref.startswith("tg:"):
            return self.local.path(ref)
        _, unique_id, file_id = ref.split(":", 2)
        target = self.local.folder / f"tg-{unique_id}"
        if not target.exists():
            self._download(file_id, target)
        return target

    def _download(self, file_id: str, target: Path) -> None:
        try:
            info = self.bridge.run(self.bot.get_file(file_id))
            if (info.file_size or 0) > BOT_API_DOWNLOAD_LIMIT or not info.file_path:
                raise AudioError(ErrorCode.TOO_LARGE, _TOO_LARGE)
            buffer = io.BytesIO()
            self.bridge.run(self.bot.download_file(info.file_path, buffer))
        except TelegramBadRequest as error:
            code = (
                ErrorCode.TOO_LARGE
                if "too big" in error.message.lower()
                else ErrorCode.INVALID_AUDIO
            )
            message = _TOO_LARGE if code is ErrorCode.TOO_LARGE else _UNREADABLE
            raise AudioError(code, message) from error
        except (TelegramNetworkError, TelegramRetryAfter, TimeoutError) as error:
            raise ProviderError(
                "telegram_unavailable", "Telegram did not hand us your recording; please send it "
                "again in a minute.", retryable=True,
            ) from error  # fmt: skip
        target.parent.mkdir(parents=True, exist_ok=True)
        # Two answers can share one file (a forwarded voice): each writes its own partial.
        partial = target.with_name(f"{target.name}.{uuid4().hex}.partial")
        partial.write_bytes(buffer.getvalue())
        partial.replace(target)


_TOO_LARGE = (
    "The file is larger than 20 MB. Send a shorter recording, or send it as a voice message."
)
_UNREADABLE = "I could not fetch that recording from Telegram. Please send it again."
