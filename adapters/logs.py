"""No secret reaches a log: every log record is scrubbed as it is made. And every line
about a voice answer names it (`about_answer`), as text or as JSON (`configure_logging`).

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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import Any
from uuid import UUID

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


# One id per voice answer, on every log line about it, in every process it passes through.
_ANSWER: ContextVar[str | None] = ContextVar("answer", default=None)


def answer_id(session_id: UUID, attempt: int) -> str:
    """The correlation id of an answer: its session and attempt number."""
    return f"{session_id}#{attempt}"


@contextmanager
def about_answer(session_id: UUID, attempt: int) -> Iterator[None]:
    """Log records made within carry the answer's id (`answer`)."""
    token = _ANSWER.set(answer_id(session_id, attempt))
    try:
        yield
    finally:
        _ANSWER.reset(token)


class _Context(logging.Filter):
    """Adds the process's role and, within `about_answer`, the answer's id to each record."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role

    def filter(self, record: logging.LogRecord) -> bool:
        record.role = self.role
        answer = _ANSWER.get()
        if answer is not None:
            record.answer = answer
        return True


class _TextFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        """The line, then the answer's id (before a traceback, which `format` adds)."""
        text = super().formatMessage(record)
        answer = getattr(record, "answer", None)
        return f"{text} [answer {answer}]" if answer else text


def configure_logging(role: str, log_format: str = "text", level: int = logging.INFO) -> None:
    """Log lines of this process to standard error: `text` for a person at a terminal, or
    `json`, one object a line (time, level, logger, role, message, answer, exc_info) for a
    log collector. Replaces any handlers set before (uvicorn's own loggers propagate here
    when uvicorn is not given a logging config of its own)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_Context(role))
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(role)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(_TextFormatter(f"%(asctime)s {role} %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
