"""The README's production topology, run as written: the webhook, the relay and the workers
as processes of their own, on a real PostgreSQL and Redis, against the fake Bot API."""

from __future__ import annotations

import contextlib
import json
import re
import shlex
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_readme_telegram import (  # noqa: F401 - spoken: a fixture
    _feedback_count,
    _post,
    _serve,
    _stop,
    _until,
    spoken,
)
from tests.support.fake_telegram import FakeBotAPI
from tests.support.services import Services, free_port

ROOT = Path(__file__).resolve().parents[2]
SECTION = (ROOT / "README.md").read_text().split("## The production topology, locally", 1)[1]
BLOCK = re.findall(r"```bash\n(.*?)```", SECTION.split("\n## ", 1)[0], flags=re.DOTALL)[0]
LINES = [line.split("#", 1)[0].strip() for line in BLOCK.splitlines()]
BACKGROUND = [shlex.split(line.rstrip("&")) for line in LINES[2:] if line.endswith("&")]
AFTERWARDS = [shlex.split(line) for line in LINES[2:] if not line.endswith("&")]

pytestmark = [pytest.mark.slow, pytest.mark.server]


@pytest.fixture
def environment(tmp_path: Path) -> Iterator[tuple[FakeBotAPI, dict[str, str]]]:
    """The block's first two lines: the services up (in a folder of the test's own), and the
    bot's variables (pointing at the fake Bot API)."""
    assert LINES[0] == 'eval "$(deploy/local/services up postgres redis)"'
    with Services.in_a_new_folder() as services, FakeBotAPI() as fake:
        up = services.run(*shlex.split(LINES[0].split("$(", 1)[1].rstrip(')"'))[1:])
        exported = dict(line.removeprefix("export ").split("=", 1)
                        for line in up.stdout.splitlines())  # fmt: skip
        assert set(exported) == {"DATABASE_URL", "REDIS_URL"}
        bot = dict(pair.split("=", 1) for pair in shlex.split(LINES[1])[1:])
        assert set(bot) == {"TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"}
        env = {**services.env, **exported, **bot, "TELEGRAM_BOT_TOKEN": fake.token,
               "TELEGRAM_API_BASE": fake.base_url, "SPEECH_COACH_HOME": str(tmp_path),
               "SPEECH_COACH_CLAIM_AFTER_S": "20", "SPEECH_COACH_LOG_FORMAT": "json",
               "UV_PROJECT": str(ROOT), "UV_PYTHON_DOWNLOADS": "never"}  # fmt: skip
        yield fake, env


def _webhook_processes(root: int) -> list[int]:
    """The processes under `root` that serve the webhook: uvicorn's workers, spawned by
    multiprocessing (the server's own process only supervises them)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, rest = stat.read_text().split(" (", 1)
        except OSError:
            continue
        children.setdefault(int(rest.rsplit(") ", 1)[1].split()[1]), []).append(int(pid))
    below, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            below.append(child)
            queue.append(child)
    spawned = []
    for pid in below:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"multiprocessing.spawn" in command:
            spawned.append(pid)
    return spawned


def _json_lines(path: Path) -> list[dict[str, Any]]:
    lines = []
    for line in path.read_text().splitlines():
        with contextlib.suppress(ValueError):
            lines.append(json.loads(line))
    return lines


def test_the_topology_coaches_an_answer_with_each_process_on_its_own(
    environment: tuple[FakeBotAPI, dict[str, str]],
    spoken: bytes,  # noqa: F811
    tmp_path: Path,
):
    fake, env = environment
    names = ("serve", "relay", "transcribe", "coach")
    logs = {name: (tmp_path / f"{name}.log").open("w") for name in names}
    assert [c[:4] for c in BACKGROUND] == [["uv", "run", "speech-coach", name] for name in
                                           ("serve", "relay", "worker", "worker")]  # fmt: skip
    serve, others = BACKGROUND[0], BACKGROUND[1:]
    port = free_port()
    assert serve[serve.index("--port") + 1] == "8080"
    server = _serve(env, port, *serve[4 : serve.index("--port")], stderr=logs["serve"])
    processes = [
        subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            text=True,
            stdout=subprocess.DEVNULL,
            stderr=logs[argv[4] if argv[3] == "worker" else argv[3]],
        )
        for argv in others
    ]
    try:
        webhooks = _webhook_processes(server.pid)
        assert len(webhooks) == int(serve[serve.index("--workers") + 1]) == 2, webhooks
        chats = (811, 812, 813)
        for chat in chats:
            update = fake.voice_update(chat, fake.add_file(spoken), duration=5)
            for _ in range(2):  # Telegram sends it again: either process may take it
                assert _post(env, port, update).status_code == 200
        for process in processes:
            assert process.poll() is None, process.args
        for chat in chats:
            _until(lambda c=chat: _feedback_count(fake, c) > 0, "no feedback came",
                   alive=processes[0])  # fmt: skip
        time.sleep(1.0)
        for chat in chats:
            feedback = fake.shown(chat, "Next steps")
            assert len(feedback) == 1, f"chat {chat}: {len(feedback)} feedbacks"
            assert "rivers" in feedback[0].lower()
        shown = {
            argv[3]: subprocess.run(
                argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
            ).stdout
            for argv in AFTERWARDS
        }
        assert re.search(r"AudioReceived +transcribe +consumers [12] +pending 0", shown["status"])
        assert "0 step events to publish" in shown["status"]
        assert "No dead letters." in shown["dead-letters"]
    finally:
        for process in [server, *processes]:
            _stop(process)
        for file in logs.values():
            file.close()
    recorded = [line for line in _json_lines(tmp_path / "serve.log") if "answer" in line]
    assert len(recorded) == len(chats), "one line per answer recorded, naming it"
    for line in recorded:  # each answer's id is on the lines of each process it went through
        roles = {log["role"] for name in logs for log in _json_lines(tmp_path / f"{name}.log")
                 if log.get("answer") == line["answer"]}  # fmt: skip
        assert roles == {"web", "worker"}, (line, roles)
    for name in names:
        assert env["TELEGRAM_BOT_TOKEN"] not in (tmp_path / f"{name}.log").read_text()
