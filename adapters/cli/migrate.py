"""`speech-coach migrate`: make the event store's schema and tables on DATABASE_URL, then exit.

Every process makes what is missing when it starts, so this is never required; it lets a
deployment make them once, before the processes start together, and lets the change data
capture (Debezium's publication names the event table) start before the first answer.
"""

from __future__ import annotations

import argparse
import sys

from adapters.settings import Settings


def run(_args: argparse.Namespace) -> int:
    from adapters.bootstrap import coaching_app

    settings = Settings()
    if settings.database_url is None:
        print("Set DATABASE_URL: the embedded store makes its file when it is first used.",
              file=sys.stderr)  # fmt: skip
        return 2
    coaching_app(settings).close()
    print(f"The event store's tables are in schema {settings.postgres_schema}.")
    return 0
