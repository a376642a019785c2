"""Voice answers through the production topology: webhook -> PostgreSQL -> relay -> Redis
Streams -> transcribe, coach and notify workers -> the learner's chat."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import redis
from prometheus_client import REGISTRY

from adapters.streams.names import stream_of
from adapters.streams.workers import Claiming
from tests.topology.conftest import topology

pytestmark = pytest.mark.server
ANSWER = ("I@0.5-0.8 like@0.8-1.1 my@1.1-1.3 city@1.3-1.8 because@2.9-3.4 it@3.4-3.5 "
          "is@3.5-3.7 green@3.7-4.2")  # fmt: skip


def test_voice_answers_are_coached_once_each_through_the_streams(
    tmp_path: Path, postgres_url: str, empty_redis: str
):
    claiming = Claiming(claim_after_s=2.0, max_deliveries=3)
    steps_before = _steps_ok()
    answers_before, duplicates_before = _updates("answer"), _updates("duplicate")
    with topology(tmp_path / "home", postgres_url, empty_redis, claiming) as (bot, relay, _):
        answer = tmp_path / "answer.txt"
        answer.write_text(ANSWER)
        chats = range(701, 706)
        for chat in chats:
            update = bot.fake.voice_update(chat, bot.fake.add_file(answer.read_bytes()), duration=5)
            assert bot.post(update).status_code == 200
            assert bot.post(update).status_code == 200, "Telegram sent it twice"
        for chat in chats:
            bot.wait_text(chat, "Next steps", timeout=30)
        assert relay.error is None
        scraped = httpx.get(f"{bot.url}/metrics", timeout=10).text
    # The webhook shares this process's metrics with earlier tests: count what this one added.
    answers = _sample(scraped, 'speech_coach_updates_total{outcome="answer"}') - answers_before
    duplicates = _sample(scraped, 'speech_coach_updates_total{outcome="duplicate"}')
    assert (answers, duplicates - duplicates_before) == (len(chats), len(chats))
    done = {kind: _steps_ok()[kind] - steps_before[kind] for kind in steps_before}
    assert done == {"transcribe": len(chats), "coach": len(chats), "notify": len(chats)}
    for chat in chats:
        assert sum("Next steps" in text for text in bot.texts(chat)) == 1, bot.texts(chat)
    streams = redis.Redis.from_url(empty_redis, decode_responses=True)
    for topic, group in (("AudioReceived", "transcribe"), ("Transcribed", "coach"),
                         ("FeedbackGenerated", "notify")):  # fmt: skip
        assert streams.xlen(stream_of(topic)) == len(chats), f"{topic}: one entry per answer"
        assert streams.xpending(stream_of(topic), group)["pending"] == 0, "all acknowledged"
    streams.close()


def _steps_ok() -> dict[str, float]:
    """Steps the workers of this process ran to the end, by kind (Prometheus counters)."""
    return {
        kind: REGISTRY.get_sample_value("speech_coach_steps_total", {"kind": kind, "outcome": "ok"})
        or 0.0
        for kind in ("transcribe", "coach", "notify")
    }


def _updates(outcome: str) -> float:
    return REGISTRY.get_sample_value("speech_coach_updates_total", {"outcome": outcome}) or 0.0


def _sample(scraped: str, name: str) -> float:
    for line in scraped.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} not in the metrics")
