"""Event appends per second on PostgreSQL: the application recording voice answers (what the
webhook does before its 200) against raw psycopg INSERTs of the very same rows, same run.

    uv run python bench/event_store.py [--answers 2000]

A PostgreSQL 15 of its own is started with deploy/local/services (in a temporary folder, on
a free port). The application writes one answer per transaction (learner, session and
AudioReceived), then 20 per transaction (the webhook's group commit under load). The very
rows it stored are then appended twice more, in transactions of the same size, each into a
table of its own: by the event store (adapters.persistence.postgres.OrderedAppendRecorder:
one statement, a function that takes the table lock that orders notification ids, notifies
and inserts), by eventsourcing's stock PostgreSQL recorder (the same work in four statements)
and by raw psycopg INSERTs. The writers
take turns in rounds, so that all meet the same machine. The event store against the raw
INSERTs is what the library adds to an append; the application against them adds the reads
before the write and the mapping of events.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventsourcing.persistence import ApplicationRecorder, InfrastructureFactory, StoredEvent
from eventsourcing.utils import Environment

from adapters.bootstrap import coaching_app
from adapters.persistence.postgres import prepare_database
from adapters.settings import Settings
from bench.report import record
from tests.support.answers import voice_answer
from tests.support.services import Services

ROUNDS = 5
_RAW_TABLE = (
    "CREATE TABLE raw_events (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
    "topic text, state bytea, notification_id bigserial, "
    "PRIMARY KEY (originator_id, originator_version))"
)


STORE_CPU: list[float] = []  # the share of the event store's append spent on this CPU
GROUP = 20  # answers per transaction when the webhook's recorder groups them under load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=2000, help="answers on each side")
    args = parser.parse_args()
    per_round = max(GROUP, args.answers // ROUNDS // GROUP * GROUP)
    rates: dict[str, list[float]] = {
        f"{writer}{size}": []
        for size in ("one", "group")
        for writer in ("", "store ", "stock ", "raw ")
    }
    with Services.started("postgres") as services:
        app = coaching_app(Settings(DATABASE_URL=services.database_url))
        store = _event_store(services.database_url, "append_bench")
        stock = _event_store(services.database_url, "append_bench_stock", stock=True)
        with psycopg.connect(services.database_url, autocommit=True) as raw:
            raw.execute(_RAW_TABLE)
            chat = 0
            for round_no in range(ROUNDS):
                for grouped in (False, True):
                    chats = list(range(chat, chat + per_round))
                    chat += per_round
                    before = app.recorder.max_notification_id() or 0
                    started = time.perf_counter()
                    if grouped:
                        for at in range(0, len(chats), GROUP):
                            app.answer_by_voice_many(
                                [voice_answer(n, 1) for n in chats[at : at + GROUP]]
                            )
                    else:
                        for n in chats:
                            app.answer_by_voice(voice_answer(n, 1))
                    took = time.perf_counter() - started
                    rows = _rows_after(raw, before)
                    size = GROUP if grouped else 1
                    name = "group" if grouped else "one"
                    rates[name].append(len(rows) / took)
                    rates[f"store {name}"].append(_append(store, rows, size))
                    rates[f"stock {name}"].append(_append(stock, rows, size, cpu=False))
                    rates[f"raw {name}"].append(_insert_raw(raw, rows, size))
                print(f"round {round_no + 1}: " + ", ".join(
                    f"{k} {v[-1]:.0f}" for k, v in rates.items()) + " events/s",
                    file=sys.stderr)  # fmt: skip
        app.close()
    median = {name: statistics.median(values) for name, values in rates.items()}
    events = len(rows) // per_round

    def row(writer: str, name: str, size: int) -> str:
        raw_name = "raw " + name.rsplit(maxsplit=1)[-1]
        return (
            f"| {writer} | {size} | {median[name]:.0f} | {median[name] / median[raw_name]:.2f}x |"
        )

    one = median["store one"] / median["raw one"]
    group = median["store group"] / median["raw group"]
    record(
        "Event appends on PostgreSQL",
        "uv run python bench/event_store.py",
        [
            f"{ROUNDS} rounds of {per_round} voice answers for each writer, taking turns; "
            f"each answer {events} events (learner, session, AudioReceived); PostgreSQL 15 on "
            "loopback (deploy/local/services), fsync on. The event store and the raw side "
            "append the very rows the application stored, in transactions of the same size, "
            "each to a table of its own. Medians over the rounds.",
            "",
            "| writer | answers per transaction | events/s | vs raw |",
            "| --- | ---: | ---: | ---: |",
            row("the event store's append (OrderedAppendRecorder: one statement)", "store one", 1),
            row("eventsourcing's stock PostgreSQL recorder (four statements)", "stock one", 1),
            row("raw psycopg INSERT of the same rows", "raw one", 1),
            row("CoachingApp.answer_by_voice: reads, decides, maps, appends", "one", 1),
            row("the event store's append", "store group", GROUP),
            row("eventsourcing's stock PostgreSQL recorder", "stock group", GROUP),
            row("raw psycopg INSERT of the same rows", "raw group", GROUP),
            row("CoachingApp.answer_by_voice_many (the webhook's group commit)", "group", GROUP),
            "",
            f"Goal: the event store's append >= 0.5x the raw INSERTs: {one:.2f}x one answer "
            f"a transaction, {group:.2f}x {GROUP}: {'met' if min(one, group) >= 0.5 else 'not met'}"
            ". The stock recorder sends four statements a transaction (lock_timeout, LOCK "
            "TABLE to order notification ids for the log's followers, NOTIFY, the INSERT "
            "returning the ids) where the raw side sends one; its own one-statement path "
            "(POSTGRES_ENABLE_DB_FUNCTIONS) leaves the table lock out, so a follower (the "
            "relay, the views) could pass over an event committed late. OrderedAppendRecorder "
            "keeps the lock inside one function call (tests/integration/test_event_order.py "
            "checks the order), and the writing process is on the CPU "
            f"{statistics.median(STORE_CPU):.0%} of its append's wall time. The application "
            "adds its reads before the write (the learner and the session, each a round trip) "
            f"and the mapping of events. Grouping lifts it to {median['group'] / events:.0f} "
            "answers/s, "
            "above the 300 updates/s the webhook is measured at.",
        ],
    )


def _event_store(database_url: str, schema: str, stock: bool = False) -> ApplicationRecorder:
    """The event store's recorder (or, `stock`, eventsourcing's own) on a schema of its own,
    its tables created."""
    env = {**Settings(DATABASE_URL=database_url).eventsourcing_env(),
           "POSTGRES_SCHEMA": schema, "CREATE_TABLE": "y"}  # fmt: skip
    if stock:
        env.pop("APPLICATION_RECORDER_TOPIC")
    prepare_database(env)
    return InfrastructureFactory.construct(Environment("SpeechCoach", env)).application_recorder()


def _append(
    store: ApplicationRecorder, rows: list[tuple[object, ...]], size: int, cpu: bool = True
) -> float:
    """The same rows appended by `store`, `size` answers per transaction; events per second
    (and, `cpu`, the share of the time this process was on the CPU, in STORE_CPU)."""
    answers = _group_by_answer(rows)
    transactions = [
        [StoredEvent(*row) for row in itertools.chain.from_iterable(answers[at : at + size])]
        for at in range(0, len(answers), size)
    ]  # type: ignore[arg-type]
    started, on_cpu = time.perf_counter(), time.process_time()
    for events in transactions:
        store.insert_events(events)
    took = time.perf_counter() - started
    if cpu:
        STORE_CPU.append((time.process_time() - on_cpu) / took)
    return len(rows) / took


def _rows_after(raw: psycopg.Connection, position: int) -> list[tuple[object, ...]]:
    return raw.execute(
        "SELECT originator_id, originator_version, topic, state FROM speechcoach_events "
        "WHERE notification_id > %s ORDER BY notification_id",
        (position,),
    ).fetchall()


def _insert_raw(raw: psycopg.Connection, rows: list[tuple[object, ...]], size: int) -> float:
    """The same rows, `size` answers (each the rows of one learner, session, AudioReceived)
    per transaction, as the application wrote them; events per second."""
    answers = _group_by_answer(rows)
    transactions = [
        list(itertools.chain.from_iterable(answers[at : at + size]))
        for at in range(0, len(answers), size)
    ]
    started = time.perf_counter()
    for answer_rows in transactions:
        with raw.transaction(), raw.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO raw_events (originator_id, originator_version, topic, state) "
                "VALUES (%s, %s, %s, %s)",
                answer_rows,
            )
    took = time.perf_counter() - started
    return len(rows) / took


def _group_by_answer(rows: list[tuple[object, ...]]) -> list[list[tuple[object, ...]]]:
    """Consecutive rows, cut where a new learner's first event starts an answer."""
    answers: list[list[tuple[object, ...]]] = []
    for row in rows:
        if str(row[2]).endswith("Learner.Registered") or not answers:
            answers.append([])
        answers[-1].append(row)
    return answers


if __name__ == "__main__":
    main()
