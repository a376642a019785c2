"""Recordings referenced by Telegram file id, downloaded on first use into the local store.

Nothing Telegram (or an update) sends becomes a local path: a download is named by a digest
of the file's unique id, and the `file_path` from getFile is only ever part of a URL, and
only when it looks like one of Telegram's own. A download stops at the size getFile
announced (and at the Bot API's 20 MB), and its errors never carry the file URL, which
holds the bot token.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import BinaryIO, cast
from uuid import uuid4

import aiohttp
from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramNetworkError,
)

from adapters.persistence.audio_store import LocalAudioStore
from adapters.telegram.outputs.bridge import LoopBridge
from domain.errors import AudioError, ErrorCode, ProviderError

BOT_API_DOWNLOAD_LIMIT = 20_000_000  # getFile refuses bigger files
# Telegram's file paths look like "voice/file_12.oga": no "..", no leading "/", no query.
_NAME = r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*"
_SAFE_FILE_PATH = re.compile(rf"{_NAME}(?:/{_NAME})*")
_GONE = (404, 410)
_log = logging.getLogger(__name__)


class _TooManyBytesError(Exception):
    pass


class _CappedWriter:
    """A file that refuses to grow past `limit` bytes (a server sending more than it said)."""

    def __init__(self, file: BinaryIO, limit: int) -> None:
        self.file, self.limit, self.written = file, limit, 0

    def write(self, chunk: bytes) -> int:
        self.written += len(chunk)
        if self.written > self.limit:
            raise _TooManyBytesError
        return self.file.write(chunk)

    def flush(self) -> None:
        self.file.flush()


class TelegramAudioStore:
    """AudioStore whose `tg:` references are fetched from the Bot API; others are local."""

    def __init__(
        self,
        local: LocalAudioStore,
        bot: Bot,
        bridge: LoopBridge,
        max_bytes: int = BOT_API_DOWNLOAD_LIMIT,
    ) -> None:
        self.local, self.bot, self.bridge = local, bot, bridge
        self.max_bytes = min(max_bytes, BOT_API_DOWNLOAD_LIMIT)

    def put(self, source: Path) -> str:
        return self.local.put(source)

    def path(self, ref: str) -> Path:
        if not ref.startswith("tg:"):
            return self.local.path(ref)
        _, unique_id, file_id = ref.split(":", 2)
        # The same file (a forwarded voice) is downloaded once; its name is ours, not theirs.
        target = self.local.folder / f"tg-{hashlib.sha256(unique_id.encode()).hexdigest()}"
        if not target.is_file():
            self._download(file_id, target)
        return target

    def _download(self, file_id: str, target: Path) -> None:
        try:
            info = self.bridge.run(self.bot.get_file(file_id))
        except TelegramBadRequest as error:
            if "too big" in error.message.lower():
                raise AudioError(ErrorCode.TOO_LARGE, _TOO_LARGE) from None
            raise AudioError(ErrorCode.INVALID_AUDIO, _UNREADABLE) from None
        except (TelegramAPIError, TelegramNetworkError, TimeoutError) as error:
            raise _unavailable(error) from None
        if info.file_size is not None and info.file_size > self.max_bytes:
            raise AudioError(ErrorCode.TOO_LARGE, _TOO_LARGE)
        file_path = info.file_path or ""
        if not _SAFE_FILE_PATH.fullmatch(file_path):
            _log.warning("getFile gave no usable file_path for an answer (%d characters)",
                         len(file_path))  # fmt: skip
            raise AudioError(ErrorCode.INVALID_AUDIO, _UNREADABLE)
        limit = min(self.max_bytes, info.file_size or self.max_bytes)
        self._fetch(file_path, target, limit, announced=info.file_size is not None)

    def _fetch(self, file_path: str, target: Path, limit: int, *, announced: bool) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Two answers can share one file (a forwarded voice): each writes its own partial.
        partial = target.with_name(f"{target.name}.{uuid4().hex}.partial")
        try:
            with partial.open("wb") as file:
                self.bridge.run(
                    # aiogram only writes to the destination (seek=False): a writer will do.
                    self.bot.download_file(
                        file_path, cast(BinaryIO, _CappedWriter(file, limit)), seek=False
                    )
                )
            partial.replace(target)
        except _TooManyBytesError:
            if announced and limit < self.max_bytes:
                raise AudioError(ErrorCode.INVALID_AUDIO, _NOT_AS_ANNOUNCED) from None
            raise AudioError(ErrorCode.TOO_LARGE, _TOO_LARGE) from None
        except aiohttp.ClientResponseError as error:  # its text holds the URL, and the token
            if error.status in _GONE:
                raise AudioError(ErrorCode.INVALID_AUDIO, _UNREADABLE) from None
            raise _unavailable(f"HTTP {error.status}") from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise _unavailable(type(error).__name__) from None
        except OSError as error:  # e.g. the disk is full
            _log.error("could not store a downloaded answer: %s", error.strerror or error)
            raise ProviderError("storage_unavailable", _NO_ROOM, retryable=True) from None
        finally:
            partial.unlink(missing_ok=True)


def _unavailable(why: object) -> ProviderError:
    """Telegram did not hand the file over; `why` goes to the log, never a URL."""
    _log.warning("could not fetch an answer from Telegram: %s",
                 type(why).__name__ if isinstance(why, Exception) else why)  # fmt: skip
    return ProviderError("telegram_unavailable", _UNAVAILABLE, retryable=True)


_TOO_LARGE = (
    "The file is larger than 20 MB. Send a shorter recording, or send it as a voice message."
)
_UNREADABLE = "I could not fetch that recording from Telegram. Please send it again."
_NOT_AS_ANNOUNCED = (
    "Telegram handed me a different file than it announced. Please send your recording again."
)
_UNAVAILABLE = "Telegram did not hand us your recording; please send it again in a minute."
_NO_ROOM = (
    "I could not store your recording on my side just now (not your fault). "
    "Please send it again in a few minutes."
)
