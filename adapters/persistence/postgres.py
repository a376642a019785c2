"""PostgreSQL set-up that the eventsourcing library leaves to us: a clear error when the
database cannot be reached, and the schema its tables go in."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

from domain.errors import SpeechCoachError


class DatabaseUnavailableError(SpeechCoachError):
    """DATABASE_URL names a PostgreSQL that does not answer, or refuses us."""


def connect(env: Mapping[str, str]) -> psycopg.Connection[tuple[Any, ...]]:
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
    schema = env.get("POSTGRES_SCHEMA") or "public"
    with connection, connection.transaction():  # one process at a time, as in making_tables
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (_tables_key(env),))
        connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


@contextmanager
def making_tables(env: Mapping[str, str]) -> Iterator[None]:
    """Make the library's tables one process at a time.

    eventsourcing creates its tables (and, for the events, a function) when a recorder is
    made; processes starting together (the webhook, the relay, the workers) made them at
    once, and one failed with "tuple concurrently updated". Within this block this process
    holds an advisory lock of the schema's own; on another store it does nothing."""
    if env.get("PERSISTENCE_MODULE") != "eventsourcing.postgres":
        yield
        return
    key = _tables_key(env)
    with connect(env) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (key,))


def _tables_key(env: Mapping[str, str]) -> int:
    """The advisory lock of the schema's tables (the relay's own lock has another key)."""
    return zlib.crc32(f"tables:{env.get('POSTGRES_SCHEMA') or 'public'}".encode())
