"""What a provider's answer cost: who answered, how long it took, what it was billed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Usage:
    """One provider's part in an answer's feedback or transcript.

    `audio_s` is the audio a speech-to-text provider billed (0 for the local model);
    tokens are a language model's; `cost_usd` comes from the price table in settings.
    """

    provider: str
    model: str = ""
    latency_s: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    audio_s: float = 0.0
    cost_usd: float = 0.0
