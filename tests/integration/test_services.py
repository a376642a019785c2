"""deploy/local/services: PostgreSQL and Redis from Debian's packages, as a developer runs
them: `up` prints where they are and is idempotent, `status` says what runs, data lasts
across `down` and `up`."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
import redis

from tests.support.services import Services

pytestmark = pytest.mark.server


def test_services_up_status_down_and_up_again_keep_their_data():
    with Services.started("postgres", "redis") as services:
        again = services.run("up")
        assert again.stdout.splitlines() == [
            f"export DATABASE_URL={services.database_url}",
            f"export REDIS_URL={services.redis_url}",
        ], "up on running services only says where they are"
        status = services.run("status")
        assert f"postgres: running on 127.0.0.1:{services.postgres_port}" in status.stdout
        assert f"redis: running on 127.0.0.1:{services.redis_port}" in status.stdout

        with psycopg.connect(services.database_url, autocommit=True) as db:
            settings = dict(
                db.execute(
                    "SELECT name, setting FROM pg_settings WHERE name IN "
                    "('wal_level', 'max_replication_slots', 'listen_addresses')"
                ).fetchall()
            )
            db.execute("CREATE TABLE kept (note text)")
            db.execute("INSERT INTO kept VALUES ('still here')")
        assert settings == {
            "wal_level": "logical",  # the analytics read its WAL
            "max_replication_slots": "10",
            "listen_addresses": "127.0.0.1",
        }
        client = redis.Redis.from_url(services.redis_url)
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("appendfsync") == {"appendfsync": "always"}, (
            "an entry the relay published is on disk before Redis acknowledges it"
        )
        client.set("kept", "still here")
        client.close()

        services.run("down")
        stopped = services.run("status", check=False)
        assert stopped.returncode == 1
        assert "postgres: not running" in stopped.stdout
        assert "redis: not running" in stopped.stdout

        services.run("up")
        with psycopg.connect(services.database_url) as db:
            assert db.execute("SELECT note FROM kept").fetchall() == [("still here",)]
        client = redis.Redis.from_url(services.redis_url)
        assert client.get("kept") == b"still here", "Redis keeps its data in the append-only file"
        client.close()


def test_services_refuse_an_unknown_name_and_say_which_exist(tmp_path: Path):
    services = Services(tmp_path, postgres_port=1, redis_port=1)
    done = services.run("up", "mysql", check=False)
    assert done.returncode == 2
    assert "unknown service 'mysql' (postgres, redis, kafka, connect, languagetool)" in done.stderr
