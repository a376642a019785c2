"""The webhook's limits on what it reads: a body over 1 MiB is refused (413), announced or
not, JSON nested past Telegram's depth is refused (400), and neither leaves a traceback; the
secret is checked first."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from adapters.telegram.edge.http_edge import MAX_BODY_BYTES, MAX_JSON_DEPTH
from adapters.telegram.edge.webhook import SECRET_HEADER
from tests.e2e.telegram_harness import SECRET, BotUnderTest


def post_body(bot: BotUnderTest, body: bytes) -> httpx.Response:
    return httpx.post(
        f"{bot.url}/telegram/webhook", content=body, headers={SECRET_HEADER: SECRET}, timeout=30
    )


class Tracebacks(logging.Handler):
    """Log records that carry a traceback."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)


@contextmanager
def tracebacks_logged() -> Iterator[list[logging.LogRecord]]:
    """From our loggers and uvicorn's (which stop short of the root, out of caplog's sight)."""
    handler, loggers = Tracebacks(), [logging.getLogger(), logging.getLogger("uvicorn.error")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def nested(depth: int) -> object:
    value: object = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


@pytest.mark.parametrize(
    "body", [b"[" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000], ids=["lists", "objects"]
)
def test_json_nested_100000_deep_gets_400_without_a_traceback(bot: BotUnderTest, body: bytes):
    with tracebacks_logged() as tracebacks:
        response = post_body(bot, body)
    assert response.status_code == 400
    assert tracebacks == []


def test_an_update_nested_deeper_than_telegram_nests_is_refused(bot: BotUnderTest):
    update = bot.fake.text_update(506, "/help")
    at_limit = {**update, "extra": nested(MAX_JSON_DEPTH - 1)}  # the update itself is one level
    assert bot.post(at_limit).status_code == 200
    too_deep = {**bot.fake.text_update(506, "/help"), "extra": nested(MAX_JSON_DEPTH)}
    assert bot.post(too_deep).status_code == 400


def send_raw(bot: BotUnderTest, head: dict[str, str], body: bytes) -> int:
    """POST this head and these body bytes, however short of what the head announces, and
    return the status of the answer; a server waiting for the rest times the read out."""
    host, port = httpx.URL(bot.url).host, httpx.URL(bot.url).port
    lines = [
        "POST /telegram/webhook HTTP/1.1",
        f"Host: {host}",
        *(f"{k}: {v}" for k, v in head.items()),
    ]
    with socket.create_connection((host, port), timeout=5) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status_line = connection.makefile("rb").readline()
    return int(status_line.split()[1])


def test_a_body_announced_over_the_limit_is_refused_before_it_is_read(bot: BotUnderTest):
    head = {SECRET_HEADER: SECRET, "Content-Length": str(50 * 1024 * 1024)}
    assert send_raw(bot, head, b'{"update_id": ') == 413


def test_a_chunked_body_is_refused_once_it_passes_the_limit(bot: BotUnderTest):
    chunk = b" " * 65536
    over = b"".join(
        b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(MAX_BODY_BYTES // len(chunk) + 1)
    )
    head = {SECRET_HEADER: SECRET, "Transfer-Encoding": "chunked"}
    assert send_raw(bot, head, over) == 413  # the last chunk never comes


def test_the_secret_is_checked_before_the_body_size(bot: BotUnderTest):
    head = {SECRET_HEADER: "wrong", "Content-Length": str(50 * 1024 * 1024)}
    assert send_raw(bot, head, b"") == 403


def test_an_update_of_exactly_the_limit_is_taken(bot: BotUnderTest):
    update = json.dumps(bot.fake.text_update(507, "/help")).encode()
    padded = update + b" " * (MAX_BODY_BYTES - len(update))
    assert post_body(bot, padded).status_code == 200
    bot.wait_text(507, "How it works")
