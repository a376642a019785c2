"""Learners practise with the real bot (real ffmpeg and Whisper) through the fake Bot API."""

from __future__ import annotations

import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.prompts import MODES, prompts_for
from tests.e2e.telegram_harness import BotUnderTest, running_bot
from tests.synth import Silence, synthesize

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotUnderTest]:
    with running_bot(tmp_path_factory.mktemp("bot")) as running:
        yield running


@pytest.fixture(scope="module")
def answer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesize(
        ["Well, um, I think it is a good idea", Silence(1.4),
         "because people need green places in the city"],
        tmp_path_factory.mktemp("answers") / "answer.ogg",
    ).path  # fmt: skip


@pytest.mark.parametrize(
    ("chat", "mode"),
    list(enumerate(MODES, start=601)),
)
def test_a_learner_practises_a_mode_from_start_to_progress(
    bot: BotUnderTest, answer: Path, chat: int, mode: str
):
    bot.say(chat, "/start")
    bot.wait_text(chat, "What are you practising for?")
    bot.press(chat, f"mode:{mode}")
    bot.wait_text(chat, "Which level")
    bot.press(chat, "level:B2")
    bot.wait_text(chat, "Level set to")
    bot.say(chat, "/practice")
    bank = {p.text.splitlines()[0][:40] for p in prompts_for(mode)}
    prompt = bot.wait_text(chat, "Send your answer as a voice message")
    assert any(start in prompt for start in bank), "the prompt comes from the chosen mode's bank"

    bot.send_voice(chat, answer)
    feedback = bot.wait_text(chat, "Next steps", timeout=120)
    assert "A stronger answer" in feedback
    assert "<u>um" in feedback, "the filler is marked in the transcript"
    assert "[1." in feedback, "the long pause is marked with its length"
    edits = [c.params["text"] for c in bot.fake.calls_to("editMessageText", chat)]
    assert any("Done" in e for e in edits), "the status message ends as done"
    assert bot.fake.calls_to("sendChatAction", chat)

    bot.say(chat, "/progress")
    photo = bot.fake.wait_for("sendPhoto", chat_id=chat)[0]
    png = photo.files["photo"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert min(width, height) >= 600
    assert 10_000 < len(png) < 3_000_000
    bot.say(chat, "/history")
    history = bot.wait_text(chat, "1.")
    assert "wpm" in history.lower() or "words" in history.lower()


def test_a_learners_errors_come_back_corrected_in_the_feedback(
    bot: BotUnderTest, answer_with_errors: Path
):
    said = answer_with_errors
    chat = 690
    bot.say(chat, "/practice")
    bot.wait_text(chat, "Send your answer as a voice message")
    bot.send_voice(chat, said)
    feedback = bot.wait_text(chat, "Next steps", timeout=120)
    assert "<b>Grammar (checked by our rules and Harper):</b>" in feedback
    assert "&quot;two brother&quot; -&gt; &quot;two brothers&quot;" in feedback or (
        '"two brother" -&gt; "two brothers"' in feedback), feedback  # fmt: skip
    assert "two <b>brothers</b>" in feedback, "the stronger answer corrects it, in bold"


def test_again_gives_the_same_prompt_and_compares_the_second_attempt(
    bot: BotUnderTest, answer: Path, tmp_path: Path
):
    second_answer = synthesize(
        ["I think it is a good idea because people need green places"], tmp_path / "second.ogg"
    ).path
    chat = 610
    bot.say(chat, "/practice")
    prompt = bot.wait_text(chat, "Send your answer as a voice message")
    bot.send_voice(chat, answer)
    bot.wait_text(chat, "Next steps", timeout=120)
    bot.say(chat, "/again")
    again = bot.wait_text(chat, "Same prompt again")
    assert prompt.split("⏱")[0] in again, "/again repeats the same prompt"
    bot.send_voice(chat, second_answer, kind="audio")
    comparison = bot.wait_text(chat, "Compared with your last attempt", timeout=120)
    assert "wpm" in comparison.lower() or "words" in comparison.lower()
    assert sum("Next steps" in t for t in bot.texts(chat)) == 2


def test_a_text_answer_gets_a_nudge_and_a_bad_file_gets_its_reason(bot: BotUnderTest, tmp_path):
    chat = 620
    bot.say(chat, "I think cities need more parks.")
    assert "voice message" in bot.wait_text(chat, "voice message")
    typed = tmp_path / "typed.ogg"
    typed.write_text("this is text, not audio\n" * 40)
    bot.send_voice(chat, typed)
    reply = bot.wait_text(chat, "OGG", timeout=60)
    assert "Traceback" not in reply


def test_twenty_learners_at_once_each_get_their_own_feedback(bot: BotUnderTest, tmp_path: Path):
    # Words the bundled tiny.en model hears reliably in this synthetic voice.
    words = ["apples", "castles", "engines", "guitars", "islands", "jackets", "lemons",
             "mountains", "oceans", "rivers", "sandals", "tigers", "gardens", "windows",
             "pencils", "rockets", "planets", "candles", "bridges", "flowers"]  # fmt: skip
    clips = {
        700 + n: synthesize(
            [f"Today I will talk about {word}. I think {word} matter to everyone"],
            tmp_path / f"{word}.ogg",
        ).path
        for n, word in enumerate(words)
    }
    threads = [
        threading.Thread(target=bot.send_voice, args=(chat, clip)) for chat, clip in clips.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n, chat in enumerate(clips):
        feedback = bot.wait_text(chat, "Next steps", timeout=240)
        assert words[n] in feedback.lower(), f"chat {chat} got someone else's feedback"
        assert sum("Next steps" in t for t in bot.texts(chat)) == 1
