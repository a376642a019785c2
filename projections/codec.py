"""The stored (JSON) form of view records, for the backends that keep them in a database."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any
from uuid import UUID

from application.transcodings import TranscriptAsDict
from projections.history import HistoryRow, SessionFacts
from projections.views import AttemptView, LearnerView

_TRANSCRIPT = TranscriptAsDict()
_IDS = ("session_id", "learner_id", "active_session_id")  # each may be absent or None


def _dump(data: dict[str, Any]) -> str:
    for key in _IDS:
        if data.get(key) is not None:
            data[key] = str(data[key])
    for key in ("at", "received_at"):
        if key in data:
            data[key] = data[key].isoformat()
    return json.dumps(data, separators=(",", ":"))


def _load(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    for key in _IDS:
        if data.get(key) is not None:
            data[key] = UUID(data[key])
    for key in ("at", "received_at"):
        if key in data:
            data[key] = datetime.fromisoformat(data[key])
    return data


def dump_row(row: HistoryRow) -> str:
    return _dump(asdict(row))


_ROW_FIELDS = frozenset(f.name for f in fields(HistoryRow))


def load_row(text: str) -> HistoryRow:
    """A stored row; a field a newer version wrote (during a rolling upgrade, its workers
    run ahead of this process) is left out rather than failing the read."""
    data = {k: v for k, v in _load(text).items() if k in _ROW_FIELDS}
    data["grammar_patterns"] = tuple(data.get("grammar_patterns", ()))  # JSON gives a list
    return HistoryRow(**data)


def dump_session(session: SessionFacts) -> str:
    return _dump(asdict(session))


def load_session(text: str) -> SessionFacts:
    return SessionFacts(**_load(text))


def dump_attempt(view: AttemptView) -> str:
    data = {f.name: getattr(view, f.name) for f in fields(view)}
    if view.transcript is not None:
        data["transcript"] = _TRANSCRIPT.encode(view.transcript)
    return _dump(data)


def load_attempt(text: str) -> AttemptView:
    data = _load(text)
    if data["transcript"] is not None:
        data["transcript"] = _TRANSCRIPT.decode(data["transcript"])
    return AttemptView(**data)


def dump_learner(learner: LearnerView) -> str:
    return _dump(asdict(learner))


def load_learner(text: str) -> LearnerView:
    return LearnerView(**_load(text))
