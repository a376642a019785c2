"""Answers are fetched from the Bot API safely: nothing Telegram or an update sends becomes a
local path, a download never writes more than was announced, and every way a download can
fail ends in a message that tells the learner what to do (with no token in any log)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.telegram_harness import BotUnderTest, scripted_bot

SPOKEN = b"hello@0.5-0.9 from@1.0-1.3 the@1.4-1.5 real@1.6-1.9 recording@2.0-2.6"
PLANTED = b"secret@0.5-0.9 local@1.0-1.3 file@1.4-1.9"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("files") / "home"


@pytest.fixture(scope="module")
def bot(home: Path) -> Iterator[BotUnderTest]:
    with scripted_bot(home) as running:
        yield running


def _answer(bot: BotUnderTest, chat: int, data: bytes = SPOKEN, **file: object) -> None:
    ref = bot.fake.add_file(data, **file)  # type: ignore[arg-type]
    assert bot.post(bot.fake.voice_update(chat, ref, duration=3)).status_code == 200


def _files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


def test_a_file_unique_id_with_dots_and_slashes_is_never_a_path(bot: BotUnderTest, home: Path):
    outside = home.parent
    before = _files_under(outside) - _files_under(home)
    _answer(bot, 701, file_unique_id="../../../escaped-by-an-update")
    assert "hello from the real recording" in bot.wait_text(701, "Next steps")
    assert _files_under(outside) - _files_under(home) == before, "nothing written outside home"
    assert not list(outside.rglob("*escaped*"))
    assert all(path.name.startswith("tg-") for path in (home / "audio").iterdir())


def test_a_file_unique_id_naming_a_local_file_does_not_make_the_bot_read_it(
    bot: BotUnderTest, home: Path
):
    planted = home.parent / "planted.txt"
    planted.write_bytes(PLANTED)
    audio = home / "audio"
    audio.mkdir(parents=True, exist_ok=True)
    (audio / "tg-..").mkdir(exist_ok=True)  # what an earlier hostile id could leave behind
    _answer(bot, 702, file_unique_id="../../planted.txt")
    feedback = bot.wait_text(702, "Next steps")
    assert "hello from the real recording" in feedback
    assert "secret" not in feedback, "a local file outside the store was never transcribed"


def test_a_file_path_that_climbs_out_of_the_file_url_is_refused(bot: BotUnderTest):
    _answer(bot, 703, file_path="../../bot123/sendMessage")
    assert "could not fetch that recording" in bot.wait_text(703, "could not")
    assert not [call for call in bot.fake.calls_to("file") if "bot123" in call.params["file_path"]]


def test_a_get_file_without_a_file_path_is_not_called_too_large(bot: BotUnderTest):
    _answer(bot, 704, file_path="")
    told = bot.wait_text(704, "could not")
    assert "could not fetch that recording from Telegram" in told
    assert "20 MB" not in told


def test_a_download_bigger_than_announced_is_cut_off_and_not_kept(bot: BotUnderTest, home: Path):
    _answer(bot, 705, data=SPOKEN + b" " * 200_000, file_size=5_000)
    assert "different file than it announced" in bot.wait_text(705, "announced")
    kept = [path.stat().st_size for path in (home / "audio").iterdir()]
    assert all(size < 5_000 for size in kept), "no file beyond what was announced is kept"
    assert not list((home / "audio").glob("*.partial"))


def test_a_file_over_the_download_limit_is_too_large(bot: BotUnderTest):
    _answer(bot, 706, file_size=25_000_000)
    assert "larger than 20 MB" in bot.wait_text(706, "20 MB")
    assert not [c for c in bot.fake.calls_to("file") if c.params["file_path"].endswith("706")]


@pytest.mark.parametrize(("status", "chat"), [(404, 707), (500, 708)])
def test_a_download_answering_an_http_error_tells_the_learner_and_logs_no_token(
    bot: BotUnderTest, status: int, chat: int
):
    bot.fake.fail_next("file", status=status)
    _answer(bot, chat)
    told = bot.wait_text(chat, "again")
    expected = "could not fetch that recording" if status == 404 else "in a minute"
    assert expected in told
    assert "Something went wrong" not in told
    # The autouse check in tests/conftest.py fails the test if a log record holds the token.


_DOWNLOAD_ON_A_FULL_DISK = """
import asyncio, sys, threading
from pathlib import Path
from adapters.persistence.audio_store import LocalAudioStore
from adapters.settings import Settings
from adapters.telegram.bot import make_bot
from adapters.telegram.outputs.bridge import LoopBridge
from adapters.telegram.outputs.files import TelegramAudioStore
from domain.errors import ProviderError
from tests.support.fake_telegram import FakeBotAPI

folder = Path(sys.argv[1])
with FakeBotAPI() as fake:
    ref = fake.add_file(bytes(300_000))
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    settings = Settings(TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE=fake.base_url)
    store = TelegramAudioStore(LocalAudioStore(folder), make_bot(settings), LoopBridge(loop))
    try:
        store.path(f"tg:{ref.file_unique_id}:{ref.file_id}")
    except ProviderError as error:
        print(error.code, error.retryable, error.message)
"""


def test_a_download_the_disk_cannot_hold_leaves_no_partial_file_and_tells_the_learner(
    tmp_path: Path,
):
    import resource
    import signal
    import subprocess
    import sys

    def small_disk() -> None:  # as if the disk had 100 kB left: writes beyond fail (EFBIG)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    folder = tmp_path / "audio"
    done = subprocess.run(
        [sys.executable, "-c", _DOWNLOAD_ON_A_FULL_DISK, str(folder)], preexec_fn=small_disk,
        capture_output=True, text=True, timeout=60, check=False,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("storage_unavailable True"), done.stdout + done.stderr
    assert "send it again" in done.stdout
    assert list(folder.iterdir()) == [], "the partial download was removed"
