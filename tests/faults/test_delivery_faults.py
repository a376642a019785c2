"""Telegram failing while the feedback goes out: each answer ends with its feedback
delivered exactly once, or with one final failure recorded, never doubled, never stranded."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import httpx
import pytest

from domain.errors import SessionStateError
from tests.e2e.telegram_harness import BotUnderTest, scripted_bot

_TEXT = (
    "I think rivers matter because they give cities water food and a place to rest and "
    "people walk beside them every evening with their families and friends"
)
_WORDS = _TEXT.split()


def _spoken(words: int) -> bytes:
    """A scripted answer of `words` words, 2.5 a second."""
    timed = [
        f"{_WORDS[n % len(_WORDS)]}@{n * 0.4 + 0.5:.1f}-{n * 0.4 + 0.8:.1f}" for n in range(words)
    ]
    return " ".join(timed).encode()


SHORT, LONG = _spoken(30), _spoken(700)  # one message of feedback; two


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotUnderTest]:
    home = tmp_path_factory.mktemp("delivery")
    with scripted_bot(home, delivery_give_up_s=4) as running:
        yield running


def _answer(bot: BotUnderTest, chat: int, spoken: bytes) -> None:
    file = bot.fake.add_file(spoken)
    assert bot.post(bot.fake.voice_update(chat, file, duration=5)).status_code == 200


def _feedback_parts(bot: BotUnderTest, chat: int) -> list[str]:
    """The feedback messages in the chat as the learner sees them (status lines aside)."""
    texts = [str(message.get("text", "")) for message in bot.fake.messages_in(chat)]
    return [t for t in texts if "Feedback ·" in t or "Next steps" in t or "stronger answer" in t]


def _placeholders(bot: BotUnderTest, chat: int) -> list[str]:
    """Messages opened for a part and never filled."""
    texts = [str(message.get("text", "")) for message in bot.fake.messages_in(chat)]
    return [t for t in texts if t.startswith("📝 About your answer")]


def _settled(bot: BotUnderTest, timeout: float = 60) -> None:
    """Wait until no answer is in progress (each delivered, or given up for good)."""
    deadline = time.monotonic() + timeout
    while True:
        ready = httpx.get(f"{bot.url}/readyz", timeout=10).json()
        if ready["views_behind"] == 0 and ready["in_progress"] == 0:  # seen all, none open
            return
        assert time.monotonic() < deadline, f"an answer stayed in progress: {ready}"
        time.sleep(0.1)


def test_a_429_is_honoured_and_the_feedback_arrives_once_after_the_wait(bot: BotUnderTest):
    bot.fake.fail_next(
        "editMessageText", status=429, retry_after=2, matching="Next steps", chat_id=301
    )
    _answer(bot, 301, SHORT)
    bot.wait_text(301, "Next steps")
    _settled(bot)
    tries = bot.fake.calls_to("editMessageText", 301)
    refused = [c for c in tries if c.status == 429]
    taken = [c for c in tries if c.ok and "Next steps" in str(c.params["text"])]
    assert len(refused) == 1
    assert len(taken) == 1
    assert taken[0].at - refused[0].at >= 2.0, "not sent again before Telegram's retry_after"


def test_a_500_on_the_second_part_sends_only_that_part_again(bot: BotUnderTest):
    bot.fake.fail_next("editMessageText", status=500, matching="Next steps", chat_id=302)
    _answer(bot, 302, LONG)
    bot.wait_text(302, "Next steps")
    _settled(bot)
    parts = _feedback_parts(bot, 302)
    assert len(parts) == 2, "this answer's feedback takes two messages"
    assert sum("Feedback ·" in p for p in parts) == 1, "the first part arrived once"
    assert sum("Next steps" in p for p in parts) == 1, "the second part arrived once"
    assert _placeholders(bot, 302) == [], "the message opened for it was filled"


def test_a_chat_that_blocked_the_bot_ends_its_delivery_at_once(bot: BotUnderTest):
    bot.fake.fail_next("editMessageText", status=403, times=100, matching="Next steps", chat_id=303)
    _answer(bot, 303, SHORT)
    _settled(bot)

    def tried() -> list[int]:
        calls = bot.fake.calls_to("editMessageText", 303)
        return [c.status for c in calls if "Next steps" in str(c.params)]

    assert tried() == [403], "tried once: a blocked chat stays blocked"
    time.sleep(1.0)
    assert tried() == [403]


def test_a_telegram_that_keeps_failing_is_retried_with_growing_pauses_then_given_up(
    bot: BotUnderTest,
):
    bot.fake.fail_next("editMessageText", status=500, times=100, matching="Next steps", chat_id=304)
    _answer(bot, 304, SHORT)
    _settled(bot, timeout=30)  # this bot gives up once an answer is 4 s old
    calls = bot.fake.calls_to("editMessageText", 304)
    tried = [c for c in calls if "Next steps" in str(c.params)]
    assert 2 <= len(tried) <= 4, "retried, with pauses of about 2 s and then 4 s"
    pauses = [b.at - a.at for a, b in itertools.pairwise(tried)]
    assert all(pause >= 1.9 for pause in pauses), pauses
    assert not any(c.ok for c in tried)


def test_a_sent_part_whose_record_fails_for_a_moment_is_not_sent_again(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
):
    """The database restarts just after Telegram took the feedback: the notifier waits to
    record it, rather than failing the step and sending it again."""
    app = bot.app.state.runtime.app
    record = app.record_part_sent
    failures = itertools.count()

    def restarting(*args: object, **kwargs: object) -> None:
        if next(failures) < 2:
            raise RuntimeError("the database is restarting")
        record(*args, **kwargs)

    monkeypatch.setattr(app, "record_part_sent", restarting)
    _answer(bot, 7301, SHORT)
    _settled(bot)
    assert len(_feedback_parts(bot, 7301)) == 1
    assert next(failures) >= 3, "the record failed twice before it was kept"


def test_a_step_stopped_between_telegram_taking_a_part_and_its_record_does_not_send_it_twice(
    bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
):
    """The notify step stops right after the part is in the chat, before its record (as
    a worker killed there would); run again, it fills the message it opened before."""
    app = bot.app.state.runtime.app
    record = app.record_part_sent
    stopped = itertools.count()

    def stopping(*args: object, **kwargs: object) -> None:
        if next(stopped) == 0:
            raise SessionStateError("the step stops here")
        record(*args, **kwargs)

    monkeypatch.setattr(app, "record_part_sent", stopping)
    _answer(bot, 7302, LONG)
    _settled(bot)
    parts = _feedback_parts(bot, 7302)
    assert next(stopped) >= 3, "the step stopped once, then recorded both parts"
    assert sum("Feedback ·" in p for p in parts) == 1, parts
    assert sum("Next steps" in p for p in parts) == 1, parts
    assert _placeholders(bot, 7302) == []
