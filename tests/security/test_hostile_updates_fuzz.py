"""Whatever update-like JSON arrives with the right secret, the webhook answers without a 5xx,
and afterwards the bot still answers and still scores an answer.

Run with --hypothesis-show-statistics to see how many examples reached each answer.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.e2e.telegram_harness import BotUnderTest

COMMANDS = ["/start", "/help", "/practice", "/again", "/mode", "/settings", "/progress",
            "/history", "/start@SpeechCoachBot", "/nonsense", "/"]  # fmt: skip
CALLBACK_PREFIXES = ["mode:", "level:", "show:", ""]

# Telegram's ids fit in 52 bits; some of these reach past 64 bits.
huge = st.sampled_from([2**63 - 1, 2**63, -(2**63) - 1, 2**80])
ids = st.integers(-(2**52), 2**52) | huge
counts = st.integers(0, 2**31) | huge
texts = st.text(max_size=200)
json_values = st.recursive(
    st.none() | st.booleans() | ids | st.floats(allow_nan=False, allow_infinity=False) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
users = st.fixed_dictionaries(
    {"id": ids, "is_bot": st.booleans(), "first_name": texts},
    optional={"username": texts, "language_code": texts},
)
chats = st.fixed_dictionaries(
    {"id": ids, "type": st.sampled_from(["private", "group", "supergroup", "channel", "secret"])},
    optional={"first_name": texts, "title": texts},
)
entities = st.fixed_dictionaries(
    {"type": st.sampled_from(["bot_command", "bold", "mention", "text_link", "pre", "x"]),
     "offset": counts, "length": counts},
    optional={"url": texts, "language": texts},
)  # fmt: skip
audio_mimes = texts | st.sampled_from(["audio/ogg", "audio/mpeg"])
media = st.fixed_dictionaries(
    {"file_id": texts, "file_unique_id": texts, "duration": counts},
    optional={"file_size": counts, "mime_type": audio_mimes},
)
documents = st.fixed_dictionaries(
    {"file_id": texts, "file_unique_id": texts},
    optional={"file_name": texts | st.just("answer.ogg"), "mime_type": audio_mimes},
)
commands = st.sampled_from(COMMANDS)
messages = st.fixed_dictionaries(
    {"message_id": counts, "date": st.integers(0, 2**31), "chat": chats},
    optional={
        "from": users,
        "text": commands | texts | st.builds("{} {}".format, commands, texts),
        "entities": st.lists(entities, max_size=4),
        "caption": texts,
        "voice": media,
        "audio": media,
        "video_note": media,
        "document": documents,
    },
)
callback_queries = st.fixed_dictionaries(
    {"id": texts, "from": users, "chat_instance": texts},
    optional={
        "message": messages,
        "data": st.builds("{}{}".format, st.sampled_from(CALLBACK_PREFIXES), texts),
    },
)
update_ids = st.integers(1, 2**31)  # made unique by the test, unless swapped for other JSON
updates = st.one_of(
    st.fixed_dictionaries({"update_id": update_ids}, optional={"message": messages}),
    st.fixed_dictionaries({"update_id": update_ids, "callback_query": callback_queries}),
    st.fixed_dictionaries({"update_id": update_ids, "edited_message": messages}),
)


@st.composite
def near_updates(draw: st.DrawFn) -> Any:
    """An update with a field dropped, or its value swapped for any JSON."""
    update: dict[str, Any] = draw(updates)
    part = update["message"] if "message" in update and draw(st.booleans()) else update
    key = draw(st.sampled_from(sorted(part)))
    if draw(st.booleans()):
        del part[key]
    else:
        part[key] = draw(json_values)
    return update


fresh_update_ids = itertools.count(10**9)


@settings(max_examples=100, deadline=None)
@given(update=updates | near_updates() | json_values)
def test_no_update_like_json_gets_a_server_error(bot: BotUnderTest, update: Any):
    if isinstance(update, dict) and type(update.get("update_id")) is int:
        # Hypothesis repeats ids; a repeat would stop at the duplicate check.
        update["update_id"] = next(fresh_update_ids)
    response = bot.post(update)
    event(f"{response.status_code} {response.text}")
    assert response.status_code < 500, response.text


# These two run after the one above, on the same server (pytest keeps the file's order).
def test_the_bot_still_answers_help_after_the_hostile_updates(bot: BotUnderTest):
    bot.say(9_000_001, "/help")
    bot.wait_text(9_000_001, "How it works")


def test_the_bot_still_scores_an_answer_after_the_hostile_updates(
    bot: BotUnderTest, tmp_path: Path
):
    answer = tmp_path / "answer.txt"
    answer.write_text("I@0.5-0.8 like@0.8-1.1 quiet@1.3-1.8 parks@1.8-2.4")
    bot.send_voice(9_000_002, answer)
    bot.wait_text(9_000_002, "Next steps")
