"""From a voice update to its feedback sent, in the production topology: p50 and p95 at 1 and
at 10 answers a second.

    uv run python bench/latency.py [--seconds 20] [--provider-s 0.5]

The README's topology, each part a process of its own: `serve --no-workers`, the relay, two
transcribe workers and one coach-and-notify worker, on a PostgreSQL and a Redis of their own
(deploy/local/services), against the fake Bot API and a fake OpenAI whose transcription and
feedback each answer in `provider-s` seconds. Each answer is the 45 s sample (OGG/Opus),
decoded and reduced by ffmpeg as in production. Updates go out on an open-loop schedule; an
answer's time runs from its update being sent to its feedback reaching the fake Bot API.
"""

from __future__ import annotations

import argparse
import os
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
from bench.webhook import HEADER, SECRET, _free_port, _pct, _start
from tests.support.fake_providers import API_KEY, FakeOpenAI
from tests.support.fake_telegram import FakeBotAPI
from tests.support.services import Services

RATES = (1.0, 10.0)
SAID = (  # what the fake transcription hears: about a 45 s answer's words
    "I think the best place to live is a small town near a river because life there is "
    "calm and people know each other um for example when I was a student I lived in a "
    "village where everyone helped their neighbours and we often met at the market on "
    "Saturdays so I felt safe and part of something bigger on the other hand big cities "
    "offer more jobs and better transport but they are noisy and expensive and you know "
    "people are always in a hurry so overall I would choose a quiet town with good "
    "schools and a hospital where my family could grow up close to nature"
)
PROCESSES = {  # name: the command after `speech-coach`
    "relay": ["relay"],
    "transcribe-1": ["worker", "transcribe"],
    "transcribe-2": ["worker", "transcribe"],
    "coach-notify": ["worker", "coach", "notify"],
}


def _send(port: int, updates: list[tuple[int, dict[str, object]]], rate: float) -> dict[int, float]:
    """Post the updates `rate` a second (open loop); when each was sent, by chat."""
    sent: dict[int, float] = {}
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    started = time.monotonic()
    with httpx.Client(timeout=30) as client:
        for n, (chat, update) in enumerate(updates):
            delay = started + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent[chat] = time.time()
            response = client.post(url, json=update, headers={HEADER: SECRET})
            if response.status_code != 200:
                raise SystemExit(f"update of chat {chat} answered {response.status_code}")
    return sent


def _feedback_times(
    fake: FakeBotAPI, sent: dict[int, float], timeout: float
) -> tuple[list[float], float]:
    """Seconds from each update to its feedback, once every learner has it; and answers a
    second served (from the first update sent to the last feedback)."""
    deadline = time.monotonic() + timeout
    while True:
        arrived = {}
        for chat in sent:
            done = [c.at for c in fake.calls_to("sendMessage", chat)
                    if c.ok and "Next steps" in str(c.params.get("text"))]  # fmt: skip
            if done:
                arrived[chat] = min(done)
        if len(arrived) == len(sent):
            span = max(arrived.values()) - min(sent.values())
            return [arrived[chat] - sent[chat] for chat in sent], len(sent) / span
        if time.monotonic() > deadline:
            raise SystemExit(f"{len(sent) - len(arrived)} answers got no feedback in time")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="of updates at each rate")
    parser.add_argument("--provider-s", type=float, default=0.5, help="each provider's answer")
    args = parser.parse_args()
    cli = str(Path(sys.executable).parent / "speech-coach")
    times: dict[float, list[float]] = {}
    served: dict[float, float] = {}
    with (
        Services.started("postgres", "redis") as services,
        FakeBotAPI() as fake,
        FakeOpenAI() as openai,
        tempfile.TemporaryDirectory() as home,
    ):
        openai.latency_s = args.provider_s
        openai.script = SAID.split()
        answer = fake.add_file(sample_answer().read_bytes())
        env = {**os.environ, **services.env, "SPEECH_COACH_HOME": home,
               "DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url,
               "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_WEBHOOK_SECRET": SECRET,
               "TELEGRAM_API_BASE": fake.base_url, "OPENAI_API_KEY": API_KEY,
               "OPENAI_BASE_URL": openai.base_url,
               "SPEECH_COACH_ANSWERS_PER_HOUR": "1000000"}  # fmt: skip
        logs = Path(tempfile.mkdtemp(prefix="speech-coach-latency-"))
        print(f"process logs in {logs}", file=sys.stderr)
        port = _free_port()
        processes = [_start([cli, "serve", "--no-workers", "--port", str(port)], env, port,
                            logs / "serve.log")]  # fmt: skip
        for name, command in PROCESSES.items():
            with (logs / f"{name}.log").open("ab") as log:
                processes.append(subprocess.Popen([cli, *command], env=env, stdout=log,
                                                  stderr=subprocess.STDOUT))  # fmt: skip
        try:
            chats = iter(range(1, 1_000_000))
            warm = next(chats)  # every process ready, and the first answer's costs paid
            _feedback_times(fake, _send(port, [(warm, fake.voice_update(warm, answer, 44))], 1),
                            timeout=300)  # fmt: skip
            for rate in RATES:
                count = round(rate * args.seconds)
                updates = [(c, fake.voice_update(c, answer, 44))
                           for c in (next(chats) for _ in range(count))]  # fmt: skip
                sent = _send(port, updates, rate)
                times[rate], served[rate] = _feedback_times(fake, sent, timeout=1200)
                print(f"{rate:.0f}/s: p50 {_pct(times[rate], 50):.2f} s, "
                      f"p95 {_pct(times[rate], 95):.2f} s", file=sys.stderr)  # fmt: skip
            provider_calls = len(openai.calls)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
    rows = [
        f"| {rate:.0f} | {len(values)} | {statistics.median(values):.2f} s "
        f"| {_pct(values, 95):.2f} s | {max(values):.2f} s | {served[rate]:.1f} |"
        for rate, values in times.items()
    ]
    record(
        "From voice update to feedback, production topology",
        "uv run python bench/latency.py",
        [
            f"The README's topology as processes (webhook, relay, two transcribe workers, one "
            f"coach-and-notify worker), PostgreSQL and Redis on loopback; the 45 s sample "
            f"(OGG/Opus) decoded and reduced by ffmpeg; OpenAI's transcription and feedback "
            f"faked, each answering in {args.provider_s:.1f} s ({provider_calls} calls). "
            f"{args.seconds:.0f} s of updates at each rate, open loop; from the update sent "
            "to its feedback at the fake Bot API.",
            "",
            "| answers/s sent | answers | p50 | p95 | max | answers/s served |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |",
            *rows,
            "",
            "Served: from the first update sent to the last feedback. Where fewer are served "
            "than sent, the answers queue in Redis Streams and wait their turn (none is lost); "
            "each worker takes one entry at a time and waits on the provider, so more workers "
            "of the kind that lags (`speech-coach status` shows its waiting entries) serve "
            "more, up to what the two cores can decode.",
        ],
    )


if __name__ == "__main__":
    main()
