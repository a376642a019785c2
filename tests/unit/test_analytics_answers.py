"""The analytics join each answer's events, from the real application's log, into one
answer: its learner, mode and level, its figures, whether it failed, and how long the
learner waited; the log read again counts nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.bootstrap import Container
from analytics.answers import AnswerAssembly, served
from analytics.windows import AnswerFact
from domain.prompts import get_prompt
from domain.usage import Usage
from tests.support.answers import scripted_container
from tests.support.fakes import ScriptedSpeechToText, script

SPOKEN = (
    "I@0.5-0.7 think@0.7-1.0 um@1.2-1.5 students@2.8-3.3 should@3.3-3.6 work@3.6-3.9 "
    "because@3.9-4.3 they@4.3-4.5 learn@4.5-4.8 um@4.9-5.2 responsibility.@5.2-6.0"
)


@pytest.fixture
def container(tmp_path: Path) -> Iterator[Container]:
    with scripted_container(tmp_path / "home") as built:
        yield built


def _answer(container: Container, tmp_path: Path, who: str, spoken: str, key: str) -> None:
    app = container.app
    learner = app.register_learner("telegram", who, "toefl_interview", "B2")
    session_id = app.start_session(learner, get_prompt("toefl-int-06"), source_key=key)
    ref = container.store.put(script(tmp_path / f"{key}.txt", spoken))
    attempt = app.receive_audio(session_id, ref, 100, "audio/ogg")
    app.mark_delivered(session_id, attempt, "telegram", "7")


def _facts(container: Container, assembly: AnswerAssembly) -> list[AnswerFact]:
    app = container.app
    taken = []
    for notification in app.recorder.select_notifications(start=1, limit=10_000):
        fact = assembly.take(notification.id, app.mapper.to_domain_event(notification))
        if fact is not None:
            taken.append(fact)
    return taken


def test_each_finished_answer_becomes_one_fact_with_its_figures(container, tmp_path):  # type: ignore[no-untyped-def]
    _answer(container, tmp_path, "1001", SPOKEN, "a")
    container.app.change_settings(container.app.register_learner("telegram", "1002",
                                  "free_talk", "B1"), "free_talk", "C1")  # fmt: skip
    _answer(container, tmp_path, "1002", "error:invalid_audio", "b")
    assembly = AnswerAssembly()
    scored, failed = _facts(container, assembly)
    assert (scored.mode, scored.level, scored.failed) == ("toefl_interview", "B2", False)
    assert scored.measures["words"] == 9, "the words said, the two fillers aside"
    assert scored.measures["fillers_per_100_words"] == pytest.approx(100 * 2 / 9)
    assert 0 < scored.measures["score"] <= 1, "the score as a share of its scale"
    assert scored.latency_s is not None
    assert scored.latency_s >= 0
    assert failed.failed
    assert failed.level == "C1", "the level the learner chose last"
    assert "score" not in failed.measures, "a failed answer has no figures to average"
    assert scored.learner != failed.learner
    assert scored.stages == (
        ("transcription", ScriptedSpeechToText.name, "ok"),
        ("feedback", "rule-based", "ok"),
        ("delivery", "telegram", "ok"),
    ), "who answered each stage"
    assert failed.stages == (
        ("transcription", "none", "invalid_audio"),
        ("delivery", "telegram", "ok"),
    ), "where it was given up, and why; the learner was told"


def test_a_provider_that_failed_before_another_answered_is_in_the_stages():
    failed_over = Usage("Anthropic", failed_over=("OpenAI: rate_limited", "local: timeout"))
    assert served("feedback", failed_over) == [
        ("feedback", "OpenAI", "rate_limited"),
        ("feedback", "local", "timeout"),
        ("feedback", "Anthropic", "ok"),
    ]
    stt = Usage("local", failed_over=("openai:whisper-1: unauthorized",))
    assert served("transcription", stt)[0] == ("transcription", "openai:whisper-1", "unauthorized")


def test_the_log_read_again_counts_nothing_twice(container, tmp_path):  # type: ignore[no-untyped-def]
    _answer(container, tmp_path, "1001", SPOKEN, "a")
    assembly = AnswerAssembly()
    assert len(_facts(container, assembly)) == 1
    assert _facts(container, assembly) == [], "every event was taken before"
    assert assembly.skipped > 0


def test_an_answer_not_yet_delivered_is_not_counted_yet(container, tmp_path):  # type: ignore[no-untyped-def]
    app = container.app
    learner = app.register_learner("telegram", "1003", "free_talk", "B1")
    session_id = app.start_session(learner, get_prompt("toefl-int-06"), source_key="c")
    app.receive_audio(session_id, container.store.put(script(tmp_path / "c.txt", SPOKEN)),
                      100, "audio/ogg")  # fmt: skip
    assembly = AnswerAssembly()
    assert _facts(container, assembly) == []
    app.mark_delivered(session_id, 1, "telegram", "8")
    assert len(_facts(container, assembly)) == 1
