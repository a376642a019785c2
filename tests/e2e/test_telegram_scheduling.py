"""Many learners at once: each answer is finished before the next is started, so the first
learner is not kept waiting behind everyone, and a download that hangs holds up nobody."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from application.ports import DecodedAudio
from domain.speech import Transcript
from tests.e2e.telegram_harness import BotUnderTest, running_bot
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText

SPOKEN = b"I@0.5-0.7 like@0.8-1.0 quiet@1.1-1.4 mornings@1.5-2.0 best@2.1-2.5"
TRANSCRIBE_S = 0.25  # as if each answer took the CPU this long


@dataclass
class BusySpeechToText(ScriptedSpeechToText):
    started: list[float] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def transcribe(self, audio: DecodedAudio) -> Transcript:
        with self._lock:
            self.started.append(time.time())
        time.sleep(TRANSCRIBE_S)
        return super().transcribe(audio)


@pytest.fixture
def stt() -> BusySpeechToText:
    return BusySpeechToText()


@pytest.fixture
def bot(tmp_path_factory: pytest.TempPathFactory, stt: BusySpeechToText) -> Iterator[BotUnderTest]:
    home = tmp_path_factory.mktemp("scheduling")
    with running_bot(home, decoder=ScriptedDecoder(), stt=stt, answers_per_hour=100) as running:
        yield running


def _feedback_at(bot: BotUnderTest, chat: int) -> float:
    sent = [c for c in bot.fake.calls_to("editMessageText", chat, ok=True)
            if "Next steps" in str(c.params["text"])]  # fmt: skip
    assert len(sent) == 1, f"chat {chat} got {len(sent)} feedbacks"
    return sent[0].at


def test_the_first_of_twenty_learners_gets_feedback_before_most_others_are_started(
    bot: BotUnderTest, stt: BusySpeechToText
):
    chats = list(range(5001, 5021))
    updates = [bot.fake.voice_update(c, bot.fake.add_file(SPOKEN), duration=3) for c in chats]
    for update in updates:
        assert bot.post(update).status_code == 200
    for chat in chats:
        bot.wait_text(chat, "Next steps")
    first = _feedback_at(bot, chats[0])
    started_before = sum(at < first for at in stt.started)
    assert started_before <= 4, (
        f"{started_before} of 20 transcriptions started before the first learner's feedback"
    )
    # Downloads run side by side, so two answers close in line may swap places on a busy
    # machine; the first five to answer are still served before the last five.
    assert max(_feedback_at(bot, c) for c in chats[:5]) < min(
        _feedback_at(bot, c) for c in chats[-5:]
    ), "the first to answer, the first served"


def test_two_hanging_downloads_hold_up_no_one_else(bot: BotUnderTest):
    stuck = []
    for chat in (5101, 5102):
        ref = bot.fake.add_file(SPOKEN)
        stuck.append(bot.fake.hold_next("file", matching=ref.file_path))
        assert bot.post(bot.fake.voice_update(chat, ref, duration=3)).status_code == 200
    for hold in stuck:
        assert hold.arrived.wait(10), "the download started"
    others = range(5103, 5107)
    for chat in others:
        assert (
            bot.post(bot.fake.voice_update(chat, bot.fake.add_file(SPOKEN), duration=3)).status_code
            == 200
        )
    for chat in others:
        bot.wait_text(chat, "Next steps", timeout=15)
    for hold in stuck:
        hold.release()
    for chat in (5101, 5102):
        bot.wait_text(chat, "Next steps", timeout=15)
