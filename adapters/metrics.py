"""Prometheus metrics of every role: the webhook serves them on /metrics, the relay and the
workers on a port of their own (`--metrics-port`). Names start with `speech_coach_`.

Counters and histograms are kept by the code that does the work; the streams' figures
(pending entries, entries waiting, dead letters) are read from Redis when scraped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client import Counter, Histogram, start_http_server
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector

UPDATES = Counter(
    "speech_coach_updates", "Telegram updates the webhook took, by outcome", ["outcome"]
)
STEP_SECONDS = Histogram(
    "speech_coach_step_seconds",
    "How long a worker's step took, by kind",
    ["kind"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
)
STEPS = Counter(
    "speech_coach_steps",
    "Steps a worker ran, by kind and outcome (ok, failed, waiting, dead_letter)",
    ["kind", "outcome"],
)
PUBLISHED = Counter("speech_coach_relay_published", "Step events the relay published", ["topic"])
RECONCILED = Counter(
    "speech_coach_relay_reconciled",
    "Step events published again because their attempt was stuck with no worker holding it",
    ["topic"],
)
PROVIDER_CALLS = Counter(
    "speech_coach_provider_calls", "Calls to a provider, by outcome", ["provider", "outcome"]
)
FAILOVERS = Counter(
    "speech_coach_failovers", "Times a provider failed and the next one took over", ["provider"]
)


class StreamsCollector(Collector):
    """Each group's pending entries and entries waiting, and the dead letters, from Redis."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from adapters.streams.operations import redis_state

        state, groups, dead = redis_state(self.client)
        pending = GaugeMetricFamily(
            "speech_coach_stream_pending", "Entries a group took and has not acknowledged",
            labels=["stream", "group"],
        )  # fmt: skip
        waiting = GaugeMetricFamily(
            "speech_coach_stream_waiting", "Entries no consumer of the group has read yet",
            labels=["stream", "group"],
        )  # fmt: skip
        for group in groups:
            pending.add_metric([group.stream, group.group], group.pending)
            if group.lag is not None:
                waiting.add_metric([group.stream, group.group], group.lag)
        up = GaugeMetricFamily("speech_coach_redis_up", "1 when Redis answers")
        up.add_metric([], 1 if state == "up" else 0)
        letters = GaugeMetricFamily("speech_coach_dead_letters", "Entries given up on")
        letters.add_metric([], dead)
        yield from (pending, waiting, up, letters)


def watch_streams(client: Any) -> None:
    """Report the streams' figures from this process (the relay's)."""
    REGISTRY.register(StreamsCollector(client))


def serve_metrics(port: int, host: str = "0.0.0.0") -> None:  # noqa: S104 - a container's port
    """Serve this process's metrics over HTTP at `port` (a thread of its own)."""
    start_http_server(port, addr=host)
