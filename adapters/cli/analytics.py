"""`speech-coach analytics run | report`: the population's figures in sliding windows.

`run` reads the event log into the analytics dataflow and writes each window to ClickHouse
(chDB under SPEECH_COACH_HOME/analytics, or the server CLICKHOUSE_URL names); `report`
prints the latest windows. chDB's folder is open in one process at a time, so `report`
on the embedded store runs when `run` is not running.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path
from typing import Any

from adapters.settings import Settings

SLIDINGS = {"1h/5m": "an hour, every 5 minutes", "7d/1d": "7 days, every day"}


def _store(settings: Settings) -> Any:
    from analytics.store import open_store

    url = settings.clickhouse_url.get_secret_value() if settings.clickhouse_url else None
    return open_store(url, settings.analytics_dir / "clickhouse")


def run(args: argparse.Namespace) -> int:
    """Read the events into the windows, to the end (or, with --follow, until stopped): from
    Debezium's topic when KAFKA_BOOTSTRAP_SERVERS is set, else from the event log itself."""
    from analytics import flow

    settings = Settings()
    progress = flow.Progress()
    app, source, decode, recovery = _events(settings, progress, follow=args.follow)
    store = _store(settings)
    where = "ClickHouse at CLICKHOUSE_URL" if settings.clickhouse_url else (
        f"chDB in {settings.analytics_dir / 'clickhouse'}")  # fmt: skip
    print(f"Reading {_what(settings)} into {where}"
          + (" (following it; Ctrl-C stops)" if args.follow else ""), file=sys.stderr)  # fmt: skip

    def stop(_signal: int, _frame: object) -> None:
        progress.stopping = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    try:
        flow.run(flow.Stoppable(source, progress), flow.WindowSink(store, progress), recovery,
                 lateness_s=settings.analytics_lateness_s, decode=decode)  # fmt: skip
    finally:
        store.close()
        app.close()
    print(f"Read {progress.events} events (up to #{progress.last_id}); wrote "
          f"{progress.rows} window rows.")  # fmt: skip
    return 0


def _what(settings: Settings) -> str:
    if settings.kafka_bootstrap_servers:
        return f"the topic {settings.events_topic} (Debezium)"
    return "the event log"


def _events(settings: Settings, progress: Any, *, follow: bool) -> tuple[Any, Any, Any, Path]:
    """The application (its mapper decodes events), the source, its decoder, and the
    recovery folder of that source (a snapshot of one source cannot resume another)."""
    from adapters.bootstrap import coaching_app
    from analytics import flow
    from application.coaching import CoachingApp

    if settings.kafka_bootstrap_servers:
        app = CoachingApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})  # its mapper only
        topic = settings.events_topic
        source = flow.kafka_source(settings.kafka_bootstrap_servers, topic, follow=follow)
        decode = flow.change_decoder(app.mapper, progress)
        return app, source, decode, settings.analytics_dir / f"recovery-{topic}"
    app = coaching_app(settings)
    log = flow.EventLogSource(app.recorder, app.mapper, follow=follow, progress=progress)
    return app, log, None, settings.analytics_dir / "recovery-log"


def report(args: argparse.Namespace) -> int:
    """The latest windows of the whole population, or of one dimension, and the population
    dashboard's charts of the last 7 days as PNG files."""
    from analytics.pages import charts
    from analytics.store import latest_windows

    settings = Settings()
    store = _store(settings)
    try:
        found = {
            sliding: latest_windows(store, sliding, args.by, limit=args.last)
            for sliding in SLIDINGS
        }
        drawn = charts(store, settings.analytics_dir / "charts") if any(found.values()) else []
    finally:
        store.close()
    if args.json:
        print(json.dumps({**found, "charts": [str(path) for path in drawn]}, default=str))
        return 0
    if not any(found.values()):
        print("No windows yet: run `speech-coach analytics run` after some answers.")
        return 0
    print(f"Charts of the last 7 days: {settings.analytics_dir / 'charts'} ({len(drawn)} PNG)")
    for sliding, rows in found.items():
        print(f"Windows of {SLIDINGS[sliding]} ({args.by}):")
        for row in rows:
            wpm = row["mean_wpm"]
            score = row["mean_score"]
            p95 = row["latency_p95_s"]
            print(
                f"  {row['start']}  {row['value']:<12} {row['answers']:>5} answers, "
                f"{row['active_learners']:>4} learners, "
                f"{'-' if wpm is None else f'{wpm:.0f}'} wpm, "
                f"score {'-' if score is None else f'{score:.0%}'}, "
                f"failed {row['failure_rate']:.0%}, "
                f"wait p95 {'-' if p95 is None else f'{p95:.1f} s'}"
                + ("" if row["final"] else "  (open)")
            )
    return 0


def serve(args: argparse.Namespace) -> int:
    """The dashboards as pages of our own, with the dataflow following the events beside
    them in this process (the one that owns a chDB folder), until stopped."""
    import threading

    import uvicorn

    from analytics import flow
    from analytics.pages import pages_app

    settings = Settings()
    progress = flow.Progress()
    store = _store(settings)
    app, source, decode, recovery = _events(settings, progress, follow=True)
    dataflow = threading.Thread(
        target=flow.run, name="analytics-dataflow", daemon=True,
        args=(flow.Stoppable(source, progress), flow.WindowSink(store, progress), recovery),
        kwargs={"lateness_s": settings.analytics_lateness_s, "decode": decode},
    )  # fmt: skip
    if args.follow:
        dataflow.start()
    reading = f"reading {_what(settings)}" if args.follow else "not reading new events"
    print(f"Dashboards on http://{args.host}:{args.port}/ ({reading}; Ctrl-C stops)",
          file=sys.stderr)  # fmt: skip
    try:
        uvicorn.run(pages_app(store, started=dataflow.is_alive), host=args.host, port=args.port,
                    log_level="warning")  # fmt: skip
    finally:
        progress.stopping = True
        if dataflow.is_alive():
            dataflow.join(timeout=60)
        store.close()
        app.close()
    return 0


def dashboards(args: argparse.Namespace) -> int:
    """Write the Grafana dashboards (JSON) into a folder Grafana provisions."""
    from analytics.dashboards import write

    for path in write(Path(args.out)):
        print(path)
    return 0
