"""The Grafana dashboards: the files Grafana provisions are the ones the code builds, they
parse under the Grafana Foundation SDK's strict decoder, and every panel's SQL (Grafana's
macros and variables filled in) runs on ClickHouse over seeded windows with the columns
its panel draws."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analytics.dashboards import DASHBOARDS, filled, write
from analytics.store import ChdbStore
from tests.support.analytics import (
    LEARNERS,
    SEEDED_LAGS_S,
    SEEDED_MODES,
    seed_windows,
    seeded_stages,
)

ROOT = Path(__file__).resolve().parents[2]
PROVISIONED = ROOT / "deploy" / "grafana" / "dashboards"
NOW = int(time.time())
SEEDED = 300  # answers


def test_the_provisioned_files_are_the_dashboards_the_code_builds(tmp_path: Path):
    built = {path.name: path.read_text() for path in write(tmp_path)}
    provisioned = {path.name: path.read_text() for path in PROVISIONED.glob("*.json")}
    assert provisioned == built, (
        "run `uv run speech-coach analytics dashboards` and commit deploy/grafana/dashboards"
    )


@pytest.mark.slow
def test_every_dashboard_parses_under_grafanas_strict_decoder():
    files = sorted(str(path) for path in PROVISIONED.glob("*.json"))
    checked = subprocess.run(
        ["go", "run", ".", *files], cwd=ROOT / "tests" / "grafana", capture_output=True,
        text=True, timeout=600, check=False,
        env={**os.environ, "PATH": f"/usr/local/go/bin:{os.environ['PATH']}"},
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": ok") == len(DASHBOARDS) == len(files)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChdbStore]:
    """Three days of answers of three learners in two modes, up to now, in the windows."""
    store = ChdbStore(tmp_path_factory.mktemp("chdb"))
    seed_windows(store, answers=SEEDED, every_s=860, now=NOW)
    yield store
    store.close()


def _filled(sql: str, variables: dict[str, str]) -> str:
    """The SQL as Grafana's ClickHouse data source sends it, for the last 7 days."""
    sql = filled(sql, NOW - 7 * 86_400, NOW, variables)
    assert "$" not in sql, f"a macro or variable is left: {sql}"
    return sql


def _panels() -> list[tuple[str, dict[str, Any]]]:
    return [(d.uid, panel) for d in DASHBOARDS for panel in d.to_json()["panels"]]


VARIABLES = {"sliding": "1h/5m", "learner": "bo", "mode": "free_talk"}


@pytest.mark.parametrize(("uid", "panel"), _panels(), ids=lambda p: p if isinstance(p, str)
                         else p["title"])  # fmt: skip
def test_each_panels_sql_draws_rows_from_the_windows(
    seeded: ChdbStore, uid: str, panel: dict[str, Any]
):
    target = panel["targets"][0]
    rows = seeded.rows(_filled(target["rawSql"], VARIABLES))
    assert rows, f"{uid}: {panel['title']} drew nothing"
    columns = list(rows[0])
    if panel["type"] == "timeseries":
        assert columns[0] == "time"
        values = [c for c in columns[1:] if not isinstance(rows[0][c], str)]  # not a label
        assert values, "a series has figures to draw"
        assert all(isinstance(r[c], int | float) or r[c] is None for r in rows for c in values)
    elif panel["type"] == "barchart":
        assert columns == ["hour", "answers"]
        assert [r["hour"] for r in rows] == [str(h) for h in range(24)], "every hour, in order"
        assert sum(int(r["answers"]) for r in rows) > 0
    elif panel["type"] == "table":
        assert {"dimension", "value", "answers"} <= set(columns) or columns == [
            "stage", "provider", "outcome", "times"]  # fmt: skip
    else:
        assert panel["type"] == "stat"
        assert int(rows[0]["behind_s"]) >= 0


def test_each_variable_lists_values_the_panels_can_use(seeded: ChdbStore):
    for dashboard in DASHBOARDS:
        for variable in dashboard.to_json()["templating"]["list"]:
            if variable["type"] != "query":
                continue
            values = [row["value"] for row in seeded.rows(variable["query"])]
            expected = {"learner": set(LEARNERS), "mode": set(SEEDED_MODES)}[variable["name"]]
            assert set(values) == expected, (dashboard.uid, variable["name"])


def test_a_series_of_one_learner_shows_only_that_learner(seeded: ChdbStore):
    panel = next(p for uid, p in _panels() if uid == "speech-coach-learner")
    rows = seeded.rows(_filled(panel["targets"][0]["rawSql"], VARIABLES))
    assert max(int(r["answers"]) for r in rows) <= 100 * 7 / 3 + 1, "bo's answers, not all"
    json.dumps(rows)  # plain values, as the data source returns them


def _pipeline_rows(store: ChdbStore, title: str) -> list[dict[str, Any]]:
    panel = next(p for uid, p in _panels() if p["title"] == title)
    return store.rows(_filled(panel["targets"][0]["rawSql"], VARIABLES))


def test_failures_show_by_stage_and_provider_with_their_counts(seeded: ChdbStore):
    """Every seeded answer's failed stages, counted once, whatever the time range's windows."""
    expected: dict[tuple[str, str, str], int] = {}
    for n in range(SEEDED):
        for stage in seeded_stages(n):
            if stage[2] != "ok":
                expected[stage] = expected.get(stage, 0) + 1
    rows = _pipeline_rows(seeded, "Failures by stage and provider")
    shown = {(r["stage"], r["provider"], r["outcome"]): int(r["times"]) for r in rows}
    assert shown == expected
    failovers = shown[("feedback", "OpenAI", "rate_limited")]
    assert failovers > shown[("transcription", "none", "no_speech")]


def test_who_answered_adds_up_to_every_answer_each_stage_served(seeded: ChdbStore):
    rows = _pipeline_rows(seeded, "Who answered each stage")
    served: dict[str, int] = {}
    for row in rows:
        served[row["answered"]] = served.get(row["answered"], 0) + int(row["answers"])
    anthropic = sum(1 for n in range(SEEDED) if n % 17 and n % 5 == 0)
    assert served["feedback by Anthropic"] == anthropic
    assert served["feedback by OpenAI"] + anthropic == served["transcription by openai:whisper-1"]
    assert served["delivery by telegram"] == SEEDED


def test_capture_lag_shows_its_percentiles_per_minute(seeded: ChdbStore):
    rows = _pipeline_rows(seeded, "Capture lag (event recorded to the dataflow reading it)")
    assert rows, "a minute of reading per seeded answer"
    longest = max(SEEDED_LAGS_S)
    for row in rows:
        assert 0 < row["p50"] <= row["p95"] <= row["longest"] <= longest
