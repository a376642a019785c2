"""Faults in the stream workers: a worker that hangs mid-step loses no answer (another takes
it over once it has been idle for the claim time), a step that keeps failing ends in one
clear message to the learner and a dead letter, not in a loop, and an answer whose entry
Redis lost is published again by the relay's reconciler."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
import redis

from adapters.cli.main import main
from adapters.streams.names import DEAD_LETTERS
from adapters.streams.workers import Claiming
from application.ports import DecodedAudio
from domain.speech import Transcript
from tests.support.fakes import ScriptedSpeechToText
from tests.topology.conftest import topology
from tests.topology.test_stream_topology import ANSWER

pytestmark = pytest.mark.server


class HangingSpeechToText(ScriptedSpeechToText):
    """A transcriber that stops answering, as a worker stuck in a step (until released)."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()

    def transcribe(self, audio: DecodedAudio) -> Transcript:
        self.entered.set()
        self.release.wait(60)
        raise RuntimeError("the worker was stuck")


class HangingOnceSpeechToText(HangingSpeechToText):
    """Hangs on its first answer (until released, then fails), hears the rest."""

    def transcribe(self, audio: DecodedAudio) -> Transcript:
        if not self.entered.is_set():
            return super().transcribe(audio)
        return ScriptedSpeechToText.transcribe(self, audio)


class BrokenSpeechToText(ScriptedSpeechToText):
    def transcribe(self, audio: DecodedAudio) -> Transcript:
        self.calls += 1
        raise RuntimeError("the speech model crashed")


def test_an_answer_a_hung_worker_holds_is_taken_over_and_coached_once(
    tmp_path: Path, postgres_url: str, empty_redis: str
):
    hanging, healthy = HangingSpeechToText(), ScriptedSpeechToText()
    claiming = Claiming(claim_after_s=1.0, max_deliveries=3)
    with topology(tmp_path / "home", postgres_url, empty_redis, claiming,
                  transcribers=(hanging, healthy)) as (bot, _, _):  # fmt: skip
        answer = tmp_path / "answer.txt"
        answer.write_text(ANSWER)
        started = time.monotonic()
        for chat in (801, 802, 803, 804):
            bot.post(
                bot.fake.voice_update(chat, bot.fake.add_file(answer.read_bytes()), duration=5)
            )
        assert hanging.entered.wait(10), "one answer reached the worker that hangs"
        for chat in (801, 802, 803, 804):
            bot.wait_text(chat, "Next steps", timeout=30)
        taken_over_after = time.monotonic() - started
        hanging.release.set()
    assert taken_over_after >= claiming.claim_after_s, "taken over only once idle that long"
    for chat in (801, 802, 803, 804):
        assert sum("Next steps" in text for text in bot.texts(chat)) == 1, bot.texts(chat)


def test_a_step_that_keeps_failing_tells_the_learner_once_and_becomes_a_dead_letter(
    tmp_path: Path,
    postgres_url: str,
    empty_redis: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    broken = BrokenSpeechToText()
    claiming = Claiming(claim_after_s=0.5, max_deliveries=3)
    with topology(tmp_path / "home", postgres_url, empty_redis, claiming,
                  transcribers=(broken,)) as (bot, _, _):  # fmt: skip
        answer = tmp_path / "answer.txt"
        answer.write_text(ANSWER)
        bot.post(bot.fake.voice_update(901, bot.fake.add_file(answer.read_bytes()), duration=5))
        told = bot.wait_text(901, "went wrong on our side", timeout=30)
        time.sleep(1.5)  # time for a loop, if there were one

        for name, value in bot.settings.to_env().items():  # the operator's view of it
            monkeypatch.setenv(name, value)
        assert main(["status"]) == 0
        shown = capsys.readouterr().out
        assert "dead letters 1" in shown
        assert "0 step events to publish" in shown
        assert re.search(r"AudioReceived +transcribe +consumers 2 +pending 0 +waiting 0", shown)
        assert main(["dead-letters", "list"]) == 0
        listed = capsys.readouterr().out
        assert "transcribe" in listed
        assert "after 3 tries: RuntimeError: the speech model crashed" in listed
        assert main(["dead-letters", "replay", "--all"]) == 0
        assert "speech-coach:AudioReceived" in capsys.readouterr().out
        time.sleep(1.0)  # taken again: the attempt has its outcome, so nothing more happens
        assert main(["dead-letters", "list"]) == 0
        assert "No dead letters." in capsys.readouterr().out
        texts = bot.texts(901)
    assert "send it again" in told
    assert sum("went wrong on our side" in text for text in texts) == 1, texts
    assert broken.calls == claiming.max_deliveries, "tried that often, then given up"


def test_telegrams_retry_after_is_waited_out_by_the_notify_worker_and_sent_once(
    tmp_path: Path, postgres_url: str, empty_redis: str
):
    claiming = Claiming(claim_after_s=10.0, max_deliveries=1)  # a wait is not a failure
    with topology(tmp_path / "home", postgres_url, empty_redis, claiming) as (bot, _, _):
        bot.fake.fail_next("editMessageText", status=429, retry_after=2, matching="Next steps",
                           chat_id=951)  # fmt: skip
        answer = tmp_path / "answer.txt"
        answer.write_text(ANSWER)
        bot.post(bot.fake.voice_update(951, bot.fake.add_file(answer.read_bytes()), duration=5))
        deadline = time.monotonic() + 30
        while not any(c.ok and "Next steps" in str(c.params["text"])
                      for c in bot.fake.calls_to("editMessageText", 951)):  # fmt: skip
            assert time.monotonic() < deadline, "the feedback never arrived"
            time.sleep(0.05)
        time.sleep(0.5)
        tries = bot.fake.calls_to("editMessageText", 951)
    refused = [c for c in tries if c.status == 429]
    taken = [c for c in tries if c.ok and "Next steps" in str(c.params["text"])]
    assert (len(refused), len(taken)) == (1, 1)
    assert taken[0].at - refused[0].at >= 2.0, "not sent again before Telegram's retry_after"
    client = redis.Redis.from_url(empty_redis)
    assert client.xlen(DEAD_LETTERS) == 0
    client.close()


def test_an_answer_redis_lost_is_published_again_by_the_reconciler_and_coached_once(
    tmp_path: Path, postgres_url: str, empty_redis: str
):
    """Redis loses every entry and group while a worker holds an answer (a Redis restored
    from an old file): nothing in Redis remembers it, and only the log does."""
    stt = HangingOnceSpeechToText()
    claiming = Claiming(claim_after_s=30.0, max_deliveries=3)
    with topology(tmp_path / "home", postgres_url, empty_redis, claiming,
                  transcribers=(stt,), reconcile_after_s=2.0) as (bot, _, _):  # fmt: skip
        answer = tmp_path / "answer.txt"
        answer.write_text(ANSWER)
        bot.post(bot.fake.voice_update(851, bot.fake.add_file(answer.read_bytes()), duration=5))
        assert stt.entered.wait(10), "the answer reached the worker"
        client = redis.Redis.from_url(empty_redis)
        client.flushall()
        stt.release.set()
        bot.wait_text(851, "Next steps", timeout=30)
        time.sleep(1.0)
        texts = bot.texts(851)
        client.close()
    assert sum("Next steps" in text for text in texts) == 1, texts
    assert not any("went wrong" in text for text in texts), texts
