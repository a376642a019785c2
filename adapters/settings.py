"""One settings object, read from the environment (and nothing else)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    """Per-user data folder: $XDG_DATA_HOME/speech-coach, else ~/.local/share/speech-coach."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "speech-coach"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    home: Path = Field(default_factory=default_home, alias="SPEECH_COACH_HOME")
    event_store: Literal["sqlite", "memory"] = Field(
        default="sqlite",
        alias="SPEECH_COACH_EVENT_STORE",
        description="Embedded event store: SQLite under `home`, or in memory (lost at exit).",
    )
    whisper_model: str | None = Field(
        default=None,
        alias="SPEECH_COACH_WHISPER_MODEL",
        description="Path to a CTranslate2 Whisper model; default the packaged tiny.en.",
    )
    stt_threads: int = Field(default=0, alias="SPEECH_COACH_STT_THREADS", ge=0)
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

    def to_env(self) -> dict[str, str]:
        """These settings as the environment variables that give them (for a child process)."""
        env: dict[str, str] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None or field.alias is None:
                continue
            env[field.alias] = (
                value.get_secret_value() if isinstance(value, SecretStr) else str(value)
            )
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

    def views_env(self) -> dict[str, str]:
        """The read models' own store: in memory beside an in-memory log (a lasting view over a
        log that starts empty each run would skip its events), else views.sqlite beside it."""
        return self._store_env(self.home / "views.sqlite")

    def eventsourcing_env(self) -> dict[str, str]:
        """The eventsourcing library's own settings for the chosen store."""
        return self._store_env(self.event_store_path)

    def _store_env(self, sqlite_file: Path) -> dict[str, str]:
        if self.event_store == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        self.home.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(sqlite_file),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
