"""`speech-coach`: the command line entry point. Each sub-command lives in its own module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from adapters.cli import analytics, analyze, bot, migrate, practice, reports, streams
from domain.errors import SpeechCoachError
from domain.prompts import MODES

_NO_WORKERS = "do not start a worker process: `speech-coach work` runs elsewhere"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="speech-coach",
        description="Practise spoken English: record an answer, get precise, honest feedback.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cmd = commands.add_parser("analyze", help="measure one recording: transcript, pace, pauses")
    cmd.add_argument("file", help="an audio file (OGG voice note, MP3, M4A, WAV...)")
    cmd.add_argument("--json", action="store_true", help="print one JSON object")
    cmd.set_defaults(run=analyze.run)

    cmd = commands.add_parser("try", help="coach one answer end to end and keep it in history")
    cmd.add_argument("file", nargs="?", help="your recorded answer; default: a bundled sample")
    cmd.add_argument("--mode", choices=MODES, help="the kind of practice (default: your last)")
    cmd.add_argument("--prompt", help="a prompt id from `speech-coach prompts`")
    cmd.add_argument("--json", action="store_true", help="print the feedback as JSON")
    cmd.set_defaults(run=practice.run)

    cmd = commands.add_parser("prompts", help="list the practice prompts")
    cmd.add_argument("--mode", choices=MODES)
    cmd.set_defaults(run=reports.prompts)

    cmd = commands.add_parser("history", help="your past answers with their scores")
    cmd.add_argument("--limit", type=int, default=20)
    cmd.set_defaults(run=reports.history)

    cmd = commands.add_parser("progress", help="your progress over time, with a PNG chart")
    cmd.add_argument("--chart", help="where to write the PNG (default: in the data folder)")
    cmd.set_defaults(run=reports.progress)

    cmd = commands.add_parser("serve", help="run the Telegram webhook server (FastAPI)")
    cmd.add_argument("--host", default="127.0.0.1")
    cmd.add_argument("--port", type=int, default=8080)
    cmd.add_argument("--no-workers", action="store_true", help=_NO_WORKERS)
    cmd.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="webhook processes on the port (default 1); more than one needs REDIS_URL, through "
        "which they share the updates handled and each learner's hourly count",
    )
    cmd.set_defaults(run=bot.serve)

    cmd = commands.add_parser("poll", help="run the Telegram bot with long polling (no public URL)")
    cmd.add_argument("--no-workers", action="store_true", help=_NO_WORKERS)
    cmd.set_defaults(run=bot.poll)

    cmd = commands.add_parser(
        "work", help="process the answers the bot records (serve and poll start one for you)"
    )
    cmd.add_argument("--nice", type=int, default=0, help="lower this process's CPU priority")
    cmd.add_argument("--parent", type=int, help="stop when the process with this id is gone")
    cmd.set_defaults(run=bot.work)

    cmd = commands.add_parser("set-webhook", help="tell Telegram where to deliver updates")
    cmd.add_argument("url", help="public HTTPS URL ending in /telegram/webhook")
    cmd.add_argument("--drop-pending-updates", action="store_true")
    cmd.set_defaults(run=bot.set_webhook)
    _add_topology_commands(commands)
    return parser


def _add_topology_commands(commands: Any) -> None:
    """The production topology's own processes and what operators ask of it."""
    cmd = commands.add_parser(
        "relay", help="publish the event log's step events to Redis Streams (REDIS_URL)"
    )
    cmd.add_argument("--metrics-port", type=int, help="serve Prometheus metrics on this port")
    cmd.set_defaults(run=streams.relay)

    cmd = commands.add_parser("worker", help="take answers' steps from Redis Streams (REDIS_URL)")
    cmd.add_argument(
        "kinds", nargs="+", choices=["transcribe", "coach", "notify", "all"], metavar="KIND",
        help="transcribe, coach, notify, or all (start more processes to scale a kind)",
    )  # fmt: skip
    cmd.add_argument("--nice", type=int, default=0, help="lower this process's CPU priority")
    cmd.add_argument("--metrics-port", type=int, help="serve Prometheus metrics on this port")
    cmd.set_defaults(run=streams.worker)

    cmd = commands.add_parser(
        "status", help="how far the relay, views and workers have got (streams, groups, lag)"
    )
    cmd.add_argument("--json", action="store_true", help="print one JSON object")
    cmd.set_defaults(run=streams.status)

    cmd = commands.add_parser("dead-letters", help="answers' steps given up on (Redis Streams)")
    cmd.add_argument("action", choices=["list", "replay"])
    cmd.add_argument("ids", nargs="*", help="dead letters to replay (ids from `list`)")
    cmd.add_argument("--all", action="store_true", help="replay every dead letter")
    cmd.set_defaults(run=streams.dead_letters)

    cmd = commands.add_parser("migrate", help="make the event store's tables on DATABASE_URL")
    cmd.set_defaults(run=migrate.run)

    cmd = commands.add_parser("analytics", help="the population's figures in sliding windows")
    actions = cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    act = actions.add_parser("run", help="read the event log into the windows (ClickHouse)")
    act.add_argument("--follow", action="store_true", help="keep reading new events until stopped")
    act.set_defaults(run=analytics.run)
    act = actions.add_parser("report", help="print the latest windows")
    act.add_argument(
        "--by",
        choices=["all", "mode", "level", "learner"],
        default="all",
        help="the population as a whole, or one group per mode, level, learner",
    )
    act.add_argument("--last", type=int, default=6, help="how many windows of each kind")
    act.add_argument("--json", action="store_true", help="print one JSON object")
    act.set_defaults(run=analytics.report)
    act = actions.add_parser("serve", help="the dashboards as web pages, the dataflow beside")
    act.add_argument("--host", default="127.0.0.1", help="address to listen on")
    act.add_argument("--port", type=int, default=8300, help="port (default: %(default)s)")
    act.add_argument(
        "--no-follow",
        dest="follow",
        action="store_false",
        help="serve what the windows hold; do not read new events",
    )
    act.set_defaults(run=analytics.serve)
    act = actions.add_parser("dashboards", help="write the Grafana dashboards (JSON)")
    act.add_argument(
        "--out",
        default="deploy/grafana/dashboards",
        help="the folder Grafana provisions (default: %(default)s)",
    )
    act.set_defaults(run=analytics.dashboards)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except SpeechCoachError as error:  # e.g. a configured speech model that is not there
        print(f"Sorry: {error}", file=sys.stderr)
        return 2
    except ValidationError as error:  # a setting in the environment has a wrong value
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        print(f"Sorry, a setting is wrong: {problems}. See README, Configuration.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
