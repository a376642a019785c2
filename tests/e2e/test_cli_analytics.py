"""An analyst runs the analytics from the command line: answers become windows, a report
shows them, a following run stops cleanly, and a second process is told the store is busy."""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import SPEECH_COACH
from tests.support.clickhouse_http import clickhouse_http

pytestmark = pytest.mark.slow


def test_answers_show_in_the_report_after_a_run(speech_coach):  # type: ignore[no-untyped-def]
    assert speech_coach("analytics", "report").stdout.startswith("No windows yet")
    assert speech_coach("try", "--json", timeout=300).code == 0
    run = speech_coach("analytics", "run")
    assert run.code == 0, run.stderr
    assert "wrote" in run.stdout
    report = speech_coach("analytics", "report", "--json").json()
    latest_hour = report["1h/5m"][0]
    assert latest_hour["answers"] == 1
    assert latest_hour["active_learners"] == 1
    assert latest_hour["mean_wpm"] > 0
    assert [w["answers"] for w in report["7d/1d"]] == [1] * 6, "every week-long window holds it"
    charts = [Path(path) for path in report["charts"]]
    assert len(charts) == 6, "the population dashboard's six charts"
    for path in charts:
        png = path.read_bytes()
        assert png.startswith(b"\x89PNG"), path
        assert struct.unpack(">II", png[16:24]) == (800, 360), "a chart 800 x 360 px"
    by_mode = speech_coach("analytics", "report", "--by", "mode")
    assert "free_talk" in by_mode.stdout or "toefl" in by_mode.stdout, by_mode.stdout


def test_a_following_run_stops_cleanly_and_owns_its_store_meanwhile(speech_coach, home: Path):  # type: ignore[no-untyped-def]
    with _following(home) as following:
        busy = speech_coach("analytics", "report")
        assert busy.code == 2
        assert f"open in process {following.pid}" in busy.stderr
        assert "CLICKHOUSE_URL" in busy.stderr
    assert "Read 0 events" in following.out
    assert speech_coach("analytics", "report").code == 0, "the store is free again"


def test_with_a_clickhouse_server_a_following_run_and_reports_share_it(  # type: ignore[no-untyped-def]
    speech_coach, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """What the busy store's message advises: with CLICKHOUSE_URL the windows live in a
    server (clickhouse-connect over ClickHouse's HTTP protocol; here chDB behind it), so a
    report runs while the dataflow follows the events, from the same migrations and SQL."""
    with clickhouse_http(tmp_path / "server") as (url, server):
        monkeypatch.setenv("CLICKHOUSE_URL", url)
        assert speech_coach("try", "--json", timeout=300).code == 0
        with _following(home):
            report = _until_reported(speech_coach)
        assert report["1h/5m"][0]["answers"] == 1
        assert [w["answers"] for w in report["7d/1d"]] == [1] * 6
        assert len(report["charts"]) == 6, "the charts drawn from the server's windows"
        inserted = [s for s in server.statements if s.lstrip().upper().startswith("INSERT")]
        assert any("answer_windows" in s for s in inserted), "the windows went over the wire"
    assert not (home / "analytics" / "clickhouse").exists(), "no chDB folder beside the server"


def _until_reported(speech_coach: Any, timeout_s: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        report = speech_coach("analytics", "report", "--json")
        assert report.code == 0, report.stderr
        found: dict[str, Any] = report.json()
        if found.get("1h/5m") or time.monotonic() > deadline:
            return found
        time.sleep(1)


class _Following(subprocess.Popen[str]):
    out = ""


@contextlib.contextmanager
def _following(home: Path) -> Iterator[_Following]:
    """`speech-coach analytics run --follow`, once it says it follows; stopped with SIGTERM
    afterwards, as a terminal's Ctrl-C would, and it must end cleanly."""
    env = {**os.environ, "SPEECH_COACH_HOME": str(home)}
    following = _Following(
        [SPEECH_COACH, "analytics", "run", "--follow"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert following.stderr is not None
        assert "following it" in following.stderr.readline()
        yield following
    finally:
        following.send_signal(signal.SIGTERM)
        following.out, err = following.communicate(timeout=60)
    assert following.returncode == 0, err
