"""The composition root of every process: `start(settings, role)` wires what the role runs.

Roles, and what each process of the role runs:
- `web`: the webhook's runtime (bot, front door, views; the workers beside it: in a child
  process, inline, or elsewhere), handed to the FastAPI app (adapters.telegram.edge.webhook).
- `poll`: the same runtime, taking updates by long polling.
- `relay`: the event log's step events to Redis Streams, and the views (one active per
  event store).
- `worker`: the steps of the given kinds (transcribe, coach, notify) on Redis Streams; with
  no kinds, every step: over Redis Streams with the relay in this process when REDIS_URL
  is set, else following the event log (the embedded worker process `serve` starts).
`speech-coach try` runs the whole pipeline in its own thread, with no event loop: it calls
adapters.bootstrap.bootstrap, which makes the application and the adapters every role
shares. Each builder below is the one place its role's other parts are made.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from adapters.settings import Settings

if TYPE_CHECKING:
    from aiogram import Bot

    from adapters.bootstrap import Container
    from adapters.telegram.runtime import TelegramRuntime, WorkersAt

Role = Literal["web", "poll", "relay", "worker"]


@dataclass
class Running:
    """A started role: what it runs, and how to stop it (the reverse of starting)."""

    role: Role
    description: str
    stack: contextlib.AsyncExitStack
    container: Container | None = None  # the pipeline, where this process runs steps
    runtime: TelegramRuntime | None = None  # the bot's, for `web` and `poll`
    error_of: Callable[[], BaseException | None] = lambda: None

    @property
    def telegram(self) -> TelegramRuntime:
        """The bot's runtime (of a `web` or `poll` role)."""
        if self.runtime is None:
            raise RuntimeError(f"a {self.role} process runs no bot")
        return self.runtime

    @property
    def error(self) -> BaseException | None:
        """Why the role stopped by itself (the relay lost its database, say), or None."""
        return self.error_of()

    async def close(self) -> None:
        await self.stack.aclose()


async def start(
    settings: Settings,
    role: Role,
    *,
    kinds: tuple[str, ...] = (),
    workers: WorkersAt | None = None,
    **overrides: Any,
) -> Running:
    """Start `role` on the running event loop. `kinds`: a worker's kinds (none: all);
    `workers`: where a web or poll process's workers run; `overrides` replace adapters
    (tests)."""
    stack = contextlib.AsyncExitStack()
    try:
        if role == "relay":
            return await _relay(settings, stack)
        if role == "worker":
            return await _worker(settings, stack, kinds, overrides)
        return await _telegram(role, settings, stack, workers, overrides)
    except BaseException:
        await stack.aclose()
        raise


async def _telegram(
    role: Role,
    settings: Settings,
    stack: contextlib.AsyncExitStack,
    workers: WorkersAt | None,
    overrides: dict[str, Any],
) -> Running:
    from adapters.telegram.runtime import start_runtime

    runtime = await start_runtime(settings, workers, **overrides)
    stack.push_async_callback(runtime.close)
    return Running(role, f"the bot ({role}), workers {runtime.workers_state()}", stack,
                   runtime=runtime)  # fmt: skip


async def _relay(settings: Settings, stack: contextlib.AsyncExitStack) -> Running:
    from adapters.streams.relay import start_relay

    relay = await asyncio.to_thread(start_relay, settings)
    stack.push_async_callback(asyncio.to_thread, relay.stop)
    return Running("relay", "the relay (step events to Redis Streams, and the views)", stack,
                   error_of=lambda: relay.error)  # fmt: skip


async def _worker(
    settings: Settings,
    stack: contextlib.AsyncExitStack,
    kinds: tuple[str, ...],
    overrides: dict[str, Any],
) -> Running:
    from adapters.streams.workers import KINDS
    from adapters.telegram.bot import make_bot
    from adapters.telegram.workers import start_stream_workers, start_workers

    bot: Bot = make_bot(settings)
    stack.push_async_callback(bot.session.close)
    if not kinds and settings.redis_url is None:
        workers = await start_workers(settings, bot, follow_log=True, **overrides)
        stack.push_async_callback(workers.close)
        return Running("worker", f"transcribe, coach and notify, from the event log in "
                       f"{settings.home}", stack, container=workers.container)  # fmt: skip
    if not kinds:
        await _relay(settings, stack)
        kinds = KINDS
    stream_workers = await start_stream_workers(settings, bot, kinds, **overrides)
    stack.push_async_callback(stream_workers.close)
    plural = "s" if len(kinds) > 1 else ""
    return Running("worker", f"{', '.join(kinds)} worker{plural} on Redis Streams", stack,
                   container=stream_workers.container)  # fmt: skip
