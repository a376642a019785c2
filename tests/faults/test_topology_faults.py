"""The production topology under faults, as processes: two webhook processes, a relay (and a
second one standing by), two workers of each kind, a real PostgreSQL and Redis, the fake
Bot API and the fake OpenAI. Voice updates stream in, a tenth of them sent twice, while
each worker and each relay is killed with SIGKILL (and started again), and Redis and
PostgreSQL restart, and the feedback's language model (OpenAI's fake) fails in every way
(429, 5xx, a hang, an answer outside the schema, no quota, malformed JSON), so that our rules
write some of the feedback. From the fake Bot API's record: every acknowledged voice update got
exactly one feedback or exactly one clear failure message, and the event store agrees.

The number of answers is SPEECH_COACH_FAULT_ANSWERS (default 1,000: about four minutes here).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.support.fake_providers import API_KEY, FakeOpenAI
from tests.support.fake_telegram import FakeBotAPI
from tests.support.services import Services, free_port
from tests.synth import synthesize

pytestmark = [pytest.mark.slow, pytest.mark.server]

ROOT = Path(__file__).resolve().parents[2]
SPEECH_COACH = str(Path(sys.executable).parent / "speech-coach")
ANSWERS = int(os.environ.get("SPEECH_COACH_FAULT_ANSWERS", "1000"))
SECRET = "fault-test-webhook-secret"  # noqa: S105 - made up
FEEDBACK, FAILURE = "Next steps", "went wrong on our side"
PLACEHOLDER = "📝 About your answer"


@dataclass
class Fleet:
    """The topology's processes, by role; each can be killed and started again."""

    env: dict[str, str]
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    kills: Counter[str] = field(default_factory=Counter)

    def start(self, name: str, *argv: str) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [SPEECH_COACH, *argv], env=self.env, cwd=ROOT, stdout=log, stderr=log
        )
        self._argv[name] = argv

    def kill_and_restart(self, name: str) -> None:
        self.processes[name].send_signal(signal.SIGKILL)
        self.processes[name].wait()
        self.kills[name.rsplit("-", 1)[0]] += 1
        self.start(name, *self._argv[name])

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()

    def __post_init__(self) -> None:
        self._argv: dict[str, tuple[str, ...]] = {}


@pytest.fixture
def services() -> Iterator[Services]:
    with Services.started("postgres", "redis") as running:
        yield running


