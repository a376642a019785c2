"""What a provider's answer cost: who answered, how long it took, what it was billed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Usage:
    """One provider's part in an answer's feedback or transcript.

    `audio_s` is the audio a speech-to-text provider billed (0 for the local model);
    tokens are a language model's; `cost_usd` comes from the price table in settings.
    `failed_over`: the providers tried before this one, each "name: why it failed"
    (`openai: rate_limited`), in the order they were tried.
    """

    provider: str
    model: str = ""
    latency_s: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    audio_s: float = 0.0
    cost_usd: float = 0.0
    failed_over: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Usage:
        """As `dataclasses.asdict` gave it, stored as JSON (a tuple comes back a list);
        usage recorded before `failed_over` existed has none."""
        return cls(**{**data, "failed_over": tuple(data.get("failed_over", ()))})

    def after_failures(self, failures: Sequence[str]) -> Usage:
        """This usage, the providers that failed before it in front of its own."""
        return replace(self, failed_over=(*failures, *self.failed_over)) if failures else self
