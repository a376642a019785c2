"""Where the views are kept: the same kind of store as the event log, in its own database
(`Settings.views_env` in adapters chooses it; projections only read events).

With PostgreSQL the views are tables in the event store's database, read by every process.
With the in-memory event store the view is in memory too (a lasting view over a log that
starts empty at each run would skip every new event). With SQLite it is views.sqlite under
the home folder, not the events file: view writes then never take the event store's single
writer lock while an answer is being recorded, and deleting the file rebuilds the views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from projections.projection import PracticeProjection
from projections.recorder import PracticeViewRecorder


def _view_class(persistence_module: str) -> type[Any]:
    """The view recorder for a store, imported only when used (psycopg is not light)."""
    if persistence_module == "eventsourcing.postgres":
        from projections.postgres_view import PostgresPracticeView

        return PostgresPracticeView
    if persistence_module == "eventsourcing.sqlite":
        from projections.sqlite_view import SQLitePracticeView

        return SQLitePracticeView
    from projections.popo_view import POPOPracticeView

    return POPOPracticeView


def open_view(env: dict[str, str]) -> tuple[PracticeViewRecorder, Callable[[], None]]:
    """A view recorder for `env`, and what closes its store."""
    factory = InfrastructureFactory.construct(Environment(PracticeProjection.name, env))
    recorder = factory.tracking_recorder(_view_class(env["PERSISTENCE_MODULE"]))
    return cast(PracticeViewRecorder, recorder), factory.close
