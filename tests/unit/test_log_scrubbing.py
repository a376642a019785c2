"""No log record carries the bot token or the webhook secret, however it got there."""

from __future__ import annotations

import logging

import aiohttp
import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from adapters.logs import REDACTED, SecretScrubber, protect_logs

TOKEN = "987654321:AAHsomethingSecretFromBotFather_abcdef123"  # noqa: S105 - made up
SECRET = "webhook-secret-long-random"  # noqa: S105 - made up


def _record(message: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    return logging.getLogger("test.scrub").makeRecord(
        "test.scrub",
        logging.WARNING,
        __file__,
        1,
        message,
        args,
        exc_info,  # type: ignore[arg-type]
    )


def _formatted(record: logging.LogRecord) -> str:
    return logging.Formatter("%(message)s").format(record)


@pytest.fixture
def scrubber() -> SecretScrubber:
    scrubber = SecretScrubber()
    scrubber.add(TOKEN, SECRET)
    return scrubber


def _download_error() -> aiohttp.ClientResponseError:
    """What aiohttp raises for a file download that answers 404: the URL is in its text."""
    url = URL(f"https://api.telegram.org/file/bot{TOKEN}/voice/file_1.oga")
    info = aiohttp.RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url)
    return aiohttp.ClientResponseError(info, (), status=404, message="Not Found")


def test_a_token_in_the_arguments_of_a_message_is_redacted(scrubber: SecretScrubber):
    record = _record("retrying %s after %s", f"/file/bot{TOKEN}/voice/x.oga", "a 500")
    scrubber.scrub_record(record)
    assert TOKEN not in _formatted(record)
    assert _formatted(record) == f"retrying /file/bot{REDACTED}/voice/x.oga after a 500"


def test_a_token_in_a_logged_traceback_is_redacted_chained_errors_too(scrubber: SecretScrubber):
    try:
        try:
            raise _download_error()
        except aiohttp.ClientResponseError as error:
            raise RuntimeError("handling failed") from error
    except RuntimeError as outer:
        record = _record("giving up", exc_info=(type(outer), outer, outer.__traceback__))
    assert TOKEN in "".join(logging.Formatter().formatException(record.exc_info))  # type: ignore[arg-type]
    scrubber.scrub_record(record)
    text = _formatted(record)
    assert TOKEN not in text
    assert "ClientResponseError: 404" in text, "the error itself is still there to read"


def test_the_webhook_secret_is_redacted(scrubber: SecretScrubber):
    record = _record("header was %s", SECRET)
    scrubber.scrub_record(record)
    assert SECRET not in _formatted(record)


def test_a_token_we_were_not_told_about_is_still_redacted():
    other = "123456:AAAnotherBotsTokenThatNobodyRegistered_x"
    record = _record("calling https://api.telegram.org/bot%s/getMe", other)
    SecretScrubber().scrub_record(record)
    assert other not in _formatted(record)


def test_a_record_without_secrets_keeps_its_arguments_for_formatters_that_read_them(
    scrubber: SecretScrubber,
):
    record = _record('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "POST", "/x", "1.1", 200)
    scrubber.scrub_record(record)
    assert record.args == ("127.0.0.1:5000", "POST", "/x", "1.1", 200)


def test_once_protected_every_logger_of_the_process_is_scrubbed(caplog: pytest.LogCaptureFixture):
    protect_logs(TOKEN)
    with caplog.at_level(logging.INFO):
        logging.getLogger("uvicorn.error").warning("download of %s failed", f"bot{TOKEN}/f")
        try:
            raise _download_error()
        except aiohttp.ClientResponseError:
            logging.getLogger("aiogram").exception("fetch failed")
    assert TOKEN not in caplog.text
    assert REDACTED in caplog.text
