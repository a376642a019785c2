"""Webhook acknowledgement latency under load, against a bare FastAPI endpoint, same run.

    uv run python bench/webhook.py [--rate 300] [--seconds 5]

Both servers run as their own uvicorn processes on 127.0.0.1; this process sends voice
updates on an open-loop schedule (`rate` a second) and times each 200. Our webhook records
every answer (learner, session, AudioReceived in SQLite) before it answers; the files are
tiny and not audio, so the workers' follow-up stays cheap and the figures are the ack path.
Then one real 45 s answer is sent and timed from update to feedback sent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.cli.practice import sample_answer
from bench.report import record
from tests.support.fake_telegram import FakeBotAPI

SECRET = "bench-secret"  # noqa: S105 - a local benchmark's fixture
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return process
    process.kill()
    raise SystemExit(f"server did not start: {command}")


async def _load(url: str, updates: list[dict], rate: float) -> list[float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        start = time.perf_counter()

        async def one(n: int, update: dict) -> None:
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
            sent = time.perf_counter()
            response = await client.post(url, json=update, headers={HEADER: SECRET})
            response.raise_for_status()
            latencies.append(time.perf_counter() - sent)

        await asyncio.gather(*(one(n, u) for n, u in enumerate(updates)))
    return latencies


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=300)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    count = int(args.rate * args.seconds)
    cli = str(Path(sys.executable).parent / "speech-coach")
    with FakeBotAPI() as fake, tempfile.TemporaryDirectory() as home:
        not_audio = fake.add_file(b"not audio at all")
        updates = [fake.voice_update(10_000 + n, not_audio, duration=3) for n in range(count)]
        warmup = [fake.voice_update(90_000 + n, not_audio, duration=3) for n in range(50)]
        bare_port, our_port = _free_port(), _free_port()
        env = {**os.environ, "SPEECH_COACH_HOME": home, "TELEGRAM_BOT_TOKEN": fake.token,
               "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_API_BASE": fake.base_url,
               "SPEECH_COACH_ANSWERS_PER_HOUR": "1000000"}  # fmt: skip
        bare = _start([sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port",
                       str(bare_port), "--log-level", "warning"], env, bare_port)  # fmt: skip
        ours = _start([cli, "serve", "--port", str(our_port)], env, our_port)
        try:
            results = {}
            for name, port in (("bare FastAPI endpoint", bare_port), ("our webhook", our_port)):
                url = f"http://127.0.0.1:{port}/telegram/webhook"
                asyncio.run(_load(url, warmup, 50))
                results[name] = asyncio.run(_load(url, updates, args.rate))
            answer = fake.add_file(sample_answer().read_bytes())
            started = time.perf_counter()
            httpx.post(
                f"http://127.0.0.1:{our_port}/telegram/webhook",
                json=fake.voice_update(77, answer, duration=44),
                headers={HEADER: SECRET},
            )
            fake.wait_for("sendMessage", chat_id=77, count=2, timeout=120)
            to_feedback = time.perf_counter() - started
        finally:
            for process in (bare, ours):
                process.terminate()
                process.wait(timeout=30)
    bare_p99 = _pct(results["bare FastAPI endpoint"], 99)
    lines = [
        f"{count} voice updates at {args.rate:.0f}/s to each server (open loop), "
        "each server its own uvicorn process on 127.0.0.1.",
        "",
        "| server | p50 | p99 | max | p99 vs bare |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| {name} | {_pct(v, 50) * 1000:.1f} ms | {_pct(v, 99) * 1000:.1f} ms "
            f"| {max(v) * 1000:.1f} ms | {_pct(v, 99) / bare_p99:.1f}x |"
            for name, v in results.items()
        ),
        "",
        f"Goal: p99 ≤ 2x bare. From a 45 s voice update to its feedback sent: "
        f"{to_feedback:.1f} s (the model loads on this first answer).",
    ]
    record("Webhook under load", "uv run python bench/webhook.py", lines)


if __name__ == "__main__":
    main()
