"""`speech-coach relay | worker`: the production topology's processes, over Redis Streams.

The relay publishes the event log's step events to Redis Streams; workers of each kind take
them in consumer groups. Both need REDIS_URL and an event store that other processes read.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any

from adapters.logs import configure_logging
from adapters.settings import Settings


def _settings_or_exit() -> Settings | None:
    settings = Settings()
    if settings.redis_url is None:
        print("Set REDIS_URL (deploy/local/services up redis prints it).", file=sys.stderr)
        return None
    if not settings.shared_store:
        print(
            "The relay and the workers are processes of their own: they need an event store "
            "that other processes read. Set DATABASE_URL, or unset SPEECH_COACH_EVENT_STORE.",
            file=sys.stderr,
        )
        return None
    return settings


def relay(args: argparse.Namespace) -> int:
    """Publish step events to Redis Streams, and keep the views, until stopped."""
    from adapters.roles import start

    settings = _settings_or_exit()
    if settings is None:
        return 2
    configure_logging("relay", settings.log_format)
    if args.metrics_port:
        from adapters.metrics import serve_metrics, watch_streams

        watch_streams(_redis(settings))
        serve_metrics(args.metrics_port)

    async def run() -> int:
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        running = await start(settings, "relay")
        try:
            while not stop.is_set() and running.error is None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.5)
        finally:
            await running.close()
        return 1 if running.error is not None else 0

    return asyncio.run(run())


def worker(args: argparse.Namespace) -> int:
    """Workers of the given kinds over Redis Streams, one consumer of each kind's group."""
    from adapters.cli.bot import run_workers
    from adapters.streams.workers import KINDS

    settings = _settings_or_exit()
    if settings is None:
        return 2
    kinds = KINDS if "all" in args.kinds else tuple(dict.fromkeys(args.kinds))
    if args.metrics_port:
        from adapters.metrics import serve_metrics

        serve_metrics(args.metrics_port)
    return run_workers(settings, args.nice, None, kinds=kinds)


def status(args: argparse.Namespace) -> int:
    """Where every part has got: the event log, the relay, the views, streams and groups."""
    import json

    from adapters.bootstrap import coaching_app
    from adapters.streams.operations import Status, log_position, redis_state, step_events_after
    from adapters.streams.relay import relay_position_store
    from projections.stores import open_view

    settings = Settings()
    app = coaching_app(settings)
    try:
        env = settings.eventsourcing_env()
        view, close_view = open_view(settings.views_env())
        views_position = view.max_tracking_id(app.name)
        close_view()
        positions, close_positions = relay_position_store(env)
        relay_position = positions.max_tracking_id(app.name)
        close_positions()
        state = Status(
            _store_text(settings), log_position(app), relay_position,
            step_events_after(app, relay_position), views_position,
            "not used (REDIS_URL is not set)",
        )  # fmt: skip
        if settings.redis_url is not None:
            client = _redis(settings)
            state.redis, state.groups, state.dead_letters = redis_state(client)
            client.close()
    finally:
        app.close()
    if args.json:
        print(json.dumps(state.to_dict(), indent=2))
    else:
        _print_status(state)
    return 0 if state.healthy or settings.redis_url is None else 1


def _print_status(state: Any) -> None:
    print(f"event store  {state.store}: {state.log_position} events")
    relay = "not run yet" if state.relay_position is None else f"at {state.relay_position}"
    relay += f", {state.relay_lag} step events to publish"
    print(f"relay        {relay}")
    print(f"views        at {state.views_position or 0}")
    print(f"redis        {state.redis}")
    for group in state.groups:
        lag = "?" if group.lag is None else str(group.lag)
        print(f"  {group.stream:<34} {group.group:<10} consumers {group.consumers:<3} "
              f"pending {group.pending:<4} waiting {lag}")  # fmt: skip
    if state.redis == "up":
        print(f"dead letters {state.dead_letters}" + (
            " (speech-coach dead-letters list)" if state.dead_letters else ""))  # fmt: skip


def dead_letters(args: argparse.Namespace) -> int:
    """List the entries that were given up on, or put them back on their streams."""
    from adapters.streams.operations import dead_letters as stored
    from adapters.streams.operations import replay

    settings = _settings_or_exit()
    if settings is None:
        return 2
    client = _redis(settings)
    try:
        letters = stored(client)
        if args.action == "list":
            if not letters:
                print("No dead letters.")
            for letter in letters:
                print(f"{letter.id}  {letter.kind:<10} {letter.fields.get('topic', '?'):<17} "
                      f"session {letter.fields.get('session_id', '?')} "
                      f"attempt {letter.fields.get('attempt', '?')}  "
                      f"after {letter.failures} tries: {letter.error}")  # fmt: skip
            return 0
        chosen = [letter for letter in letters if args.all or letter.id in args.ids]
        missing = set(args.ids) - {letter.id for letter in letters}
        if missing:
            print(f"No such dead letter: {', '.join(sorted(missing))}", file=sys.stderr)
            return 2
        if not chosen:
            print("Nothing to replay: name dead letters by id, or pass --all.", file=sys.stderr)
            return 2
        for letter in chosen:
            added = replay(client, letter)
            print(f"{letter.id} -> {letter.stream} {added}")
        print("A step does nothing for an attempt that already has its outcome.")
        return 0
    finally:
        client.close()


def _redis(settings: Settings) -> Any:
    import redis

    if settings.redis_url is None:
        raise ValueError("REDIS_URL is not set")
    return redis.Redis.from_url(settings.redis_url.get_secret_value(), socket_timeout=5,
                                socket_connect_timeout=5)  # fmt: skip


def _store_text(settings: Settings) -> str:
    env = settings.eventsourcing_env()
    if settings.store_kind == "postgres":
        return (f"PostgreSQL {env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/"
                f"{env['POSTGRES_DBNAME']} (schema {env['POSTGRES_SCHEMA']})")  # fmt: skip
    if settings.store_kind == "sqlite":
        return f"SQLite {settings.event_store_path}"
    return "in memory"
