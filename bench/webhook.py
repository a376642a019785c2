"""Webhook acknowledgement latency under load, against a bare FastAPI endpoint, same run.

    uv run python bench/webhook.py [--rate 300] [--seconds 5] [--on postgres]

Both servers run as their own uvicorn processes on 127.0.0.1; bench/load.py, a process of
its own, sends updates on an open-loop schedule (`rate` a second) and times each 200. Our
webhook records every answer (learner, session, AudioReceived in SQLite) before it answers,
while its worker process transcribes them at a lower priority. First one real 45 s answer
is timed from update to feedback sent, on the idle server.

`--on postgres`: the production topology's webhook instead (`serve --no-workers` on a
PostgreSQL and a Redis of its own, deploy/local/services; the relay beside it keeps the
views and publishes to Redis Streams; no workers, which production runs elsewhere). Its goal
is the overhead: voice-ack p99 minus the bare p99 at most 1.5x the p99 of recording alone.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.bootstrap import recording_app
from adapters.cli.practice import sample_answer
from adapters.settings import Settings
from bench.report import record
from tests.support.answers import voice_answer
from tests.support.fake_telegram import FakeBotAPI
from tests.support.services import Services

SECRET = "bench-secret"  # noqa: S105 - a local benchmark's fixture
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(
    command: list[str], env: dict[str, str], port: int, log: Path
) -> subprocess.Popen[bytes]:
    """Start a server, its output going to `log` (a pipe nobody reads would stall it)."""
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return process
    process.kill()
    raise SystemExit(f"server did not start: {command}; see {log}")


def _load(url: str, updates: list[dict], rate: float) -> tuple[list[float], int]:
    """Latencies of the requests answered 200, and how many were not (bench/load.py)."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("load.py")), url, SECRET, str(rate)],
        input=json.dumps(updates), capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout)
    return result["latencies"], result["failed"]


