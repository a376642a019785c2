"""Workers run in threads; the bot's HTTP session lives on the server's event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class LoopBridge:
    def __init__(self, loop: asyncio.AbstractEventLoop, timeout_s: float = 60.0) -> None:
        self.loop = loop
        self.timeout_s = timeout_s

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the loop from a worker thread and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(self.timeout_s)
