"""deploy/compose.yaml describes production with the commands and settings this code has:
every role's command parses, every variable is one Speech Coach reads, and the services are
configured as the topology needs (logical WAL, Redis fsyncing each write)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from adapters.cli.main import build_parser
from adapters.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]


def test_every_role_runs_a_command_the_cli_has():
    roles = {
        name: s["command"]
        for name, s in SERVICES.items()
        if s.get("image") == "speech-coach:latest" and name != "capture"
    }
    assert set(roles) == {"web", "relay", "transcribe", "coach", "notify", "analytics"}
    for name, command in roles.items():
        assert command[0] == "speech-coach", name
        build_parser().parse_args(command[1:])  # exits (fails the test) on a wrong command
    assert roles["web"][:3] == ["speech-coach", "serve", "--no-workers"], "workers run apart"
    kinds = [roles[k][2] for k in ("transcribe", "coach", "notify")]
    assert kinds == ["transcribe", "coach", "notify"]


def test_every_variable_given_to_the_app_is_a_setting():
    known = {field.alias for field in Settings.model_fields.values()}
    given = set(SERVICES["web"]["environment"])
    assert given <= known, given - known
    assert {"DATABASE_URL", "REDIS_URL", "TELEGRAM_BOT_TOKEN"} <= given
    url = SERVICES["web"]["environment"]["DATABASE_URL"]
    assert re.fullmatch(
        r"postgresql://speech_coach:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432/speech_coach", url
    )


def test_the_services_are_configured_as_the_topology_needs():
    postgres = " ".join(SERVICES["postgres"]["command"])
    assert "wal_level=logical" in postgres
    assert "max_replication_slots=10" in postgres
    redis = SERVICES["redis"]["command"]
    assert redis[redis.index("--appendonly") + 1] == "yes"
    assert redis[redis.index("--appendfsync") + 1] == "always"


def test_the_image_holds_every_package_the_project_ships():
    shipped = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"][
        "targets"
    ]["wheel"]["packages"]
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\w+) \1$", dockerfile, flags=re.MULTILINE))
    assert copied == set(shipped)


def test_the_analytics_chain_is_wired_as_the_local_one_is():
    capture = SERVICES["capture"]["command"][-1]
    assert capture.startswith("speech-coach migrate && "), "the event table before Debezium"
    assert "/config/speech-coach-events.json" in capture
    assert (ROOT / "deploy" / "connect" / "speech-coach-events.json").exists()
    build_parser().parse_args(SERVICES["analytics"]["command"][1:])
    analytics = SERVICES["analytics"]["environment"]
    assert analytics["KAFKA_BOOTSTRAP_SERVERS"] == "redpanda:9092"
    assert analytics["CLICKHOUSE_URL"].startswith("http://speech_coach:")
    grafana = SERVICES["grafana"]
    assert "grafana-clickhouse-datasource" in grafana["environment"]["GF_INSTALL_PLUGINS"]
    mounted = {volume.split(":")[0] for volume in grafana["volumes"]}
    assert mounted == {"../deploy/grafana/provisioning", "../deploy/grafana/dashboards"}
    for folder in mounted:
        assert (ROOT / "deploy" / folder.removeprefix("../deploy/")).is_dir()
    provisioned = yaml.safe_load(
        (ROOT / "deploy/grafana/provisioning/datasources/clickhouse.yaml").read_text()
    )["datasources"][0]
    dashboard = json.loads((ROOT / "deploy/grafana/dashboards/speech-coach-population.json")
                           .read_text())  # fmt: skip
    assert dashboard["panels"][0]["datasource"]["uid"] == provisioned["uid"]
