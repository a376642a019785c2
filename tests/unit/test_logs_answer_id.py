"""Every log line about a voice answer names it: the same id in every step, as text or JSON."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator

import pytest

from adapters.buses import BackgroundBus, DirectBus, InProcessBus
from adapters.logs import answer_id, configure_logging
from application.bus import AttemptMessage

log = logging.getLogger("tests.step")


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _step(message: AttemptMessage) -> None:
    log.info("heard %s", message.topic)
    if message.topic == "Transcribed":
        raise RuntimeError("the model crashed")


@pytest.mark.parametrize("bus_kind", ["in-process", "direct", "background"])
def test_json_lines_carry_the_answers_id_and_the_role(
    bus_kind: str, capsys: pytest.CaptureFixture[str], restored_logging: None
):
    configure_logging("worker", "json")
    bus = {"in-process": InProcessBus, "direct": DirectBus,
           "background": lambda: BackgroundBus(retry_after_s=())}[bus_kind]()  # fmt: skip
    bus.subscribe("AudioReceived", _step)
    one, other = uuid.uuid4(), uuid.uuid4()
    bus.publish(AttemptMessage("AudioReceived", one, 1))
    bus.publish(AttemptMessage("AudioReceived", other, 2))
    if isinstance(bus, BackgroundBus):
        bus.join()
        bus.close()
    log.info("between answers")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    about = [line for line in lines if line["logger"] == "tests.step"]
    assert [line.get("answer") for line in about] == [answer_id(one, 1), answer_id(other, 2),
                                                       None]  # fmt: skip
    assert {line["role"] for line in about} == {"worker"}
    assert {"time", "level", "message"} <= set(about[0])


def test_an_error_logged_in_a_step_names_the_answer_in_text_too(
    capsys: pytest.CaptureFixture[str], restored_logging: None
):
    configure_logging("worker", "text")
    bus = BackgroundBus(retry_after_s=())
    bus.subscribe("Transcribed", _step)
    session = uuid.uuid4()
    bus.publish(AttemptMessage("Transcribed", session, 3))
    bus.join()
    bus.close()
    err = capsys.readouterr().err
    failed = [line for line in err.splitlines() if "giving up" in line]
    assert failed, err
    assert failed[0].endswith(f"[answer {answer_id(session, 3)}]")
