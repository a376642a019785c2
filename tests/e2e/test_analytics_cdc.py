"""The analytics on real parts: answers recorded in PostgreSQL reach ClickHouse (chDB)
through Debezium, Kafka and the Bytewax dataflow; Kafka Connect, the broker and the
dataflow are each killed with SIGKILL mid-stream and started again, and every window still
equals a recount of the answers in the event log."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from confluent_kafka import Consumer

from adapters.bootstrap import bootstrap
from adapters.settings import Settings
from analytics.store import ChdbStore
from tests.e2e.conftest import SPEECH_COACH
from tests.support.analytics import (
    assert_lag_read,
    assert_windows_match,
    facts_in_log,
    make_answers,
)
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText
from tests.support.services import Services

pytestmark = [pytest.mark.slow, pytest.mark.server]
TOPIC = "speechcoach.public.speechcoach_events"


@pytest.fixture(scope="module")
def cdc() -> Iterator[Services]:
    with Services.started("postgres", "kafka", "connect") as services:
        yield services


def _until(done: Callable[[], bool], what: str, timeout: float = 120, about: object = "") -> None:
    """Wait for `done`; fail saying `what` did not happen, and `about` as it is by then."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"{what}; {about}"
        time.sleep(0.2)


def _captured_ids(servers: str) -> list[int]:
    """The notification ids of every change in the topic, duplicates and all."""
    consumer = Consumer({
        "bootstrap.servers": servers, "group.id": f"peek-{time.time()}",
        "auto.offset.reset": "earliest", "enable.partition.eof": True,
    })  # fmt: skip
    consumer.subscribe([TOPIC])
    ids: list[int] = []
    try:
        while True:
            message = consumer.poll(10)
            if message is None or (message.error() and message.error().code() == -191):
                return ids  # -191: the end of the partition
            if not message.error() and message.value():
                ids.append(json.loads(message.value())["after"]["notification_id"])
    finally:
        consumer.close()


class _Following:
    """`speech-coach analytics run --follow`, its progress lines read as they come."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [SPEECH_COACH, "analytics", "run", "--follow"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.up_to = 0
        self.said: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def __str__(self) -> str:
        return "the dataflow said:\n" + "".join(self.said[-20:])

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.said.append(line)
            if found := re.search(r"up to #(\d+)", line):
                self.up_to = max(self.up_to, int(found.group(1)))


def test_answers_reach_clickhouse_through_debezium_and_kafka_whatever_is_killed(
    cdc: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    writer = bootstrap(
        Settings(SPEECH_COACH_HOME=tmp_path / "writer", DATABASE_URL=cdc.database_url),
        decoder=ScriptedDecoder(), stt=ScriptedSpeechToText(),
    )  # fmt: skip
    env = {**cdc.env, "DATABASE_URL": cdc.database_url, "KAFKA_BOOTSTRAP_SERVERS":
           cdc.kafka_servers, "SPEECH_COACH_HOME": str(tmp_path / "analyst")}  # fmt: skip
    last_id = lambda: writer.app.recorder.max_notification_id() or 0  # noqa: E731
    try:
        make_answers(writer, tmp_path, 0, 10)
        following = _Following(env)
        _until(lambda: following.up_to >= last_id(), "the dataflow never read the answers",
               about=following)  # fmt: skip

        os.kill(cdc.pid_of("connect"), signal.SIGKILL)
        make_answers(writer, tmp_path, 10, 10)  # while nothing captures them
        cdc.run("up", "connect")
        _until(lambda: following.up_to >= last_id(), "Connect did not resume after a kill",
               about=following)  # fmt: skip

        os.kill(cdc.pid_of("kafka"), signal.SIGKILL)
        make_answers(writer, tmp_path, 20, 10)  # while there is no broker
        cdc.run("up", "kafka", "connect")
        _until(lambda: following.up_to >= last_id(), "nothing came after the broker's restart",
               timeout=240, about=following)  # fmt: skip

        following.process.kill()  # the dataflow, mid-stream
        following.process.wait(timeout=30)
        make_answers(writer, tmp_path, 30, 10)
        _until(lambda: max(_captured_ids(cdc.kafka_servers), default=0) >= last_id(),
               "Debezium did not capture the last answers")  # fmt: skip

        final = subprocess.run([SPEECH_COACH, "analytics", "run"], env=env, capture_output=True,
                               text=True, timeout=300, check=False)  # fmt: skip
        assert final.returncode == 0, final.stderr[-2000:]
        captured, events = _captured_ids(cdc.kafka_servers), last_id()
        store = ChdbStore(tmp_path / "analyst" / "analytics" / "clickhouse")
        try:
            facts = facts_in_log(writer)
            assert len(facts) == 40
            assert_windows_match(store, facts)
            assert_lag_read(store, events)
            (lag,) = store.rows("SELECT max(lag_p95_s) AS p95 FROM capture_lag FINAL")
        finally:
            store.close()
    finally:
        writer.close()
    with capsys.disabled():
        print(f"\n40 answers, {events} events; the topic held {len(captured)} changes "
              f"({len(captured) - len(set(captured))} delivered twice); Connect, the broker and "
              "the dataflow killed once each: every window and stage count equals a recount; "
              f"the worst minute's capture lag p95 {lag['p95']:.1f} s")  # fmt: skip