def _drain(port: int, timeout: float = 600, workers: bool = True) -> None:
    """Wait until our server's workers (if it has any) and views have caught up, so runs do
    not overlap."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10).json()
        if (ready.get("in_progress") == 0 or not workers) and ready.get("views_behind") == 0:
            return
        time.sleep(0.5)
    raise SystemExit("the server did not catch up")


def _wait_for_workers(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10).json()["workers"] != "running":
        if time.monotonic() > deadline:
            raise SystemExit("the worker process did not get ready")
        time.sleep(0.2)


def _recording_alone(settings: Settings, count: int = 1000) -> tuple[float, float, float]:
    """Recording one new learner's answer on its own, in this process: p50 and p99 wall
    seconds and mean CPU seconds. The floor under a voice acknowledgement."""
    app = recording_app(settings)
    walls = []
    cpu_before = time.process_time()
    for n in range(count):
        started = time.perf_counter()
        app.answer_by_voice(voice_answer(1_000_000 + n, 1))
        walls.append(time.perf_counter() - started)
    cpu = (time.process_time() - cpu_before) / count
    app.close()
    return _pct(walls, 50), _pct(walls, 99), cpu


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def _rounds(
    kinds: dict[str, Callable[[int], dict[str, Any]]],
    servers: dict[str, tuple[int, int]],
    our_port: int,
    args: argparse.Namespace,
    workers: bool = True,
) -> tuple[dict[str, list[list[float]]], dict[str, int], dict[str, list[float]]]:
    """Latencies of each round, requests not answered 200, and CPU ms per update, by
    "server, kind"."""
    count = int(args.rate * args.seconds)
    results: dict[str, list[list[float]]] = {}
    failures: dict[str, int] = {}
    cpu_ms: dict[str, list[float]] = {}
    chats = itertools.count(10_000)
    # Voice answers last: our worker process is then busy transcribing them (at a
    # lower priority) while the webhook acknowledges more, as on a busy day. The
    # servers take turns, round after round, so a slow spell of the machine falls
    # on both.
    for kind, make in kinds.items():
        for _ in range(args.rounds):
            for server, (port, pid) in servers.items():
                url = f"http://127.0.0.1:{port}/telegram/webhook"
                if kind == "text commands":
                    _drain(our_port, workers=workers)
                _load(url, [make(next(chats)) for _ in range(50)], 50)
                name = f"{server}, {kind}"
                batch = [make(next(chats)) for _ in range(count)]
                before = _cpu_s(pid)
                latencies, failed = _load(url, batch, args.rate)
                results.setdefault(name, []).append(latencies)
                failures[name] = failures.get(name, 0) + failed
                cpu_ms.setdefault(name, []).append((_cpu_s(pid) - before) / len(batch) * 1000)
                print(f"{name}: {len(latencies)} answered, {failed} not, p99 "
                      f"{_pct(latencies, 99) * 1000:.1f} ms", file=sys.stderr)  # fmt: skip
    return results, failures, cpu_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=300)
    parser.add_argument("--seconds", type=float, default=5, help="of load per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--on", choices=("sqlite", "postgres"), default="sqlite",
                        help="the embedded default, or the topology's webhook")  # fmt: skip
    args = parser.parse_args()
    topology = args.on == "postgres"
    cli = str(Path(sys.executable).parent / "speech-coach")
    with contextlib.ExitStack() as stack:
        fake = stack.enter_context(FakeBotAPI())
        home = stack.enter_context(tempfile.TemporaryDirectory())
        answer = fake.add_file(sample_answer().read_bytes())
        kinds = {  # the update each kind sends, to a chat of its own
            "text commands": lambda chat: fake.text_update(chat, "/help"),
            "voice answers": lambda chat: fake.voice_update(chat, answer, 44),
        }
        bare_port, our_port = _free_port(), _free_port()
        env = {**os.environ, "SPEECH_COACH_HOME": home, "TELEGRAM_BOT_TOKEN": fake.token,
               "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_API_BASE": fake.base_url,
               "SPEECH_COACH_ANSWERS_PER_HOUR": "1000000"}  # fmt: skip
        alone_settings = Settings(SPEECH_COACH_HOME=Path(home) / "recording-alone")
        if topology:
            services = stack.enter_context(Services.started("postgres", "redis"))
            env |= {"DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url}
            alone_settings = Settings(DATABASE_URL=services.database_url,
                                      SPEECH_COACH_POSTGRES_SCHEMA="recording_alone")  # fmt: skip
        logs = Path(tempfile.mkdtemp(prefix="speech-coach-bench-"))
        print(f"server logs in {logs}", file=sys.stderr)
        processes = [
            _start([sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port",
                    str(bare_port), "--log-level", "warning"], env, bare_port, logs / "bare.log"),
            _start([cli, "serve", *(["--no-workers"] if topology else []), "--port",
                    str(our_port)], env, our_port, logs / "ours.log"),
        ]  # fmt: skip
        bare, ours = processes
        if topology:
            with (logs / "relay.log").open("ab") as log:
                processes.append(subprocess.Popen([cli, "relay"], env=env, stdout=log,
                                                  stderr=subprocess.STDOUT))  # fmt: skip
        try:
            to_feedback = None
            if not topology:
                _wait_for_workers(our_port)
                started = time.perf_counter()
                httpx.post(
                    f"http://127.0.0.1:{our_port}/telegram/webhook",
                    json=fake.voice_update(77, answer, duration=44),
                    headers={HEADER: SECRET},
                )
                fake.wait_for("sendMessage", chat_id=77, count=2, timeout=120)
                to_feedback = time.perf_counter() - started
            results, failures, cpu_ms = _rounds(
                kinds, {"bare FastAPI endpoint": (bare_port, bare.pid),
                        "our webhook": (our_port, ours.pid)}, our_port, args, not topology,
            )  # fmt: skip
        finally:
            for process in processes:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        alone = _recording_alone(alone_settings)
    _report(args, results, failures, cpu_ms, alone, to_feedback)


def _report(
    args: argparse.Namespace,
    results: dict[str, list[list[float]]],
    failures: dict[str, int],
    cpu_ms: dict[str, list[float]],
    alone: tuple[float, float, float],
    to_feedback: float | None,
) -> None:
    topology = args.on == "postgres"
    count = int(args.rate * args.seconds)
    alone_p50, alone_p99, alone_cpu = alone

    def median_of(name: str, q: int) -> float:
        return statistics.median(_pct(round_, q) for round_ in results[name])

    def versus_bare(name: str) -> str:
        baseline = median_of("bare FastAPI endpoint, " + name.split(", ")[1], 99)
        return f"{median_of(name, 99) / baseline:.1f}x"

    def p99_range(name: str) -> str:
        p99s = [_pct(round_, 99) * 1000 for round_ in results[name]]
        return f"{min(p99s):.1f}-{max(p99s):.1f} ms"

    store = "PostgreSQL" if topology else "SQLite"
    ours_text = (
        "the production topology's webhook (`serve --no-workers` on PostgreSQL, the shared "
        "limits in Redis, the relay beside it publishing to Redis Streams; no workers)"
        if topology
        else "our worker process transcribes them meanwhile, at a lower CPU priority"
    )
    lines = [
        f"{args.rounds} rounds of {count} updates at {args.rate:.0f}/s to each server (open "
        "loop), the servers taking turns: text commands (/help), then voice answers (the 45 s "
        f"sample, recorded before the 200; {ours_text}). Each server is its own uvicorn "
        "process on 127.0.0.1; the load comes from another process. p50 and p99: the median "
        "over the rounds.",
        "",
        "| server | p50 | p99 | p99 of each round | max | p99 vs bare | not answered 200 "
        "| CPU per update |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *(
            f"| {name} | {median_of(name, 50) * 1000:.1f} ms | {median_of(name, 99) * 1000:.1f} "
            f"ms | {p99_range(name)} | {max(max(r) for r in rounds) * 1000:.1f} ms "
            f"| {versus_bare(name)} | {failures[name]} "
            f"| {statistics.mean(cpu_ms[name]):.2f} ms |"
            for name, rounds in results.items()
        ),
        "",
        f"Recording alone (learner, session and AudioReceived in one {store} transaction with "
        f"its fsync, one after another on an idle machine): p50 {alone_p50 * 1000:.1f} ms, "
        f"p99 {alone_p99 * 1000:.1f} ms, CPU {alone_cpu * 1000:.2f} ms per answer. A voice "
        "answer's acknowledgement waits for it on top of what the bare endpoint does.",
        "CPU per update: the server process's user + system time during the run over the "
        "updates sent (no worker's included).",
    ]
    if topology:
        overhead = median_of("our webhook, voice answers", 99) - median_of(
            "bare FastAPI endpoint, voice answers", 99
        )
        limit = 1.5 * alone_p99
        lines.append(
            f"Goal: voice-ack p99 minus the bare p99 ({overhead * 1000:.1f} ms) at most 1.5x "
            f"the p99 of recording alone ({limit * 1000:.1f} ms): "
            f"{'met' if overhead <= limit else 'not met'}."
        )
    else:
        lines.append("Goal: p99 ≤ 2x bare.")
        lines.append(
            f"From a 45 s voice update to its feedback sent: {to_feedback:.1f} s on an idle "
            "server whose worker process is ready (speech model loaded)."
        )
    title = f"Webhook under load, {args.rate:.0f} updates/s"
    record(
        title + (", on PostgreSQL" if topology else ""),
        f"uv run python bench/webhook.py --rate {args.rate:.0f}"
        + (" --on postgres" if topology else ""),
        lines,
    )


if __name__ == "__main__":
    main()
