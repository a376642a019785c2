"""The README's Telegram commands work as written, against the fake Bot API."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.support.fake_telegram import FakeBotAPI

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
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def test_serve_answers_a_learner_through_the_webhook(telegram):  # type: ignore[no-untyped-def]
    fake, env = telegram
    port = _free_port()
    argv = list(COMMANDS["serve"])
    argv[argv.index("--host") + 1] = "127.0.0.1"  # the test stays on loopback
    argv[argv.index("--port") + 1] = str(port)
    server = subprocess.Popen(argv, env=env, cwd=ROOT, text=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not become ready"
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            time.sleep(0.2)
        response = httpx.post(
            f"http://127.0.0.1:{port}/telegram/webhook",
            json=fake.text_update(801, "/help"),
            headers={"X-Telegram-Bot-Api-Secret-Token": env["TELEGRAM_WEBHOOK_SECRET"]},
        )
        assert response.status_code == 200
        assert "How it works" in fake.wait_for("sendMessage", chat_id=801)[0].params["text"]
    finally:
        _stop(server)


def test_set_webhook_registers_the_url_with_the_secret(telegram):  # type: ignore[no-untyped-def]
    fake, env = telegram
    done = subprocess.run(COMMANDS["set-webhook"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    url = COMMANDS["set-webhook"][-1]
    assert fake.webhook["url"] == url
    assert fake.webhook["secret_token"] == env["TELEGRAM_WEBHOOK_SECRET"]


def test_poll_answers_without_a_public_url(telegram):  # type: ignore[no-untyped-def]
    fake, env = telegram
    poller = subprocess.Popen(COMMANDS["poll"], env=env, cwd=ROOT, text=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        fake.wait_for("getUpdates", timeout=90)
        fake.push_update(fake.text_update(802, "/help"))
        assert "How it works" in fake.wait_for("sendMessage", chat_id=802)[0].params["text"]
    finally:
        _stop(poller)
