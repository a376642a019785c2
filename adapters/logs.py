"""No secret reaches a log: every log record is scrubbed as it is made.

HTTP clients put the URL in their error text, and a Bot API file URL holds the bot's token
(`/file/bot<TOKEN>/...`), so a download error logged with its traceback would write the
token out. A handler filter would miss loggers that do not propagate (uvicorn's own);
the record factory sees every record of every logger, before any handler.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

REDACTED = "[redacted]"
# A Bot API token wherever it appears (`123456:AA...`), even one we were not told about.
_TOKEN = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")
_MIN_SECRET = 8  # shorter "secrets" would redact ordinary words


class SecretScrubber:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, *secrets: str | None) -> None:
        with self._lock:
            self._secrets.update(s for s in secrets if s and len(s) >= _MIN_SECRET)

    def scrub(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return _TOKEN.sub(REDACTED, text)

    def scrub_record(self, record: logging.LogRecord) -> None:
        """Rewrite the record in place where it holds a secret; leave it alone otherwise
        (some formatters read `args` themselves)."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string: let the handler report it
            message = str(record.msg)
        if (clean := self.scrub(message)) != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            if (clean := self.scrub(text)) != text:
                record.exc_text = clean  # formatters use exc_text instead of formatting anew
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)


_scrubber = SecretScrubber()
_installed = False
_install_lock = threading.Lock()


def protect_logs(*secrets: str | None) -> SecretScrubber:
    """Scrub `secrets` (and anything shaped like a bot token) from every log record from now
    on, in this process; uncaught exceptions are logged (so scrubbed) instead of printed."""
    global _installed  # noqa: PLW0603 - one process-wide hook, installed once
    _scrubber.add(*secrets)
    with _install_lock:
        if not _installed:
            _install()
            _installed = True
    return _scrubber


def _install() -> None:
    make_record = logging.getLogRecordFactory()

    def scrubbed_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _scrubber.scrub_record(record)
        return record

    logging.setLogRecordFactory(scrubbed_record)
    log = logging.getLogger("speech_coach")

    def log_uncaught(
        kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        log.critical("uncaught error", exc_info=(kind, error, tb))

    def log_uncaught_in_thread(hook: threading.ExceptHookArgs) -> None:
        if hook.exc_value is not None:
            log.critical(
                "uncaught error in thread %s", hook.thread.name if hook.thread else "?",
                exc_info=(hook.exc_type, hook.exc_value, hook.exc_traceback),
            )  # fmt: skip

    sys.excepthook = log_uncaught
    threading.excepthook = log_uncaught_in_thread
