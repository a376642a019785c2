"""The README's Telegram commands work as written, against the fake Bot API."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.fake_telegram import DEFAULT_TOKEN, FakeBotAPI
from tests.synth import synthesize

ROOT = Path(__file__).resolve().parents[2]
SECTION = (ROOT / "README.md").read_text().split("## Telegram bot", 1)[1].split("\n## ", 1)[0]
BLOCK = re.findall(r"```bash\n(.*?)```", SECTION, flags=re.DOTALL)[0]
COMMANDS = {
    shlex.split(line.split("#", 1)[0])[3]: shlex.split(line.split("#", 1)[0])
    for line in BLOCK.splitlines()
    if line.startswith("uv run speech-coach")
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def telegram(tmp_path: Path):  # type: ignore[no-untyped-def]
    with FakeBotAPI() as fake:
        exported = dict(
            pair.split("=", 1) for pair in shlex.split(BLOCK.splitlines()[0])[1:] if "=" in pair
        )
        assert set(exported) == {"TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"}
        env = {**os.environ, **exported, "TELEGRAM_BOT_TOKEN": fake.token,
               "TELEGRAM_API_BASE": fake.base_url, "SPEECH_COACH_HOME": str(tmp_path),
               "UV_PROJECT": str(ROOT), "UV_PYTHON_DOWNLOADS": "never"}  # fmt: skip
        yield fake, env


def _stop(process: subprocess.Popen[str]) -> None:
    """Stop it, and check that its log (standard error) never held the bot token."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    logged = process.stderr.read() if process.stderr else ""
    assert DEFAULT_TOKEN not in logged, "the bot token reached the log"


@contextlib.contextmanager
def _serving(env: dict[str, str], *extra: str) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    """README's `serve` line on a free loopback port, with the port and the process, once it
    answers /readyz; stopped afterwards."""
    port = _free_port()
    server = _serve(env, port, *extra)
    try:
        yield port, server
    finally:
        _stop(server)


def _serve(
    env: dict[str, str], port: int, *extra: str, stderr: Any = subprocess.PIPE
) -> subprocess.Popen[str]:
    argv = list(COMMANDS["serve"])
    argv[argv.index("--host") + 1] = "127.0.0.1"  # the test stays on loopback
    argv[argv.index("--port") + 1] = str(port)
    server = subprocess.Popen([*argv, *extra], env=env, cwd=ROOT, text=True,
                              stdout=subprocess.DEVNULL, stderr=stderr)  # fmt: skip
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise AssertionError(f"serve did not start: {server.communicate()[1] or ''}")
        time.sleep(0.2)


def _post(env: dict[str, str], port: int, update: dict[str, object]) -> httpx.Response:
    return httpx.post(
        f"http://127.0.0.1:{port}/telegram/webhook", json=update, timeout=30,
        headers={"X-Telegram-Bot-Api-Secret-Token": env["TELEGRAM_WEBHOOK_SECRET"]},
    )  # fmt: skip


def _ready(port: int) -> dict[str, object]:
    return dict(httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10).json())


def _until(
    done: Callable[[], bool], what: str, timeout: float = 120,
    alive: subprocess.Popen[str] | None = None,
) -> None:  # fmt: skip
    """Wait for `done`; fail saying `what` did not happen (or why `alive` died)."""
    deadline = time.monotonic() + timeout
    while not done():
        if alive is not None:
            assert alive.poll() is None, alive.stderr.read() if alive.stderr else ""
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _wait_workers_running(port: int, timeout: float = 90) -> None:
    def running() -> bool:
        state = _ready(port)["workers"]
        assert state in ("starting", "restarting", "running"), state
        return state == "running"

    _until(running, "the worker process did not get ready", timeout)


