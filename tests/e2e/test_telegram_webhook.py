"""The webhook's contract with Telegram: secret, validation, deduplication, fast answers; on
the embedded store and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from adapters.telegram.edge.webhook import SECRET_HEADER
from tests.e2e.telegram_harness import SECRET, BotUnderTest, running_bot
from tests.support.fakes import ScriptedDecoder, ScriptedSpeechToText
from tests.support.services import fresh_schema


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def bot(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotUnderTest]:
    """The webhook with its workers, on the embedded store and on PostgreSQL."""
    home = tmp_path_factory.mktemp("webhook")
    scripted = {"decoder": ScriptedDecoder(), "stt": ScriptedSpeechToText()}
    if request.param == "sqlite":
        with running_bot(home, **scripted) as running:
            yield running
        return
    url = request.getfixturevalue("postgres_url")
    with (
        fresh_schema(url) as schema,
        running_bot(home, database_url=url, postgres_schema=schema, **scripted) as running,
    ):
        yield running


@pytest.mark.parametrize("secret", [None, "wrong", ""])
def test_an_update_without_the_right_secret_is_refused(bot: BotUnderTest, secret: str | None):
    response = bot.post(bot.fake.text_update(501, "/help"), secret=secret)
    assert response.status_code == 403
    assert bot.fake.calls_to("sendMessage", 501) == []


def test_malformed_json_gets_a_4xx_not_a_retry_loop(bot: BotUnderTest):
    response = httpx.post(
        f"{bot.url}/telegram/webhook", content=b"{not json", headers={SECRET_HEADER: SECRET}
    )
    assert response.status_code == 400


def test_json_that_is_not_an_update_gets_400_not_fastapis_422(bot: BotUnderTest):
    assert bot.post({"update_id": "not a number"}).status_code == 400  # type: ignore[dict-item]
    assert bot.post({"message": {"text": "no update id"}}).status_code == 400


def test_the_openapi_document_declares_the_update_body_and_every_answer(bot: BotUnderTest):
    document = httpx.get(f"{bot.url}/openapi.json").json()
    webhook = document["paths"]["/telegram/webhook"]["post"]
    schemas = document["components"]["schemas"]
    body = webhook["requestBody"]["content"]["application/json"]["schema"]
    assert schemas[body["$ref"].rsplit("/", 1)[1]]["required"] == ["update_id"]
    assert schemas["Message"]["properties"]["date"]["type"] == "integer"  # Unix time, as sent
    assert set(webhook["responses"]) == {"200", "400", "403", "413", "503"}
    for answer in webhook["responses"].values():
        shape = answer["content"]["application/json"]["schema"]
        assert schemas[shape["$ref"].rsplit("/", 1)[1]]["required"] == ["ok"]
    (secret,) = document["components"]["securitySchemes"].values()
    assert (secret["type"], secret["in"], secret["name"]) == ("apiKey", "header", SECRET_HEADER)
    assert httpx.get(f"{bot.url}/docs").status_code == 200


def test_an_update_of_a_kind_we_do_not_handle_is_acknowledged_quietly(bot: BotUnderTest):
    update = {"update_id": 990001, "edited_channel_post": None, "poll": None}
    assert bot.post(update).status_code == 200
    assert bot.fake.calls_to("sendMessage", 0) == []


def test_a_redelivered_update_gets_200_and_one_reply(bot: BotUnderTest):
    update = bot.fake.text_update(502, "/help")
    assert bot.post(update).status_code == 200
    assert bot.post(update).status_code == 200
    bot.wait_text(502, "How it works")
    bot.say(502, "/settings")  # a later update is handled, so the duplicate had its chance
    bot.wait_text(502, "Level:")
    assert sum("How it works" in t for t in bot.texts(502)) == 1


def test_a_redelivered_voice_answer_is_scored_once(bot: BotUnderTest, tmp_path: Path):
    answer = tmp_path / "answer.txt"
    answer.write_text("I@0.5-0.8 like@0.8-1.1 my@1.1-1.3 city@1.3-1.8 because@2.9-3.4 it@3.4-3.5 "
                      "is@3.5-3.7 green@3.7-4.2")  # fmt: skip
    file = bot.fake.add_file(answer.read_bytes())
    update = bot.fake.voice_update(503, file, duration=5)
    assert bot.post(update).status_code == 200
    assert bot.post(update).status_code == 200
    bot.wait_text(503, "Next steps")
    bot.say(503, "/history")
    bot.wait_text(503, "Free talk")
    assert sum("Next steps" in t for t in bot.texts(503)) == 1


def test_health_and_readiness_answer(bot: BotUnderTest):
    assert httpx.get(f"{bot.url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{bot.url}/readyz").json()
    assert ready["status"] == "ready"
    assert httpx.get(f"{bot.url}/openapi.json").json()["info"]["title"] == "Speech Coach"


def test_the_bot_token_never_appears_in_a_webhook_url(bot: BotUnderTest):
    paths = httpx.get(f"{bot.url}/openapi.json").json()["paths"]
    assert all(bot.fake.token not in path for path in paths)


def test_a_learner_over_the_hourly_limit_is_answered_politely(tmp_path: Path):
    with running_bot(
        tmp_path / "limited", decoder=ScriptedDecoder(), stt=ScriptedSpeechToText(),
        answers_per_hour=1,
    ) as limited:  # fmt: skip
        first, second = tmp_path / "1.txt", tmp_path / "2.txt"
        first.write_text("I@0.5-0.8 agree@0.8-1.3")
        second.write_text("I@0.5-0.8 disagree@0.8-1.5")
        limited.send_voice(520, first)
        limited.wait_text(520, "Next steps")
        limited.send_voice(520, second)
        reply = limited.wait_text(520, "this hour")
        assert "try again in about" in reply
        assert sum("Next steps" in t for t in limited.texts(520)) == 1


def test_an_answer_that_could_not_be_recorded_is_taken_when_telegram_sends_it_again(
    bot: BotUnderTest, tmp_path: Path
):
    app = bot.app.state.runtime.services.intake.app
    record = app.answer_by_voice_many

    def locked_once(answers):  # type: ignore[no-untyped-def]
        app.answer_by_voice_many = record
        raise OSError("database is locked")

    app.answer_by_voice_many = locked_once
    answer = tmp_path / "answer.ogg"
    answer.write_text("I@0.5-0.8 like@0.8-1.1 green@1.3-1.8 parks@1.8-2.4")
    update = bot.fake.voice_update(504, bot.fake.add_file(answer.read_bytes()), duration=3)
    refused = bot.post(update)
    assert refused.status_code == 503, "Telegram retries an update that was not acknowledged"
    assert bot.post(update).status_code == 200, "the redelivery is not taken for a duplicate"
    bot.wait_text(504, "Next steps")


def test_settings_and_again_read_what_the_learner_just_chose(bot: BotUnderTest):
    chat = 505
    bot.say(chat, "/again")
    bot.wait_text(chat, "There is no prompt to repeat yet")
    bot.say(chat, "/start")
    bot.wait_text(chat, "What are you practising for?")
    bot.press(chat, "mode:ielts_part3")
    bot.wait_text(chat, "Which level")
    bot.press(chat, "level:C1")
    bot.wait_text(chat, "Level set to")
    bot.say(chat, "/settings")
    shown = bot.wait_text(chat, "Mode:")
    assert "Part 3" in shown
    assert "<b>C1</b>" in shown
    bot.say(chat, "/practice")
    prompt = bot.wait_text(chat, "Send your answer as a voice message")
    bot.say(chat, "/again")
    again = bot.wait_text(chat, "Same prompt again")
    assert prompt.split("⏱")[0] in again
