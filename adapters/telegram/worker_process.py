"""`speech-coach work` as a child of the webhook server: started with it at a lower CPU
priority (acknowledging Telegram comes first; answers can wait a moment), started again if
it dies, and stopped with it. The answers it had in hand are in the event log and resume.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys

from adapters.settings import Settings

log = logging.getLogger(__name__)
READY = "speech-coach worker ready"  # what `speech-coach work` prints once it can take answers
NICENESS = 10  # added to the server's; the kernel then gives the webhook most of a busy CPU
_STOP_TIMEOUT_S = 30.0


class WorkerProcess:
    def __init__(self, settings: Settings) -> None:
        self._env = {**os.environ, **settings.to_env()}
        self._process: asyncio.subprocess.Process | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._stopping = False
        self._ready = False
        self.restarts = 0

    async def start(self) -> WorkerProcess:
        await self._spawn()
        self._supervisor = asyncio.create_task(self._supervise(), name="worker-process")
        return self

    @property
    def state(self) -> str:
        """ "starting" (loading the model), "running", or "restarting" (it died)."""
        if self._process is None or self._process.returncode is not None:
            return "restarting"
        return "running" if self._ready else "starting"

    async def stop(self) -> None:
        self._stopping = True
        process = self._process
        if process is not None and process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), _STOP_TIMEOUT_S)
            except TimeoutError:
                log.warning("the worker process did not stop in %.0f s; killing it",
                            _STOP_TIMEOUT_S)  # fmt: skip
                process.kill()
                await process.wait()
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor

    async def _spawn(self) -> None:
        self._ready = False
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "adapters.cli", "work",
            "--nice", str(NICENESS), "--parent", str(os.getpid()),
            env=self._env, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip

    async def _watch_output(self, process: asyncio.subprocess.Process) -> None:
        """The worker says on its standard output when it is ready."""
        if process.stdout is None:
            return
        async for line in process.stdout:
            if line.decode(errors="replace").strip() == READY:
                self._ready = True

    async def _supervise(self) -> None:
        delay = 1.0
        while self._process is not None:
            watching = asyncio.create_task(self._watch_output(self._process))
            code = await self._process.wait()
            await watching
            if self._stopping:
                return
            self.restarts += 1
            log.error("the worker process stopped (exit %s); starting it again in %.0f s",
                      code, delay)  # fmt: skip
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
            if self._stopping:
                return
            await self._spawn()
