"""Every log record this test process makes, to check that no secret is ever written out.

The collector wraps logging's record factory, so it sees the records of every logger
(uvicorn's own do not propagate to the root logger), whatever handlers are set. Records
are formatted when checked, as a handler would format them, after the application's own
scrubbing has run on them.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from tests.support.fake_telegram import DEFAULT_TOKEN

SECRETS = (DEFAULT_TOKEN, DEFAULT_TOKEN.partition(":")[2])


class LogCollector:
    def __init__(self) -> None:
        self._records: list[logging.LogRecord] = []
        self._lock = threading.Lock()
        self._formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")

    def install(self) -> None:
        make_record = logging.getLogRecordFactory()

        def collected(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = make_record(*args, **kwargs)
            with self._lock:
                self._records.append(record)
            return record

        logging.setLogRecordFactory(collected)

    def take(self) -> list[str]:
        """The records made since the last call, formatted with their tracebacks."""
        with self._lock:
            records, self._records = self._records, []
        return [self._formatter.format(record) for record in records]


def leaks(lines: list[str]) -> list[str]:
    """The lines that hold a secret."""
    return [line for line in lines if any(secret in line for secret in SECRETS)]
