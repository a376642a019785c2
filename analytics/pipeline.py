"""Two figures of the pipeline's health that need no sliding windows of their own.

How each stage of each answer went (which provider answered, which failed before it and
why, which attempts were given up) is a count: a sliding window of counts is the sum of
the five-minute buckets it covers, so the dataflow keeps tumbling buckets of event time
and the dashboards add them up. Counting them into every sliding window of every group, as
the answers' figures are, would cost the dataflow a quarter of its speed.

How far behind the log the dataflow reads (capture lag: from an event being recorded to
the dataflow taking it, through Debezium and Kafka when they carry it) is kept per minute
of reading time, as a histogram whose bins are 15% apart, so its percentiles are exact to
within a bin and the state stays small however many events a minute brings.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from analytics.windows import AnswerFact

STAGE_BUCKET_S = 300  # the sliding windows' step: every window is a whole number of buckets
LAG_BUCKET_S = 60
_LAG_FLOOR_S, _LAG_RATIO, _LAG_BINS = 0.01, 1.15, 140  # 10 ms ... 31 days
_LOG_RATIO = math.log(_LAG_RATIO)

StageKey = tuple[int, str, str, str]  # bucket start, stage, provider, outcome


@dataclass(frozen=True)
class StageRow:
    """How often a stage went one way in one bucket; `version` as a window's (2 x count,
    and one more once final), so ClickHouse keeps the latest."""

    start: int
    stage: str
    provider: str
    outcome: str
    answers: int
    version: int
    final: bool


@dataclass
class StageCounts:
    """Stage outcomes of answers, in tumbling buckets of their event time, each kept open
    until the watermark (the answers' windows' own) passes its end."""

    every_s: int = STAGE_BUCKET_S
    counts: dict[StageKey, int] = field(default_factory=dict)
    too_late: int = 0
    _ends: list[tuple[int, StageKey]] = field(default_factory=list)  # heap: end, key
    _changed: set[StageKey] = field(default_factory=set)
    _closed: list[StageRow] = field(default_factory=list)

    def add(self, fact: AnswerFact, watermark: float) -> None:
        start = math.floor(fact.at / self.every_s) * self.every_s
        end = start + self.every_s
        if end <= watermark:
            self.too_late += 1
            return
        for stage, provider, outcome in fact.stages:
            key = (start, stage, provider, outcome)
            if key not in self.counts:
                self.counts[key] = 0
                heapq.heappush(self._ends, (end, key))
            self.counts[key] += 1
            self._changed.add(key)

    def flush(self, watermark: float) -> list[StageRow]:
        """The rows changed since the last flush, and of the buckets now closed (final)."""
        while self._ends and self._ends[0][0] <= watermark:
            _, key = heapq.heappop(self._ends)
            self._closed.append(self._row(key, self.counts.pop(key), final=True))
            self._changed.discard(key)
        rows = [self._row(key, self.counts[key], final=False) for key in sorted(self._changed)]
        rows += self._closed
        self._changed.clear()
        self._closed = []
        return rows

    @staticmethod
    def _row(key: StageKey, count: int, *, final: bool) -> StageRow:
        return StageRow(*key, answers=count, version=2 * count + final, final=final)


@dataclass(frozen=True)
class LagRow:
    """Capture lag of the events read in one minute: percentiles (a bin's upper edge) and
    the longest."""

    start: int
    events: int
    lag_p50_s: float
    lag_p95_s: float
    lag_max_s: float
    version: int
    final: bool


@dataclass
class _Histogram:
    bins: dict[int, int] = field(default_factory=dict)
    events: int = 0
    longest: float = 0.0

    def add(self, lag: float) -> None:
        index = lag_bin(lag)
        self.bins[index] = self.bins.get(index, 0) + 1
        self.events += 1
        self.longest = max(self.longest, lag)

    def quantile(self, q: float) -> float:
        """The upper edge of the bin that holds the q-th event (nearest rank), at most the
        longest lag seen."""
        rank, seen = max(math.ceil(q * self.events), 1), 0
        for index in sorted(self.bins):
            seen += self.bins[index]
            if seen >= rank:
                return min(bin_edge(index), self.longest)
        return self.longest


def lag_bin(lag_s: float) -> int:
    """The histogram bin of a lag: bin k holds lags up to 10 ms x 1.15^k."""
    if lag_s <= _LAG_FLOOR_S:
        return 0
    return min(math.ceil(math.log(lag_s / _LAG_FLOOR_S) / _LOG_RATIO - 1e-9), _LAG_BINS - 1)


def bin_edge(index: int) -> float:
    return float(_LAG_FLOOR_S * _LAG_RATIO**index)


@dataclass
class CaptureLag:
    """Capture lag per minute of reading; a minute is final once a minute has passed
    after it."""

    every_s: int = LAG_BUCKET_S
    open: dict[int, _Histogram] = field(default_factory=dict)
    _changed: set[int] = field(default_factory=set)

    def add(self, read_at: float, lags: Iterable[float]) -> None:
        start = math.floor(read_at / self.every_s) * self.every_s
        histogram = self.open.get(start)
        for lag in lags:
            if histogram is None:
                histogram = self.open[start] = _Histogram()
            histogram.add(max(lag, 0.0))
            self._changed.add(start)

    def flush(self, now: float) -> list[LagRow]:
        rows = []
        for start in sorted(self.open):
            final = start + 2 * self.every_s <= now
            if start in self._changed or final:
                rows.append(self._row(start, self.open[start], final=final))
            if final:
                del self.open[start]
        self._changed.clear()
        return rows

    @staticmethod
    def _row(start: int, histogram: _Histogram, *, final: bool) -> LagRow:
        return LagRow(start, histogram.events, histogram.quantile(0.5), histogram.quantile(0.95),
                      histogram.longest, 2 * histogram.events + final, final)  # fmt: skip
