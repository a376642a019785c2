"""Answers made by the real application, and windows recounted from them, for the
analytics tests: what ClickHouse holds must equal a recount of the answers in the log."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from adapters.bootstrap import Container
from analytics.answers import AnswerAssembly
from analytics.pipeline import CaptureLag, StageCounts
from analytics.store import AnalyticsStore, migrate, write_rows
from analytics.windows import AnswerFact, Tally, Windows
from domain.prompts import get_prompt
from tests.support.fakes import script

SPOKEN = "I@0.5-0.7 think@0.7-1.0 um@1.2-1.5 rivers@2.8-3.3 matter.@3.3-3.9"
MODES = ("free_talk", "ielts_part1", "job_interview")
Key = tuple[str, int, str, str]


def make_answers(container: Container, folder: Path, first: int, count: int) -> None:
    """`count` answers, coached and delivered, of 7 learners over three modes."""
    app = container.app
    for n in range(first, first + count):
        mode = MODES[n % len(MODES)]
        learner = app.register_learner("telegram", str(1000 + n % 7), mode, "B2")
        if app.get_learner(learner).mode != mode:
            app.change_settings(learner, mode, "B2")
        session_id = app.start_session(learner, get_prompt("toefl-int-06"), source_key=f"k{n}")
        ref = container.store.put(script(folder / f"{n}.txt", SPOKEN))
        attempt = app.receive_audio(session_id, ref, 100, "audio/ogg")
        app.mark_delivered(session_id, attempt, "telegram", str(n))


def facts_in_log(container: Container) -> list[AnswerFact]:
    app, assembly, facts = container.app, AnswerAssembly(), []
    for notification in app.recorder.select_notifications(start=1, limit=100_000):
        fact = assembly.take(notification.id, app.mapper.to_domain_event(notification))
        if fact is not None:
            facts.append(fact)
    return facts


def stored_windows(store: AnalyticsStore) -> dict[Key, dict[str, Any]]:
    rows = store.rows(
        "SELECT sliding, toUnixTimestamp(start) AS start, dimension, value, answers, "
        "active_learners, mean_wpm FROM answer_windows FINAL"
    )
    return {(r["sliding"], int(r["start"]), r["dimension"], r["value"]): r for r in rows}


def recounted(facts: list[AnswerFact]) -> dict[Key, Tally]:
    tallies: dict[Key, Tally] = {}
    for fact in facts:
        for sliding in Windows().slidings:
            for start in sliding.starts(fact.at):
                for dimension, value in fact.dimensions():
                    tallies.setdefault((sliding.name, start, dimension, value), Tally()).add(fact)
    return tallies


def assert_windows_match(store: AnalyticsStore, facts: list[AnswerFact]) -> None:
    """Every window in the store equals a recount of `facts`, and there is no other."""
    stored, expected = stored_windows(store), recounted(facts)
    assert set(stored) == set(expected), "a row for each window that holds an answer"
    for key, tally in expected.items():
        row = stored[key]
        assert (row["answers"], row["active_learners"]) == (tally.answers, len(tally.learners))
        assert row["mean_wpm"] == pytest.approx(tally.row()["mean_wpm"])
    stages = Counter(stage for fact in facts for stage in fact.stages)
    stored_stages = {
        (r["stage"], r["provider"], r["outcome"]): int(r["answers"])
        for r in store.rows("SELECT stage, provider, outcome, sum(answers) AS answers FROM "
                            "stage_outcomes FINAL GROUP BY stage, provider, outcome")
    }  # fmt: skip
    assert stored_stages == dict(stages), "each answer's stages, counted once"


def assert_lag_read(store: AnalyticsStore, events: int) -> None:
    """The capture lag was measured for every event read (some more than once, after a
    crash), and is a time, not nonsense."""
    (row,) = store.rows("SELECT sum(events) AS events, max(lag_max_s) AS longest, "
                        "min(lag_p50_s) AS shortest FROM capture_lag FINAL")  # fmt: skip
    assert int(row["events"]) >= events
    assert 0 <= row["shortest"] <= row["longest"] < 3_600


LEARNERS = ("ann", "bo", "cy")
SEEDED_MODES = ("free_talk", "ielts_part2")


def seed_windows(store: AnalyticsStore, answers: int, every_s: float, now: float) -> None:
    """`answers` answers, one every `every_s` seconds, of learners ann, bo and cy in turn,
    modes free_talk and ielts_part2 (levels B1 and C1) in turn, from three days before `now`;
    one in 17 fails. Folded into windows and written to `store`, migrated first."""
    migrate(store)
    windows, stages, lag = Windows(), StageCounts(), CaptureLag()
    for n in range(answers):
        failed = n % 17 == 0
        fact = AnswerFact(
            at=now - 3 * 86_400 + n * every_s, learner=LEARNERS[n % 3],
            mode=SEEDED_MODES[n % 2], level=("B1", "C1")[n % 2],
            failed=failed, latency_s=2.0 + n % 5,
            measures={} if failed else {"words": 90.0, "seconds": 45.0, "wpm": 120.0 + n % 30,
                      "fillers_per_100_words": 3.0, "long_pauses_per_minute": 1.5,
                      "mattr": 0.7, "score": 0.6 + (n % 4) / 10},
            stages=seeded_stages(n),
        )  # fmt: skip
        windows.add(fact)
        stages.add(fact, watermark=-math.inf)
        lag.add(read_at=fact.at + 1, lags=[SEEDED_LAGS_S[n % len(SEEDED_LAGS_S)]])
    write_rows(store, [*windows.flush(), *stages.flush(math.inf), *lag.flush(math.inf)])


SEEDED_LAGS_S = (0.4, 0.6, 0.8, 1.0, 3.0)


def seeded_stages(n: int) -> tuple[tuple[str, str, str], ...]:
    """Seeded answer n's stages: one in 17 given up at transcription (no speech), one in
    5 of the rest coached by Anthropic after OpenAI's rate limit, the others by OpenAI."""
    if n % 17 == 0:
        return (("transcription", "none", "no_speech"), ("delivery", "telegram", "ok"))
    feedback = (("feedback", "OpenAI", "rate_limited"), ("feedback", "Anthropic", "ok")) if (
        n % 5 == 0) else (("feedback", "OpenAI", "ok"),)  # fmt: skip
    return (("transcription", "openai:whisper-1", "ok"), *feedback, ("delivery", "telegram", "ok"))
