"""PostgreSQL set-up that the eventsourcing library leaves to us: a clear error when the
database cannot be reached, and the schema its tables go in."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
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


class OrderedAppendRecorder(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL application recorder, appending in one statement.

    The library appends in a pipeline of four statements (lock_timeout, LOCK TABLE, NOTIFY,
    the INSERT) in a transaction. Its one-statement path (POSTGRES_ENABLE_DB_FUNCTIONS)
    leaves the table lock out, and that lock is what makes the order of notification ids
    the order of commits: without it, a follower of the log (the relay, the views) could
    read past an event that a slower transaction commits later with a lower id. This
    recorder takes the one-statement path with the lock put back: a function of its own
    (named after the events table) sets the lock timeout, takes the EXCLUSIVE lock, notifies
    and inserts, so an append is one round trip and the log's order holds as before. Its
    events go as four plain arrays, which psycopg sends without building a row type each.
    """

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        names = {
            "schema": sql.Identifier(datastore.schema),
            "table": sql.Identifier(events_table_name),
            "append": sql.Identifier(f"{events_table_name}_append"),
            "event": sql.Identifier(self.stored_event_type_name),
            "channel": sql.Identifier(self.channel_name),
        }
        self.pg_function_name_insert_events = f"{events_table_name}_append"
        self.sql_invoke_pg_function_insert_events = sql.SQL(
            "SELECT * FROM {schema}.{append}(%s, %s, %s, %s)"
        ).format(**names)
        self.sql_create_statements[self.create_insert_function_statement_index] = sql.SQL(
            "CREATE OR REPLACE FUNCTION {schema}.{append}("
            "ids {id_type}[], versions bigint[], topics text[], states bytea[]) "
            "RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$ BEGIN "
            "SET LOCAL lock_timeout = '{lock_timeout}s'; "
            "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
            "NOTIFY {channel}; "
            "RETURN QUERY INSERT INTO {schema}.{table} "
            "(originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(ids, versions, topics, states) "
            "RETURNING notification_id; "
            "END; $BODY$"
        ).format(
            lock_timeout=sql.SQL(str(int(datastore.lock_timeout))),
            id_type=sql.SQL(datastore.originator_id_type),
            **names,
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        columns = (
            [event.originator_id for event in stored_events],
            [event.originator_version for event in stored_events],
            [event.topic for event in stored_events],
            [event.state for event in stored_events],
        )  # four plain arrays: psycopg sends them without building a row type each
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.sql_invoke_pg_function_insert_events, columns, prepare=True)
            return [row[self.pg_function_name_insert_events] for row in curs.fetchall()]
