"""Event-time sliding windows over answers, as pure functions.

An answer is counted at the moment it was received (its event time), in every window that
holds that moment: with windows of an hour sliding every five minutes, in twelve of them.
A window is kept open until the watermark (the latest event time seen, less the allowed
lateness) passes its end; an answer that arrives later than that is counted as too late
and changes nothing, so a window, once final, stays what it was.

Everything here is a value in and a value out, so that the dataflow (Bytewax) only moves
these values, its recovery can snapshot them, and a test can recount any window by brute
force.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
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


@dataclass(frozen=True)
class Tally:
    """What one window of one group adds up to so far."""

    answers: int = 0
    failed: int = 0
    learners: frozenset[str] = frozenset()
    sums: tuple[tuple[str, float, int], ...] = ()  # measure, sum, how many had it
    latencies: tuple[float, ...] = ()  # sorted

    def add(self, fact: AnswerFact) -> Tally:
        sums = {name: (total, n) for name, total, n in self.sums}
        for name, value in fact.measures.items():
            total, n = sums.get(name, (0.0, 0))
            sums[name] = (total + value, n + 1)
        latencies = self.latencies
        if fact.latency_s is not None:
            latencies = tuple(sorted((*latencies, fact.latency_s)))
        return Tally(
            answers=self.answers + 1,
            failed=self.failed + int(fact.failed),
            learners=self.learners | {fact.learner},
            sums=tuple((name, *sums[name]) for name in sorted(sums)),
            latencies=latencies,
        )

    def row(self) -> dict[str, Any]:
        """The window's figures: counts, the failure rate, each measure's mean, and the
        latency's p50 and p95 (nearest rank), None where no answer had the figure."""
        means = {name: total / n for name, total, n in self.sums}
        return {
            "answers": self.answers,
            "active_learners": len(self.learners),
            "failure_rate": self.failed / self.answers if self.answers else 0.0,
            **{f"mean_{name}": means.get(name) for name in MEASURES},
            "latency_p50_s": _rank(self.latencies, 0.50),
            "latency_p95_s": _rank(self.latencies, 0.95),
        }


def _rank(ordered: tuple[float, ...], q: float) -> float | None:
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


@dataclass(frozen=True)
class Windows:
    """The open windows of some slidings, and the watermark that closes them."""

    slidings: tuple[Sliding, ...] = (HOUR, WEEK)
    lateness_s: float = 600.0
    latest_s: float = -math.inf
    open: Mapping[WindowKey, Tally] = field(default_factory=dict)
    too_late: int = 0

    @property
    def watermark(self) -> float:
        return self.latest_s - self.lateness_s

    def fold(self, fact: AnswerFact) -> tuple[Windows, list[WindowRow]]:
        """Fold one answer in: the windows it changed (and any the watermark now closes),
        as rows; an answer whose windows have all closed changes nothing."""
        watermark = self.watermark
        touched: dict[WindowKey, Tally] = {}
        for sliding in self.slidings:
            for start in sliding.starts(fact.at):
                if start + sliding.length_s <= watermark:
                    continue  # that window is final
                for dimension, value in fact.dimensions():
                    key = (sliding.name, start, dimension, value)
                    touched[key] = self.open.get(key, Tally()).add(fact)
        if not touched:
            return replace(self, too_late=self.too_late + 1), []
        opened = {**self.open, **touched}
        latest = max(self.latest_s, fact.at)
        state = replace(self, open=opened, latest_s=latest)
        rows = [state._row(key, tally) for key, tally in touched.items()]
        closed, state = state._close()  # never one it touched: each ends after its time
        return state, rows + closed

    def _end(self, key: WindowKey) -> int:
        return key[1] + next(s.length_s for s in self.slidings if s.name == key[0])

    def _row(self, key: WindowKey, tally: Tally) -> WindowRow:
        end = self._end(key)
        final = end <= self.watermark
        return WindowRow(key[0], key[1], end, key[2], key[3], 2 * tally.answers + final,
                         final, tally.row())  # fmt: skip

    def _close(self) -> tuple[list[WindowRow], Windows]:
        """The windows the watermark has passed, as final rows, and the state without them."""
        watermark = self.watermark
        ended = {key for key in self.open if self._end(key) <= watermark}
        if not ended:
            return [], self
        rows = [self._row(key, self.open[key]) for key in sorted(ended)]
        kept = {key: tally for key, tally in self.open.items() if key not in ended}
        return rows, replace(self, open=kept)