def _wait_ready(port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the webhook on {port} did not start")


def _deliver(ports: list[int], update: dict[str, object]) -> None:
    """As Telegram does: send again, to either webhook, until one answers 200."""
    for attempt in range(600):
        port = ports[attempt % len(ports)]
        try:
            response = httpx.post(f"http://127.0.0.1:{port}/telegram/webhook", json=update,
                                  headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                                  timeout=10)  # fmt: skip
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("no webhook took the update")


def _restart(services: Services, name: str) -> None:
    services.run("down", name)
    time.sleep(1.0)
    services.run("up", name)


def _outcomes(fake: FakeBotAPI, chat: int) -> tuple[int, int]:
    return len(fake.shown(chat, FEEDBACK)), len(fake.shown(chat, FAILURE))


def test_every_acknowledged_answer_gets_exactly_one_outcome_whatever_breaks(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    spoken = synthesize(["I think rivers matter to every city"], tmp_path / "a.ogg")
    audio = spoken.path.read_bytes()
    with FakeBotAPI() as fake, FakeOpenAI() as openai_fake:
        env = {**services.env, "DATABASE_URL": services.database_url,
               "REDIS_URL": services.redis_url, "SPEECH_COACH_HOME": str(tmp_path / "home"),
               "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE": fake.base_url,
               "TELEGRAM_WEBHOOK_SECRET": SECRET, "OPENAI_API_KEY": API_KEY,
               "OPENAI_BASE_URL": openai_fake.base_url, "SPEECH_COACH_CLAIM_AFTER_S": "15",
               "SPEECH_COACH_OPENAI_TIMEOUT_S": "2",
               "SPEECH_COACH_MAX_DELIVERIES": "10"}  # fmt: skip
        fleet = Fleet(env, tmp_path)
        ports = [free_port(), free_port()]
        try:
            for n, port in enumerate(ports, start=1):
                fleet.start(f"web-{n}", "serve", "--no-workers", "--host", "127.0.0.1",
                            "--port", str(port))  # fmt: skip
            for n in (1, 2):
                fleet.start(f"relay-{n}", "relay")
            for kind in ("transcribe", "coach", "notify"):
                for n in (1, 2):
                    fleet.start(f"{kind}-{n}", "worker", kind)
            for port in ports:
                _wait_ready(port)

            chats = list(range(100_000, 100_000 + ANSWERS))
            rng = random.Random(7)
            twice = set(rng.sample(chats, ANSWERS // 10))
            sending_done = threading.Event()

            def send() -> None:
                for chat in chats:
                    update = fake.voice_update(chat, fake.add_file(audio), duration=3)
                    _deliver(ports, update)
                    if chat in twice:
                        _deliver(ports, update)
                    time.sleep(0.01)
                sending_done.set()

            sender = threading.Thread(target=send, daemon=True)
            started = time.monotonic()
            sender.start()
            chat_api = "/v1/chat/completions"  # the feedback's language model fails every way
            faults = [
                lambda: openai_fake.fail_next("rate_limited", times=6, path=chat_api),
                lambda: fleet.kill_and_restart("transcribe-1"),
                lambda: openai_fake.fail_next("server_error", times=6, path=chat_api),
                lambda: fleet.kill_and_restart("coach-1"),
                lambda: fleet.kill_and_restart("notify-1"),
                lambda: fleet.kill_and_restart("relay-1"),
                lambda: openai_fake.fail_next("hang", times=3, path=chat_api),
                lambda: openai_fake.fail_next("bad_output", times=6, path=chat_api),
                lambda: _restart(services, "redis"),
                lambda: fleet.kill_and_restart("transcribe-2"),
                lambda: fleet.kill_and_restart("coach-2"),
                lambda: fleet.kill_and_restart("notify-2"),
                lambda: fleet.kill_and_restart("relay-2"),
                lambda: openai_fake.fail_next("insufficient_quota", times=3, path=chat_api),
                lambda: _restart(services, "postgres"),
                lambda: openai_fake.fail_next("malformed", times=3, path=chat_api),
            ]
            for fault in faults:
                time.sleep(max(0.7, ANSWERS / 300 * 2.5))
                fault()
            sender.join(timeout=1200)
            assert sending_done.is_set(), "the updates were not all acknowledged"

            deadline = time.monotonic() + 600
            while True:
                counts = [_outcomes(fake, chat) for chat in chats]
                if all(sum(c) >= 1 for c in counts):
                    break
                assert time.monotonic() < deadline, (
                    f"{sum(1 for c in counts if sum(c) == 0)} answers still without an outcome"
                )
                time.sleep(1.0)
            time.sleep(3.0)  # room for a duplicate to show up
            counts = [_outcomes(fake, chat) for chat in chats]
        finally:
            fleet.stop()
        took = time.monotonic() - started

    lost = sum(1 for c in counts if sum(c) == 0)
    doubled = sum(1 for c in counts if sum(c) > 1)
    coached = sum(1 for c in counts if c == (1, 0))
    failed = sum(1 for c in counts if c == (0, 1))
    stray = sum(len(fake.shown(chat, PLACEHOLDER)) for chat in chats)
    asked = sum(1 for c in openai_fake.calls if c.path.endswith("/completions"))
    with capsys.disabled():  # the counts belong in CI's log, passed or not
        print(
            f"\n{ANSWERS} answers ({len(twice)} sent twice) in {took:.0f} s; the feedback "
            f"model was asked {asked} times and failed {dict(openai_fake.served)}; kills: "
            f"{dict(fleet.kills)}, Redis and PostgreSQL restarted once each: {coached} "
            f"coached, {failed} told of a failure, {lost} lost, {doubled} doubled, "
            f"{stray} stray placeholders"
        )
    assert (lost, doubled) == (0, 0)
    assert stray <= fleet.kills["notify"], "only a notify worker killed mid-send leaves one"
    assert coached + failed == ANSWERS
    with psycopg.connect(services.database_url) as db:
        stored = dict(db.execute(
            "SELECT split_part(topic, '.', -1), count(*) FROM speechcoach_events "
            "WHERE topic LIKE '%AudioReceived' OR topic LIKE '%FeedbackDelivered' "
            "OR topic LIKE '%ProcessingFailed' GROUP BY 1"
        ).fetchall())  # fmt: skip
    assert stored.get("AudioReceived") == ANSWERS, "each answer recorded once, however often sent"
    assert stored.get("FeedbackDelivered", 0) == ANSWERS, "and each outcome delivered once"
    assert stored.get("ProcessingFailed", 0) == failed
    faults = ("rate_limited", "server_error", "hang", "bad_output", "insufficient_quota",
              "malformed")  # fmt: skip
    assert all(openai_fake.served[f] for f in faults), f"not every fault: {openai_fake.served}"
