"""Scaling a kind of worker by starting more: 1 against 2 transcribe workers, same run.

    uv run python bench/workers.py [--answers 40] [--latency 0.25]

The topology runs in this process (tests/topology: the webhook, the relay with the views,
stream workers on their own event loops) on a PostgreSQL and a Redis of its own, against the
fake Bot API. Transcription is a provider with a fixed latency (as a paid speech-to-text is:
the worker waits on the network), so the figure is the streams' and workers' own scaling.
Each run posts the answers at once and is timed until every learner has their feedback.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.streams.workers import Claiming
from application.ports import DecodedAudio
from bench.report import record
from domain.speech import Transcript
from tests.support.fakes import ScriptedSpeechToText
from tests.support.services import Services
from tests.topology.conftest import topology

ANSWER = "I@0.5-0.8 like@0.8-1.1 my@1.1-1.3 city@1.3-1.8 because@2.9-3.4 it@3.4-3.7"
RUNS = 3


class FixedLatency(ScriptedSpeechToText):
    """Hears the script, after `latency_s` (a provider's round trip)."""

    def __init__(self, latency_s: float) -> None:
        super().__init__()
        self.latency_s = latency_s

    def transcribe(self, audio: DecodedAudio) -> Transcript:
        time.sleep(self.latency_s)
        return super().transcribe(audio)


def _run(services: Services, workers: int, answers: int, latency_s: float, chat0: int) -> float:
    redis.Redis.from_url(services.redis_url).flushall()
    claiming = Claiming(claim_after_s=60.0, max_deliveries=3)
    transcribers = tuple(FixedLatency(latency_s) for _ in range(workers))
    with (
        tempfile.TemporaryDirectory() as home,
        topology(Path(home), services.database_url, services.redis_url, claiming, transcribers) as (
            bot,
            _,
            _,
        ),
    ):
        script = Path(home) / "answer.txt"
        script.write_text(ANSWER)
        chats = range(chat0, chat0 + answers)
        updates = [bot.fake.voice_update(c, bot.fake.add_file(script.read_bytes()), duration=4)
                   for c in chats]  # fmt: skip
        started = time.perf_counter()
        for update in updates:
            assert bot.post(update).status_code == 200
        for chat in chats:
            bot.wait_text(chat, "Next steps", timeout=300)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.25, help="seconds per transcription")
    args = parser.parse_args()
    times: dict[int, list[float]] = {1: [], 2: []}
    with Services.started("postgres", "redis") as services:
        chat = 1
        for run in range(RUNS):
            for workers in (1, 2):
                times[workers].append(_run(services, workers, args.answers, args.latency, chat))
                chat += args.answers
                print(f"run {run + 1}, {workers} worker(s): {times[workers][-1]:.2f} s",
                      file=sys.stderr)  # fmt: skip
    one, two = statistics.median(times[1]), statistics.median(times[2])
    record(
        "Scaling transcribe workers",
        "uv run python bench/workers.py",
        [
            f"{args.answers} voice answers posted at once to the webhook, timed until every "
            f"learner had their feedback; transcription by a provider answering in "
            f"{args.latency:.2f} s; relay, coach and notify workers as in production (one "
            f"each); PostgreSQL and Redis on loopback. Median of {RUNS} runs each, taking turns.",
            "",
            "| transcribe workers | seconds | answers/s | speed-up |",
            "| ---: | ---: | ---: | ---: |",
            f"| 1 | {one:.2f} | {args.answers / one:.1f} | 1.00x |",
            f"| 2 | {two:.2f} | {args.answers / two:.1f} | {one / two:.2f}x |",
            "",
            "Goal: >= 1.8x with two workers.",
        ],
    )


if __name__ == "__main__":
    main()
