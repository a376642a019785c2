# ruff: noqa: S608 - the SQL here is text for Grafana's panels, built from our own constants
"""The analysts' dashboards, built as code: Grafana dashboard JSON whose panels query the
windows table in ClickHouse through Grafana's ClickHouse data source.

`speech-coach analytics dashboards --out deploy/grafana/dashboards` writes them; Grafana
provisions that folder (deploy/grafana/provisioning). Each panel's SQL uses the data
source's macros ($__timeFilter, $__fromTime, $__toTime) and the dashboard's variables, and
reads with FINAL, so that a window written again shows once, with its latest figures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analytics.store import LAG_TABLE, STAGES_TABLE, WINDOWS_TABLE

DATASOURCE = {"type": "grafana-clickhouse-datasource", "uid": "speech-coach-clickhouse"}
TIME_SERIES, TABLE = 0, 1  # the data source's result formats


@dataclass(frozen=True)
class Panel:
    title: str
    sql: str
    kind: str = "timeseries"  # or "table", "barchart", "stat"
    unit: str = ""
    width: int = 12
    description: str = ""

    @property
    def result(self) -> int:
        return TIME_SERIES if self.kind == "timeseries" else TABLE


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    description: str
    panels: tuple[Panel, ...]
    variables: tuple[dict[str, Any], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "title": self.title,
            "description": self.description,
            "tags": ["speech-coach"],
            "timezone": "utc",
            "editable": True,
            "graphTooltip": 1,
            "schemaVersion": 41,
            "version": 1,
            "refresh": "30s",
            "time": {"from": "now-7d", "to": "now"},
            "annotations": {"list": []},
            "templating": {"list": list(self.variables)},
            "panels": list(_laid_out(self.panels)),
        }


def _laid_out(panels: tuple[Panel, ...]) -> Iterator[dict[str, Any]]:
    x = y = 0
    for number, panel in enumerate(panels, start=1):
        if x + panel.width > 24:
            x, y = 0, y + 8
        yield {
            "id": number,
            "type": panel.kind,
            "title": panel.title,
            "description": panel.description,
            "datasource": DATASOURCE,
            "gridPos": {"h": 8, "w": panel.width, "x": x, "y": y},
            "fieldConfig": {"defaults": {"unit": panel.unit} if panel.unit else {},
                            "overrides": []},
            "options": {},
            "targets": [
                {
                    "refId": "A",
                    "datasource": DATASOURCE,
                    "editorType": "sql",
                    "queryType": "timeseries" if panel.result == TIME_SERIES else "table",
                    "format": panel.result,
                    "rawSql": panel.sql,
                }
            ],
        }  # fmt: skip
        x += panel.width


def _series(figures: str, dimension: str = "all", value: str = "", sliding: str = "${sliding}",
            label: str = "") -> str:  # fmt: skip
    """A time series of some figures of one dimension's windows, within the time range."""
    by_value = f", value AS {label}" if label else ""
    where_value = f" AND value = {value}" if value else ""
    return (
        f"SELECT start AS time{by_value}, {figures} FROM {WINDOWS_TABLE} FINAL "
        f"WHERE sliding = '{sliding}' AND dimension = '{dimension}'{where_value} "
        "AND $__timeFilter(start) ORDER BY time"
    )


SLIDING = {
    "name": "sliding",
    "label": "Window",
    "type": "custom",
    "query": "1h/5m,7d/1d",
    "current": {"text": "1h/5m", "value": "1h/5m"},
    "options": [
        {"text": "1h/5m", "value": "1h/5m", "selected": True},
        {"text": "7d/1d", "value": "7d/1d", "selected": False},
    ],
}

LEARNER = {
    "name": "learner",
    "label": "Learner",
    "type": "query",
    "datasource": DATASOURCE,
    "query": f"SELECT DISTINCT value FROM {WINDOWS_TABLE} WHERE dimension = 'learner' "
    "ORDER BY value",
    "refresh": 2,
}

MODE = {
    "name": "mode",
    "label": "Mode",
    "type": "query",
    "datasource": DATASOURCE,
    "query": f"SELECT DISTINCT value FROM {WINDOWS_TABLE} WHERE dimension = 'mode' ORDER BY value",
    "refresh": 2,
}

POPULATION = Dashboard(
    uid="speech-coach-population",
    title="Speech Coach · Population",
    description="Everyone's answers in sliding windows: how many, which modes and levels, "
    "pace, fillers and scores.",
    variables=(SLIDING,),
    panels=(
        Panel("Answers", _series("answers, active_learners")),
        Panel("Answers by mode", _series("answers", "mode", label="mode")),
        Panel("Pace (words a minute)", _series("mean_wpm", "mode", label="mode"), unit="none"),
        Panel(
            "Fillers per 100 words and long pauses a minute",
            _series("mean_fillers_per_100_words, mean_long_pauses_per_minute"),
        ),
        Panel(
            "Score (share of the exam's scale) by level",
            _series("mean_score", "level", label="level"),
            unit="percentunit",
        ),
        Panel(
            "Answers by hour of day (UTC)",
            "SELECT toString(hour) AS hour, answers FROM (SELECT toHour(start) AS hour, "
            f"sum(answers) AS answers FROM {WINDOWS_TABLE} FINAL WHERE sliding = '1h/5m' "
            "AND dimension = 'all' AND toMinute(start) = 0 AND $__timeFilter(start) "
            "GROUP BY hour ORDER BY hour WITH FILL FROM 0 TO 24)",  # every hour, 0 if none
            kind="barchart",
        ),
        Panel(
            "Modes and levels this week",
            f"SELECT dimension, value, answers, active_learners, round(mean_wpm) AS wpm, "
            f"round(mean_score, 2) AS score FROM {WINDOWS_TABLE} FINAL "
            "WHERE sliding = '7d/1d' AND dimension IN ('mode', 'level') "
            "AND start = toStartOfDay($__toTime) - toIntervalDay(6) "  # the week up to now
            "ORDER BY dimension, answers DESC",
            kind="table",
            width=24,
        ),
    ),
)

