"""`speech-coach serve | poll | work | set-webhook`: run the Telegram bot.

The bot's libraries (aiogram, FastAPI, uvicorn) are imported inside each command: every
other command of the CLI (`try`, `analyze`) starts without them."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from adapters.logs import configure_logging
from adapters.settings import Settings

ALLOWED_UPDATES = ["message", "callback_query"]


def _settings_or_exit(*, need_secret: bool = False, shared_store: bool = False) -> Settings | None:
    """The settings, or None after saying which variable is missing and what to set it to.

    `shared_store`: another process (a separate worker) must read the same event store.
    """
    settings = Settings()
    if shared_store and not settings.shared_store:
        print(
            "Workers in another process cannot see an in-memory event store. Unset "
            "SPEECH_COACH_EVENT_STORE (SQLite is the default), or drop --no-workers.",
            file=sys.stderr,
        )
        return None
    if settings.telegram_bot_token is None:
        print("Set TELEGRAM_BOT_TOKEN to the token @BotFather gave you.", file=sys.stderr)
        return None
    if need_secret and settings.telegram_webhook_secret is None:
        print(
            "Set TELEGRAM_WEBHOOK_SECRET to a long random string: Telegram sends it with every "
            "update, and the webhook refuses updates without it.",
            file=sys.stderr,
        )
        return None
    return settings


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from adapters.telegram.edge.webhook import create_app

    several = args.workers > 1
    settings = _settings_or_exit(need_secret=True, shared_store=args.no_workers or several)
    if settings is None:
        return 2
    if args.workers < 1:
        print("--workers is how many webhook processes to run: 1 or more.", file=sys.stderr)
        return 2
    if several and settings.redis_url is None:
        print(
            "Several webhook processes share which updates they handled and each learner's "
            "hourly count through Redis: set REDIS_URL (`deploy/local/services up redis` "
            "prints it), or run one process.",
            file=sys.stderr,
        )
        return 2
    # A line per Telegram update would cost CPU on every acknowledgement: no access log.
    # uvicorn's own lines go through ours (log_config None), as text or JSON.
    configure_logging("web", settings.log_format)
    listen = {"host": args.host, "port": args.port, "log_level": "info", "access_log": False,
              "log_config": None}  # fmt: skip
    if not several:
        uvicorn.run(create_app(settings, "elsewhere" if args.no_workers else None), **listen)
        return 0
    with _worker_process_beside(settings, start=not args.no_workers):
        uvicorn.run("adapters.telegram.edge.webhook:app_from_environment", factory=True,
                    workers=args.workers, **listen)  # fmt: skip
    return 0


@contextlib.contextmanager
def _worker_process_beside(settings: Settings, *, start: bool) -> Iterator[None]:
    """`speech-coach work` beside several webhook processes (which only record answers),
    supervised from a thread of the server's main process: started again if it dies."""
    if not start:
        yield
        return
    from adapters.telegram.worker_process import WorkerProcess

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="worker-process", daemon=True)
    thread.start()
    worker = asyncio.run_coroutine_threadsafe(WorkerProcess(settings).start(), loop).result(60)
    try:
        yield
    finally:
        asyncio.run_coroutine_threadsafe(worker.stop(), loop).result(90)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def poll(args: argparse.Namespace) -> int:
    from adapters.roles import start

    settings = _settings_or_exit(shared_store=args.no_workers)
    if settings is None:
        return 2
    configure_logging("poll", settings.log_format)

    async def run() -> None:
        running = await start(settings, "poll", workers="elsewhere" if args.no_workers else None)
        runtime = running.telegram
        try:
            await runtime.bot.delete_webhook(drop_pending_updates=False)
            await runtime.dispatcher.start_polling(
                runtime.bot, allowed_updates=ALLOWED_UPDATES, handle_signals=True
            )
        finally:
            await running.close()

    asyncio.run(run())
    return 0


def work(args: argparse.Namespace) -> int:
    """Process recorded answers until stopped (SIGTERM, Ctrl-C) or the `--parent` is gone.

    Without REDIS_URL the workers follow the event log; with it, this process is the relay
    and a worker of every kind (the production topology in one process)."""
    settings = _settings_or_exit(shared_store=True)
    if settings is None:
        return 2
    lock = _sole_worker_lock(settings.home)
    if lock is None:
        print(
            f"Another `speech-coach work` is already processing the answers in {settings.home}; "
            "only one may run per data folder. Stop it first, or use another SPEECH_COACH_HOME.",
            file=sys.stderr,
        )
        return 2
    with lock:
        return run_workers(settings, args.nice, args.parent, kinds=None)


def run_workers(
    settings: Settings, nice: int, parent: int | None, kinds: tuple[str, ...] | None
) -> int:
    """Run workers until SIGTERM or Ctrl-C, or until the process `parent` is gone.

    `kinds` None: every step; over Redis Streams (with the relay, in this process) when
    REDIS_URL is set, else following the event log. Else only those kinds, over Redis
    Streams (`speech-coach worker`)."""
    from adapters.gc_tuning import settle_startup_objects
    from adapters.roles import start
    from adapters.telegram.worker_process import READY

    configure_logging("worker", settings.log_format)
    if nice:
        os.nice(nice)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        running = await start(settings, "worker", kinds=kinds or ())
        try:
            if running.container is not None and (not kinds or "transcribe" in kinds):
                await asyncio.to_thread(running.container.stt.warm_up)
            settle_startup_objects()
            logging.getLogger(__name__).info("ready: %s", running.description)
            print(READY, flush=True)  # `serve` waits for this line on our standard output
            while not stop.is_set():
                if parent and os.getppid() != parent:
                    break  # the server that started us is gone
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 1.0)
        finally:
            await running.close()

    asyncio.run(run())
    return 0


def _sole_worker_lock(home: Path) -> IO[str] | None:
    """An exclusive lock on the data folder's worker lock file (released when we exit), or
    None if another worker holds it: two would both coach, and both send, every answer."""
    home.mkdir(parents=True, exist_ok=True)
    lock = (home / "worker.lock").open("a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        return None
    return lock


def set_webhook(args: argparse.Namespace) -> int:
    settings = _settings_or_exit(need_secret=True)
    if settings is None or settings.telegram_webhook_secret is None:
        return 2
    secret = settings.telegram_webhook_secret.get_secret_value()
    from adapters.telegram.bot import make_bot

    async def run() -> bool:
        bot = make_bot(settings)
        try:
            return await bot.set_webhook(
                args.url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=args.drop_pending_updates,
            )  # fmt: skip
        finally:
            await bot.session.close()

    ok = asyncio.run(run())
    print(f"Webhook set to {args.url}" if ok else "Telegram refused the webhook.")
    return 0 if ok else 1
