"""One settings object, read from the environment (and nothing else)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

StoreKind = Literal["memory", "sqlite", "postgres"]


def default_home() -> Path:
    """Per-user data folder: $XDG_DATA_HOME/speech-coach, else ~/.local/share/speech-coach."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "speech-coach"


class Settings(BaseSettings):
    # Errors never repeat a value: DATABASE_URL and TELEGRAM_BOT_TOKEN hold secrets. Each
    # setting is read from its alias only: by its field name too, `home` came from $HOME.
    model_config = SettingsConfigDict(extra="ignore", hide_input_in_errors=True)

    home: Path = Field(default_factory=default_home, alias="SPEECH_COACH_HOME")
    event_store: Literal["sqlite", "memory"] = Field(
        default="sqlite",
        alias="SPEECH_COACH_EVENT_STORE",
        description="Embedded event store: SQLite under `home`, or in memory (lost at exit).",
    )
    database_url: SecretStr | None = Field(
        default=None,
        alias="DATABASE_URL",
        description="PostgreSQL for events and views, postgresql://user:password@host:port/db; "
        "when set, it is used instead of the embedded store.",
    )
    redis_url: SecretStr | None = Field(
        default=None,
        alias="REDIS_URL",
        description="Redis for the events between the relay and the workers (Redis Streams), "
        "redis://host:port/db; unset = the workers follow the event log themselves.",
    )
    clickhouse_url: SecretStr | None = Field(
        default=None,
        alias="CLICKHOUSE_URL",
        description="A ClickHouse server for the analytics' windows (http://user:pass@host:8123"
        "/db); unset = ClickHouse in-process (chDB) under `home`/analytics.",
    )
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        alias="KAFKA_BOOTSTRAP_SERVERS",
        description="Kafka (or Redpanda) carrying Debezium's changes of the event table "
        "(host:port,...); unset = the analytics read the event log itself.",
    )
    cdc_topic: str | None = Field(
        default=None,
        alias="SPEECH_COACH_CDC_TOPIC",
        description="The topic of the event table's changes; unset = Debezium's name for "
        "it, speechcoach.<schema>.speechcoach_events.",
    )
    analytics_lateness_s: float = Field(
        default=600.0,
        alias="SPEECH_COACH_ANALYTICS_LATENESS_S",
        ge=0,
        description="How late an answer may reach the analytics and still count in its "
        "windows; a window is final this long after its end.",
    )
    claim_after_s: float = Field(
        default=180.0,
        alias="SPEECH_COACH_CLAIM_AFTER_S",
        gt=0,
        description="A step event a worker took and did not finish in this time (it died, or "
        "its step failed) is taken again by another worker; longer than the slowest step.",
    )
    max_deliveries: int = Field(
        default=5,
        alias="SPEECH_COACH_MAX_DELIVERIES",
        ge=1,
        description="After this many tries an answer's step gives up: the learner is told, and "
        "the entry goes to the dead letters.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        alias="SPEECH_COACH_LOG_FORMAT",
        description="How the bot's processes log: text lines, or JSON objects (one a line, "
        "each line about a voice answer with its id) for a log collector.",
    )
    reconcile_after_s: float = Field(
        default=300.0,
        alias="SPEECH_COACH_RECONCILE_AFTER_S",
        gt=0,
        description="An answer that waited this long after a step with no worker holding it "
        "(Redis lost the entry) is published again by the relay.",
    )
    postgres_schema: str = Field(
        default="public", alias="SPEECH_COACH_POSTGRES_SCHEMA", pattern=r"^[a-z_][a-z0-9_]{0,62}$"
    )
    postgres_pool_size: int = Field(default=5, alias="SPEECH_COACH_POSTGRES_POOL_SIZE", ge=1)
    postgres_max_overflow: int = Field(default=10, alias="SPEECH_COACH_POSTGRES_MAX_OVERFLOW", ge=0)
    postgres_connect_timeout_s: int = Field(
        default=5, alias="SPEECH_COACH_POSTGRES_CONNECT_TIMEOUT_S", ge=1
    )
    postgres_lock_timeout_s: int = Field(
        default=5,
        alias="SPEECH_COACH_POSTGRES_LOCK_TIMEOUT_S",
        ge=0,
        description="How long a write waits for the event table's lock before it fails.",
    )
    whisper_model: str | None = Field(
        default=None,
        alias="SPEECH_COACH_WHISPER_MODEL",
        description="Path to a CTranslate2 Whisper model; default the packaged tiny.en.",
    )
    stt_threads: int = Field(default=0, alias="SPEECH_COACH_STT_THREADS", ge=0)
    stt_provider: Literal["auto", "local", "openai"] = Field(
        default="auto",
        alias="SPEECH_COACH_STT",
        description="auto: OpenAI when OPENAI_API_KEY is set (the local model when it fails), "
        "else the local model.",
    )
    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    openai_timeout_s: float = Field(default=30.0, alias="SPEECH_COACH_OPENAI_TIMEOUT_S", gt=0)
    openai_feedback_model: str = Field(default="gpt-4o-mini", alias="SPEECH_COACH_OPENAI_MODEL")
    anthropic_api_key: SecretStr | None = Field(default=None, alias="ANTHROPIC_API_KEY")
    anthropic_base_url: str | None = Field(default=None, alias="ANTHROPIC_BASE_URL")
    anthropic_model: str = Field(
        default="claude-3-5-haiku-latest", alias="SPEECH_COACH_ANTHROPIC_MODEL"
    )
    local_llm_base_url: str | None = Field(
        default=None,
        alias="LOCAL_LLM_BASE_URL",
        description="An OpenAI-compatible server (llama.cpp, vLLM, Ollama): the third "
        "feedback provider, after OpenAI and Anthropic.",
    )
    local_llm_model: str = Field(default="local", alias="LOCAL_LLM_MODEL")
    grammar: Literal["on", "off"] = Field(
        default="on",
        alias="SPEECH_COACH_GRAMMAR",
        description="Check each answer's grammar (our rules and Harper, in-process; "
        "LanguageTool as well where LANGUAGETOOL_URL is set); off: not checked, and the "
        "report says so.",
    )
    languagetool_url: str | None = Field(
        default=None,
        alias="LANGUAGETOOL_URL",
        description="A LanguageTool server (`deploy/local/services up languagetool`), asked "
        "after our rules and Harper.",
    )
    llm_prices: dict[str, tuple[float, float]] = Field(
        default={
            "gpt-4o-mini": (0.15, 0.60),
            "claude-3-5-haiku-latest": (0.80, 4.00),
        },
        alias="SPEECH_COACH_LLM_PRICES",
        description="US dollars per million input and output tokens, by model (JSON); a model "
        "not listed costs 0.",
    )
    stt_tempo: float = Field(
        default=1.0,
        alias="SPEECH_COACH_STT_TEMPO",
        ge=1.0,
        le=2.0,
        description="How many times faster the audio sent to OpenAI is played (silences are "
        "cut either way): fewer seconds billed, more words misheard (bench/billing.py).",
    )
    stt_price_per_minute: float = Field(
        default=0.006,
        alias="SPEECH_COACH_STT_PRICE_PER_MINUTE",
        ge=0,
        description="US dollars per minute of audio that OpenAI's transcription bills.",
    )
    openai_max_retries: int = Field(default=2, alias="SPEECH_COACH_OPENAI_RETRIES", ge=0)
    max_audio_bytes: int = Field(default=20_000_000, alias="SPEECH_COACH_MAX_AUDIO_BYTES", gt=0)
    max_audio_seconds: float = Field(default=600.0, alias="SPEECH_COACH_MAX_AUDIO_SECONDS", gt=0)
    decode_timeout_s: float = Field(default=30.0, alias="SPEECH_COACH_DECODE_TIMEOUT_S", gt=0)

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_webhook_secret: SecretStr | None = Field(default=None, alias="TELEGRAM_WEBHOOK_SECRET")
    telegram_api_base: str = Field(default="https://api.telegram.org", alias="TELEGRAM_API_BASE")
    telegram_allowed_chats: str = Field(
        default="",
        alias="TELEGRAM_ALLOWED_CHATS",
        description="Comma-separated chat ids allowed to use the bot; empty = anyone.",
    )
    answers_per_hour: int = Field(default=30, alias="SPEECH_COACH_ANSWERS_PER_HOUR", gt=0)
    workers: int = Field(
        default=2,
        alias="SPEECH_COACH_WORKERS",
        ge=1,
        description="Worker threads that process answers, in each worker process.",
    )
    telegram_timeout_s: float = Field(default=20.0, alias="TELEGRAM_TIMEOUT_S", gt=0)
    delivery_give_up_s: float = Field(
        default=86_400.0,
        alias="SPEECH_COACH_DELIVERY_GIVE_UP_S",
        gt=0,
        description="Feedback Telegram keeps refusing is retried until the answer is this old.",
    )

    @field_validator("database_url")
    @classmethod
    def _a_postgres_url(cls, url: SecretStr | None) -> SecretStr | None:
        if url is not None:
            _postgres_parts(url.get_secret_value())
        return url

    @property
    def store_kind(self) -> StoreKind:
        """Where events and views live: PostgreSQL when DATABASE_URL is set, else embedded."""
        return "postgres" if self.database_url is not None else self.event_store

    @property
    def shared_store(self) -> bool:
        """Whether other processes see this process's events (not so in memory)."""
        return self.store_kind != "memory"

    def to_env(self) -> dict[str, str]:
        """These settings as the environment variables that give them (for a child process)."""
        env: dict[str, str] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None or field.alias is None:
                continue
            if isinstance(value, SecretStr):
                env[field.alias] = value.get_secret_value()
            elif isinstance(value, dict | list | tuple):
                env[field.alias] = json.dumps(value)  # how pydantic-settings reads them back
            else:
                env[field.alias] = str(value)
        return env

    @property
    def allowed_chats(self) -> frozenset[int]:
        return frozenset(
            int(c) for c in self.telegram_allowed_chats.replace(" ", "").split(",") if c
        )

    @property
    def event_store_path(self) -> Path:
        return self.home / "events.sqlite"

    @property
    def audio_dir(self) -> Path:
        return self.home / "audio"

    @property
    def events_topic(self) -> str:
        """The Kafka topic of the event table's changes (deploy/connect names it so)."""
        return self.cdc_topic or f"speechcoach.{self.postgres_schema}.speechcoach_events"

    @property
    def analytics_dir(self) -> Path:
        """The analytics' own folder: chDB's data and the dataflow's recovery snapshots."""
        return self.home / "analytics"

    def views_env(self) -> dict[str, str]:
        """The read models' own store: in memory beside an in-memory log (a lasting view over a
        log that starts empty each run would skip its events), else views.sqlite beside it."""
        return self._store_env(self.home / "views.sqlite")

    def eventsourcing_env(self) -> dict[str, str]:
        """The eventsourcing library's own settings for the chosen store."""
        return self._store_env(self.event_store_path)

    def _store_env(self, sqlite_file: Path) -> dict[str, str]:
        if self.database_url is not None:
            return self._postgres_env(self.database_url.get_secret_value())
        if self.event_store == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        self.home.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(sqlite_file),
            "SQLITE_LOCK_TIMEOUT": "10",
        }

    def _postgres_env(self, url: str) -> dict[str, str]:
        """Events and views share the database; each has tables of its own (the library names
        them after the application: speechcoach_events, practiceprojection_tracking)."""
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            **_postgres_parts(url),
            "POSTGRES_SCHEMA": self.postgres_schema,
            "POSTGRES_POOL_SIZE": str(self.postgres_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.postgres_max_overflow),
            "POSTGRES_CONNECT_TIMEOUT": str(self.postgres_connect_timeout_s),
            "POSTGRES_LOCK_TIMEOUT": str(self.postgres_lock_timeout_s),
            "POSTGRES_PRE_PING": "y",  # a pooled connection that a restart cut is replaced
            "APPLICATION_RECORDER_TOPIC": "adapters.persistence.postgres:OrderedAppendRecorder",
        }


def _postgres_parts(url: str) -> dict[str, str]:
    """The library's connection settings from a postgresql:// URL, or a clear error that
    never repeats the URL (it holds the password)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError("DATABASE_URL must start with postgresql://")
    try:
        port = parts.port or 5432
    except ValueError:
        raise ValueError("DATABASE_URL has a port that is not a number") from None
    database = unquote(parts.path.lstrip("/"))
    if not (parts.hostname and parts.username and database):
        raise ValueError("DATABASE_URL needs postgresql://user:password@host:port/database")
    return {
        "POSTGRES_HOST": parts.hostname,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parts.username),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_DBNAME": database,
    }
