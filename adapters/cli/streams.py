"""`speech-coach relay | worker`: the production topology's processes, over Redis Streams.

The relay publishes the event log's step events to Redis Streams; workers of each kind take
them in consumer groups. Both need REDIS_URL and an event store that other processes read.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

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
    from adapters.streams.relay import start_relay

    settings = _settings_or_exit()
    if settings is None:
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s relay %(message)s")
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    running = start_relay(settings)
    try:
        while not stop.wait(0.5) and running.error is None:
            pass
    finally:
        running.stop()
    return 1 if running.error is not None else 0


def worker(args: argparse.Namespace) -> int:
    """Workers of the given kinds over Redis Streams, one consumer of each kind's group."""
    from adapters.cli.bot import run_workers
    from adapters.streams.workers import KINDS

    settings = _settings_or_exit()
    if settings is None:
        return 2
    kinds = KINDS if "all" in args.kinds else tuple(dict.fromkeys(args.kinds))
    return run_workers(settings, args.nice, None, kinds=kinds)
