"""Deterministic ids, so a retried command lands on the aggregate it already created."""

from __future__ import annotations

from uuid import UUID, uuid5

NAMESPACE = UUID("5b0c3a52-7a51-4c6e-9c55-2f1d6f0f3a10")


def learner_id(channel: str, external_id: str) -> UUID:
    """One learner per (channel, account), e.g. ("telegram", "12345") or ("cli", "local")."""
    return uuid5(NAMESPACE, f"learner:{channel}:{external_id}")


def session_id(learner: UUID, source_key: str) -> UUID:
    """One session per learner and source message, e.g. "telegram:<chat id>:<message id>"."""
    return uuid5(NAMESPACE, f"session:{learner.hex}:{source_key}")