def _children(pid: int) -> list[int]:
    """Ids of the processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _worker_of(server: subprocess.Popen[str]) -> int:
    """The `speech-coach work` process that `serve` started (under `uv run`'s process)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for pid in [server.pid, *_children(server.pid)]:
            for child in _children(pid):
                if b"work" in Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0"):
                    return child
        time.sleep(0.1)
    raise AssertionError("serve started no worker process")


def _feedback_count(fake: FakeBotAPI, chat: int) -> int:
    return len(fake.shown(chat, "Next steps"))


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    clip = synthesize(["Today I will talk about rivers. I think rivers matter to everyone"],
                      tmp_path_factory.mktemp("spoken") / "rivers.ogg")  # fmt: skip
    return clip.path.read_bytes()


@pytest.mark.slow
def test_serve_answers_a_learner_through_the_webhook(telegram, spoken):  # type: ignore[no-untyped-def]
    fake, env = telegram
    with _serving(env) as (port, _):
        assert _post(env, port, fake.text_update(801, "/help")).status_code == 200
        assert "How it works" in fake.wait_for("sendMessage", chat_id=801)[0].params["text"]
        _wait_workers_running(port)
        file = fake.add_file(spoken)
        assert _post(env, port, fake.voice_update(801, file, duration=5)).status_code == 200
        _until(lambda: _feedback_count(fake, 801) == 1, "no feedback came")
        assert "rivers" in fake.shown(801, "Next steps")[0].lower()


@pytest.mark.slow
def test_an_answer_survives_its_worker_process_dying(telegram, spoken):  # type: ignore[no-untyped-def]
    fake, env = telegram
    with _serving(env) as (port, server):
        worker = _worker_of(server)
        file = fake.add_file(spoken)
        assert _post(env, port, fake.voice_update(802, file, duration=5)).status_code == 200
        os.kill(worker, signal.SIGKILL)  # mid-answer, or before it started: nothing is lost
        _until(lambda: _worker_of(server) != worker, "the worker process was not started again")
        _until(lambda: _feedback_count(fake, 802) > 0, "the answer was lost with its worker")
        _until(lambda: _ready(port)["in_progress"] == 0, "the answer was never marked delivered")
        assert _feedback_count(fake, 802) == 1, "the learner gets the feedback once"
        _wait_workers_running(port)


@pytest.mark.slow
def test_answers_wait_in_the_log_for_a_separate_worker(telegram, spoken):  # type: ignore[no-untyped-def]
    fake, env = telegram
    with _serving(env, "--no-workers") as (port, _):
        file = fake.add_file(spoken)
        assert _post(env, port, fake.voice_update(803, file, duration=5)).status_code == 200
        time.sleep(1.0)
        assert _ready(port)["workers"] == "elsewhere"
        assert not fake.calls_to("sendMessage", 803), "nobody works on it yet"
        worker = subprocess.Popen(COMMANDS["work"], env=env, cwd=ROOT, text=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        try:
            _until(lambda: _feedback_count(fake, 803) > 0, "the worker did not take the answer",
                   alive=worker)  # fmt: skip
            _until(lambda: _ready(port)["in_progress"] == 0,
                   "the answer was never marked delivered")  # fmt: skip
        finally:
            _stop(worker)


def test_set_webhook_registers_the_url_with_the_secret(telegram):  # type: ignore[no-untyped-def]
    fake, env = telegram
    done = subprocess.run(COMMANDS["set-webhook"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    url = COMMANDS["set-webhook"][-1]
    assert fake.webhook["url"] == url
    assert fake.webhook["secret_token"] == env["TELEGRAM_WEBHOOK_SECRET"]


@pytest.mark.slow
def test_poll_answers_without_a_public_url(telegram, spoken):  # type: ignore[no-untyped-def]
    fake, env = telegram
    poller = subprocess.Popen(COMMANDS["poll"], env=env, cwd=ROOT, text=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        fake.wait_for("getUpdates", timeout=90)
        fake.push_update(fake.text_update(802, "/help"))
        assert "How it works" in fake.wait_for("sendMessage", chat_id=802)[0].params["text"]
        fake.push_update(fake.voice_update(802, fake.add_file(spoken), duration=5))
        _until(lambda: _feedback_count(fake, 802) == 1, "no feedback by long polling", 120)
    finally:
        _stop(poller)


def test_a_second_worker_on_the_same_data_is_refused_with_a_reason(telegram):  # type: ignore[no-untyped-def]
    _, env = telegram
    first = subprocess.Popen(COMMANDS["work"], env=env, cwd=ROOT, text=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        lock = Path(env["SPEECH_COACH_HOME"]) / "worker.lock"
        deadline = time.monotonic() + 60
        while not lock.exists():
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            assert time.monotonic() < deadline, "work did not start"
            time.sleep(0.1)
        time.sleep(0.5)
        second = subprocess.run(COMMANDS["work"], env=env, cwd=ROOT, capture_output=True,
                                text=True, timeout=120, check=False)  # fmt: skip
        assert second.returncode == 2
        assert "only one may run per data folder" in second.stderr
        assert "Traceback" not in second.stderr
        assert first.poll() is None, "the first worker carries on"
    finally:
        _stop(first)


@pytest.mark.slow
def test_a_worker_killed_mid_answer_sends_nothing_twice(telegram, spoken):  # type: ignore[no-untyped-def]
    """Killed while its status line was being edited, and later between two messages of a
    feedback: the learner still sees one status message and each feedback message once."""
    fake, env = telegram
    with _serving(env) as (port, server):
        _wait_workers_running(port)
        worker = _worker_of(server)
        edit = fake.hold_next("editMessageText", matching="Transcribing", chat_id=811)
        file = fake.add_file(spoken)
        assert _post(env, port, fake.voice_update(811, file, duration=5)).status_code == 200
        assert edit.arrived.wait(60), "the worker started on the answer"
        os.kill(worker, signal.SIGKILL)
        edit.release()
        _until(lambda: _feedback_count(fake, 811) == 1, "no feedback after the restart")
        receipts = [c for c in fake.calls_to("sendMessage", 811, ok=True)
                    if "Got your answer" in str(c.params["text"])]  # fmt: skip
        assert len(receipts) == 1, "the restarted worker edits the status message it has"

        _wait_workers_running(port)
        worker = _worker_of(server)
        assert _post(env, port, fake.text_update(812, "/practice")).status_code == 200
        fake.wait_for("sendMessage", chat_id=812)
        first = fake.add_file(spoken)
        assert _post(env, port, fake.voice_update(812, first, duration=5)).status_code == 200
        _until(lambda: _feedback_count(fake, 812) == 1, "no feedback on the first attempt")
        # The second attempt's outcome is two messages: its feedback, then the comparison.
        comparison = fake.hold_next("editMessageText", matching="Compared with", chat_id=812)
        again = fake.add_file(spoken)
        assert _post(env, port, fake.voice_update(812, again, duration=5)).status_code == 200
        assert comparison.arrived.wait(120), "the outcome's second message went out"
        os.kill(worker, signal.SIGKILL)
        time.sleep(0.5)  # the connection is gone before Telegram acts on the request
        comparison.release()
        _until(lambda: bool(fake.shown(812, "Compared with")), "the comparison never came")
        _until(lambda: _ready(port)["in_progress"] == 0, "the answer was never marked delivered")
        assert _feedback_count(fake, 812) == 2, "each attempt's feedback went once"
        assert len(fake.shown(812, "Compared with")) == 1, "the comparison went once"
