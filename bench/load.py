"""Open-loop load for bench/webhook.py, in a process of its own so that timing the requests
never waits for the fake Bot API or the benchmark's bookkeeping.

    python bench/load.py URL SECRET RATE < updates.json > results.json

Sends each update (a JSON list on stdin) at start + n / RATE seconds, however long the
earlier ones take, and prints {"latencies": [seconds of each 200], "failed": count}.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import aiohttp

HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def load(url: str, secret: str, rate: float, updates: list[Any]) -> dict[str, Any]:
    latencies: list[float] = []
    failed = 0
    bodies = [json.dumps(update).encode() for update in updates]
    headers = {HEADER: secret, "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start = time.perf_counter()

        async def one(n: int, body: bytes) -> None:
            nonlocal failed
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
            sent = time.perf_counter()
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    ok = response.status == 200
            except (aiohttp.ClientError, TimeoutError):
                ok = False
            if ok:
                latencies.append(time.perf_counter() - sent)
            else:
                failed += 1

        await asyncio.gather(*(one(n, body) for n, body in enumerate(bodies)))
    return {"latencies": latencies, "failed": failed}


if __name__ == "__main__":
    url, secret, rate = sys.argv[1], sys.argv[2], float(sys.argv[3])
    result = asyncio.run(load(url, secret, rate, json.load(sys.stdin)))
    json.dump(result, sys.stdout)
