"""Long-running processes settle their start-up objects out of the garbage collector's way.

The webhook imports aiogram, pydantic, FastAPI and eventsourcing: hundreds of thousands of
objects that live as long as the process. Each full collection walked them all, stalling
every request for about 150 ms (measured; bench/webhook.py). Frozen after start-up, they
are skipped by later collections, and the collector only looks at what requests create.
"""

from __future__ import annotations

import gc


def settle_startup_objects() -> None:
    """Collect once, then freeze what survived (call after start-up, before serving)."""
    gc.collect()
    gc.freeze()
