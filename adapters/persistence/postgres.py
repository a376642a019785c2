"""PostgreSQL set-up that the eventsourcing library leaves to us: a clear error when the
database cannot be reached, and the schema its tables go in."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from domain.errors import SpeechCoachError


class DatabaseUnavailableError(SpeechCoachError):
    """DATABASE_URL names a PostgreSQL that does not answer, or refuses us."""


def connect(env: dict[str, str]) -> psycopg.Connection[tuple[Any, ...]]:
    """An autocommit connection of our own to the database the library's settings name."""
    return psycopg.connect(
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        dbname=env["POSTGRES_DBNAME"],
        connect_timeout=int(env.get("POSTGRES_CONNECT_TIMEOUT") or 5),
        autocommit=True,
    )


def prepare_database(env: dict[str, str]) -> None:
    """Connect once, so that a wrong DATABASE_URL fails at start with a message that says
    what to do; then CREATE SCHEMA IF NOT EXISTS for POSTGRES_SCHEMA (the library creates
    its tables on start, but not the schema they go in)."""
    where = f"{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}"
    try:
        connection = connect(env)
    except psycopg.OperationalError as error:
        # psycopg's text names the host and the reason, never the password.
        reason = (str(error).strip().splitlines() or ["no answer"])[0]
        reason = reason.removeprefix("connection failed: ").rstrip(".")
        raise DatabaseUnavailableError(
            f"PostgreSQL at {where} (DATABASE_URL) refused us or is not running ({reason}). "
            "Check DATABASE_URL (deploy/local/services up postgres starts one and prints the "
            "URL to use), or unset it to use the embedded store."
        ) from None
    with connection:
        schema = env.get("POSTGRES_SCHEMA") or "public"
        connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
