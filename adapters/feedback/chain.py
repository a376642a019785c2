"""The feedback providers in turn: OpenAI, then Anthropic, then a local language model, then
our rules, which always answer. A provider that fails (times out, is rate limited or out of
quota, refuses the key, answers outside the schema) hands the answer to the next; one that
keeps failing is skipped for a while (a circuit breaker, pybreaker) instead of making every
learner wait for its timeout."""

from __future__ import annotations

import logging
from dataclasses import replace

import pybreaker

from adapters.metrics import FAILOVERS, PROVIDER_CALLS
from application.ports import Feedback, FeedbackProvider, FeedbackRequest
from domain.errors import ProviderError

log = logging.getLogger(__name__)
FAILURES_TO_OPEN, OPEN_FOR_S = 5, 60


class FeedbackChain:
    def __init__(
        self,
        providers: list[FeedbackProvider],
        last: FeedbackProvider,
        failures_to_open: int = FAILURES_TO_OPEN,
        open_for_s: float = OPEN_FOR_S,
    ) -> None:
        self.providers, self.last = providers, last
        self.name = " -> ".join([p.name for p in providers] + [last.name])
        self._breakers = {
            p.name: pybreaker.CircuitBreaker(fail_max=failures_to_open, reset_timeout=open_for_s)
            for p in providers
        }

    def give_feedback(self, request: FeedbackRequest) -> Feedback:
        """The first provider's feedback that came; its usage names the ones that failed
        before it (`failed_over`), for the pipeline's health."""
        failures: list[str] = []
        for provider in self.providers:
            try:
                feedback: Feedback = self._breakers[provider.name].call(
                    provider.give_feedback, request
                )
            except pybreaker.CircuitBreakerError:
                outcome = "circuit_open"
            except ProviderError as error:
                outcome = error.code
                log.warning("%s failed (%s); the next provider takes over", provider.name,
                            error.message)  # fmt: skip
            else:
                PROVIDER_CALLS.labels(provider.name, "ok").inc()
                return _after(feedback, failures)
            PROVIDER_CALLS.labels(provider.name, outcome).inc()
            FAILOVERS.labels(provider.name).inc()
            failures.append(f"{provider.name}: {outcome}")
        return _after(self.last.give_feedback(request), failures)


def _after(feedback: Feedback, failures: list[str]) -> Feedback:
    return replace(feedback, usage=feedback.usage.after_failures(failures))
