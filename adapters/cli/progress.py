"""Progress lines on stderr while slow work runs, so stdout stays clean for results."""

from __future__ import annotations

import sys
import time

from application.bus import AttemptMessage


class StderrProgress:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.started = time.monotonic()

    def __call__(self, stage: str, message: AttemptMessage | None = None) -> None:
        if self.enabled:
            elapsed = time.monotonic() - self.started
            print(f"[{elapsed:5.1f}s] {stage}…", file=sys.stderr, flush=True)
