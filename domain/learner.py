"""The Learner aggregate: who practises, in which mode, at which level."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import learner_id

LEVELS = ("A2", "B1", "B2", "C1", "C2")


class Learner(Aggregate):
    class Registered(Aggregate.Created):
        channel: str
        external_id: str
        mode: str
        level: str

    class SettingsChanged(Aggregate.Event):
        mode: str
        level: str

    class PracticeStarted(Aggregate.Event):
        session_id: UUID
        prompt_id: str

    @staticmethod
    def create_id(channel: str, external_id: str, **_: Any) -> UUID:
        return learner_id(channel, external_id)

    @event(Registered)
    def __init__(self, channel: str, external_id: str, mode: str, level: str) -> None:
        self.channel = channel
        self.external_id = external_id
        self.mode = mode
        self.level = level
        self.active_session_id: UUID | None = None
        self.active_prompt_id: str | None = None

    def start_practice(self, session_id: UUID, prompt_id: str) -> None:
        """The session the learner's next voice answers belong to."""
        if session_id != self.active_session_id:
            self._practice_started(session_id, prompt_id)

    @event(PracticeStarted)
    def _practice_started(self, session_id: UUID, prompt_id: str) -> None:
        self.active_session_id = session_id
        self.active_prompt_id = prompt_id

    def change_settings(self, mode: str, level: str) -> None:
        if (mode, level) != (self.mode, self.level):
            self._settings_changed(mode, level)

    @event(SettingsChanged)
    def _settings_changed(self, mode: str, level: str) -> None:
        self.mode = mode
        self.level = level