LEARNER_PROGRESS = Dashboard(
    uid="speech-coach-learner",
    title="Speech Coach · A learner's progress",
    description="One learner's answers over time, week by week: pace, fillers, pauses, "
    "vocabulary and score.",
    variables=(LEARNER,),
    panels=tuple(
        Panel(title, _series(figures, "learner", "'${learner}'", sliding="7d/1d"), unit=unit)
        for title, figures, unit in (
            ("Answers", "answers", "none"),
            ("Pace (words a minute)", "mean_wpm", "none"),
            ("Fillers per 100 words", "mean_fillers_per_100_words", "none"),
            ("Long pauses a minute", "mean_long_pauses_per_minute", "none"),
            ("Vocabulary (MATTR)", "mean_mattr", "none"),
            ("Score (share of the exam's scale)", "mean_score", "percentunit"),
        )
    ),
)

PIPELINE = Dashboard(
    uid="speech-coach-pipeline",
    title="Speech Coach · Pipeline health",
    description="How long learners wait for feedback, how often an answer fails, at which "
    "stage and provider, and how fresh the windows are.",
    variables=(SLIDING, MODE),
    panels=(
        Panel(
            "Wait from answer to feedback",
            _series("latency_p50_s AS p50, latency_p95_s AS p95"),
            unit="s",
        ),
        Panel("Failure rate", _series("failure_rate"), unit="percentunit"),
        Panel("Answers of the mode", _series("answers", "mode", "'${mode}'")),
        Panel(
            "Failures by stage and provider",
            "SELECT stage, provider, outcome, sum(answers) AS times FROM "
            f"{STAGES_TABLE} FINAL WHERE outcome != 'ok' AND $__timeFilter(start) "
            "GROUP BY stage, provider, outcome ORDER BY times DESC, stage, provider, outcome",
            kind="table",
            description="Each provider that failed (and why) before another answered, and "
            "each attempt given up (provider 'none'), in the time range.",
        ),
        Panel(
            "Who answered each stage",
            f"SELECT start AS time, concat(stage, ' by ', provider) AS answered, "
            f"sum(answers) AS answers FROM {STAGES_TABLE} FINAL WHERE outcome = 'ok' "
            "AND $__timeFilter(start) GROUP BY time, answered ORDER BY time, answered",
            description="Answers a provider served, per five minutes: a failover shows as "
            "the next provider's line rising.",
        ),
        Panel(
            "Capture lag (event recorded to the dataflow reading it)",
            f"SELECT start AS time, lag_p50_s AS p50, lag_p95_s AS p95, lag_max_s AS longest "
            f"FROM {LAG_TABLE} FINAL WHERE $__timeFilter(start) ORDER BY time",
            unit="s",
            description="Per minute of reading, through Debezium and Kafka where they "
            "carry the events; percentiles to within 15%.",
        ),
        Panel(
            "Newest window (seconds since it started)",
            f"SELECT max(start) AS newest, dateDiff('second', max(start), now()) AS behind_s "
            f"FROM {WINDOWS_TABLE} WHERE sliding = '1h/5m'",
            kind="stat",
        ),
    ),
)

DASHBOARDS = (POPULATION, LEARNER_PROGRESS, PIPELINE)
RANGES = {"1h": 3_600, "6h": 6 * 3_600, "24h": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400}


def filled(sql: str, start: int, end: int, variables: Mapping[str, str]) -> str:
    """A panel's SQL as Grafana's ClickHouse data source sends it: the time macros for
    [start, end] (seconds since the epoch) and the variables by value. The values must be
    ones the variable offers (our own store's, or the dashboard's): never a client's text."""
    since, until = f"toDateTime({int(start)})", f"toDateTime({int(end)})"
    sql = re.sub(r"\$__timeFilter\((\w+)\)", rf"\1 >= {since} AND \1 <= {until}", sql)
    sql = sql.replace("$__fromTime", since).replace("$__toTime", until)
    for name, value in variables.items():
        sql = sql.replace("${" + name + "}", value)
    return sql


def write(folder: Path) -> list[Path]:
    """Each dashboard as `<uid>.json` in `folder`: the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for dashboard in DASHBOARDS:
        path = folder / f"{dashboard.uid}.json"
        path.write_text(json.dumps(dashboard.to_json(), indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written
