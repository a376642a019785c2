"""Event-time sliding windows over answers: plain Python, no dataflow in sight.

An answer is counted at the moment it was received (its event time), in every window that
holds that moment: with windows of an hour sliding every five minutes, in twelve of them.
A window is kept open until the watermark (the latest event time seen, less the allowed
lateness) passes its end; an answer that arrives later than that is counted as too late
and changes nothing, so a window, once final, stays what it was.

Folding is deterministic (the same answers in the same order give the same rows) and the
state is plain data that pickles, so the dataflow (Bytewax) only moves it, its recovery can
snapshot it, and a test can recount any window by brute force. The state is changed in
place: copying every open window for each answer would cost more than the answer.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MEASURES = (
    "words",
    "seconds",
    "wpm",
    "fillers_per_100_words",
    "long_pauses_per_minute",
    "mattr",
    "score",
)


@dataclass(frozen=True)
class Sliding:
    """Windows `length_s` long, one starting every `every_s`, aligned to the epoch."""

    name: str
    length_s: int
    every_s: int

    def __post_init__(self) -> None:
        if self.every_s <= 0 or self.length_s < self.every_s:
            raise ValueError(
                f"A window of {self.length_s} s cannot slide every {self.every_s} s: the "
                "window must be at least as long as its step, and the step positive."
            )

    def starts(self, at: float) -> list[int]:
        """The start of every window [start, start + length) that holds `at`."""
        last = math.floor(at / self.every_s) * self.every_s
        first = last - (math.ceil(self.length_s / self.every_s) - 1) * self.every_s
        return [s for s in range(first, last + 1, self.every_s) if s <= at < s + self.length_s]


HOUR = Sliding("1h/5m", 3_600, 300)
WEEK = Sliding("7d/1d", 7 * 86_400, 86_400)


@dataclass(frozen=True)
class AnswerFact:
    """One answer as the analytics see it: when it came, whose it was, what it measured."""

    at: float  # when it was received, seconds since the epoch
    learner: str
    mode: str
    level: str
    failed: bool = False
    measures: Mapping[str, float] = field(default_factory=dict)  # of MEASURES, if known
    latency_s: float | None = None  # from receiving it to the learner being told

    def dimensions(self) -> list[tuple[str, str]]:
        """The groups it counts in: overall, its learner, its mode, its level."""
        return [("all", "*"), ("learner", self.learner), ("mode", self.mode), ("level", self.level)]


@dataclass
class Tally:
    """What one window of one group adds up to so far."""

    answers: int = 0
    failed: int = 0
    learners: set[str] = field(default_factory=set)
    sums: dict[str, tuple[float, int]] = field(default_factory=dict)  # measure: sum, count
    latencies: list[float] = field(default_factory=list)  # sorted

    def add(self, fact: AnswerFact) -> None:
        self.answers += 1
        self.failed += int(fact.failed)
        self.learners.add(fact.learner)
        for name, value in fact.measures.items():
            total, n = self.sums.get(name, (0.0, 0))
            self.sums[name] = (total + value, n + 1)
        if fact.latency_s is not None:
            bisect.insort(self.latencies, fact.latency_s)

    def row(self) -> dict[str, Any]:
        """The window's figures: counts, the failure rate, each measure's mean, and the
        latency's p50 and p95 (nearest rank), None where no answer had the figure."""
        means = {name: total / n for name, (total, n) in self.sums.items()}
        return {
            "answers": self.answers,
            "active_learners": len(self.learners),
            "failure_rate": self.failed / self.answers if self.answers else 0.0,
            **{f"mean_{name}": means.get(name) for name in MEASURES},
            "latency_p50_s": _rank(self.latencies, 0.50),
            "latency_p95_s": _rank(self.latencies, 0.95),
        }


def _rank(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


WindowKey = tuple[str, int, str, str]  # sliding's name, start, dimension, value


@dataclass(frozen=True)
class WindowRow:
    """A window's figures as they stand; `version` grows with each answer folded in and
    once more when the window is final, so a store that keeps the highest version of each
    window (ClickHouse's ReplacingMergeTree) keeps its latest figures, however often a
    replay writes the same rows again."""

    sliding: str
    start: int
    end: int
    dimension: str
    value: str
    version: int
    final: bool
    figures: Mapping[str, Any]


@dataclass
class Windows:
    """The open windows of some slidings, and the watermark that closes them."""

    slidings: tuple[Sliding, ...] = (HOUR, WEEK)
    lateness_s: float = 600.0
    latest_s: float = -math.inf
    open: dict[WindowKey, Tally] = field(default_factory=dict)
    too_late: int = 0
    _first_end: float = math.inf  # the earliest end among the open windows

    @property
    def watermark(self) -> float:
        return self.latest_s - self.lateness_s

    def fold(self, fact: AnswerFact) -> list[WindowRow]:
        """Fold one answer in: the windows it changed (and any the watermark now closes),
        as rows; an answer whose windows have all closed changes nothing."""
        watermark = self.watermark
        touched: list[WindowKey] = []
        for sliding in self.slidings:
            for start in sliding.starts(fact.at):
                end = start + sliding.length_s
                if end <= watermark:
                    continue  # that window is final
                self._first_end = min(self._first_end, end)
                for dimension, value in fact.dimensions():
                    key = (sliding.name, start, dimension, value)
                    self.open.setdefault(key, Tally()).add(fact)
                    touched.append(key)
        if not touched:
            self.too_late += 1
            return []
        self.latest_s = max(self.latest_s, fact.at)
        rows = [self._row(key, self.open[key]) for key in touched]
        return rows + self._close()  # never one it touched: each ends after its time

    def _end(self, key: WindowKey) -> int:
        return key[1] + next(s.length_s for s in self.slidings if s.name == key[0])

    def _row(self, key: WindowKey, tally: Tally) -> WindowRow:
        end = self._end(key)
        final = end <= self.watermark
        return WindowRow(key[0], key[1], end, key[2], key[3], 2 * tally.answers + final,
                         final, tally.row())  # fmt: skip

    def _close(self) -> list[WindowRow]:
        """The windows the watermark has passed, as final rows, taken out of the open ones."""
        watermark = self.watermark
        if self._first_end > watermark:
            return []
        ended = sorted(key for key in self.open if self._end(key) <= watermark)
        rows = [self._row(key, self.open.pop(key)) for key in ended]
        self._first_end = min((self._end(key) for key in self.open), default=math.inf)
        return rows
