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
import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
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
    # how each stage went: (stage, provider, "ok" or why it failed), in the order tried
    stages: tuple[tuple[str, str, str], ...] = ()

    def dimensions(self) -> list[tuple[str, str]]:
        """The groups it counts in: overall, its learner, its mode, its level."""
        return list(self.groups)

    @cached_property
    def groups(self) -> tuple[tuple[str, str], ...]:
        return (("all", "*"), ("learner", self.learner), ("mode", self.mode),
                ("level", self.level))  # fmt: skip

    @cached_property
    def indexed(self) -> tuple[tuple[int, float], ...]:
        """Its measures by their place in MEASURES: worked out once, added to many windows."""
        return tuple((_PLACE[name], value) for name, value in self.measures.items())


_PLACE = {name: place for place, name in enumerate(MEASURES)}
_MEANS = tuple(f"mean_{name}" for name in MEASURES)


@dataclass
class Tally:
    """What one window of one group adds up to so far."""

    answers: int = 0
    failed: int = 0
    learners: set[str] = field(default_factory=set)
    sums: list[float] = field(default_factory=lambda: [0.0] * len(MEASURES))  # as MEASURES
    counts: list[int] = field(default_factory=lambda: [0] * len(MEASURES))  # answers with it
    latencies: list[float] = field(default_factory=list)  # sorted

    def add(self, fact: AnswerFact) -> None:
        self.answers += 1
        self.failed += fact.failed
        self.learners.add(fact.learner)
        sums, counts = self.sums, self.counts
        for place, value in fact.indexed:
            sums[place] += value
            counts[place] += 1
        if fact.latency_s is not None:
            bisect.insort(self.latencies, fact.latency_s)

    def row(self) -> dict[str, Any]:
        """The window's figures: counts, the failure rate, each measure's mean, and the
        latency's p50 and p95 (nearest rank), None where no answer had the figure."""
        return {
            "answers": self.answers,
            "active_learners": len(self.learners),
            "failure_rate": self.failed / self.answers if self.answers else 0.0,
            **{
                name: self.sums[place] / n if (n := self.counts[place]) else None
                for place, name in enumerate(_MEANS)
            },
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
    """The open windows of some slidings, and the watermark that closes them.

    `add` folds answers in; `flush` gives the rows of the windows changed since the last
    flush (each once, with its latest figures) and of those the watermark has closed. A
    dataflow adds a batch of answers and flushes once, so a window that twenty answers
    changed is written once, not twenty times."""

    slidings: tuple[Sliding, ...] = (HOUR, WEEK)
    lateness_s: float = 600.0
    latest_s: float = -math.inf
    open: dict[WindowKey, Tally] = field(default_factory=dict)
    too_late: int = 0
    _ends: list[tuple[int, WindowKey]] = field(default_factory=list)  # heap: end, window
    _changed: set[WindowKey] = field(default_factory=set)
    _closed: list[WindowRow] = field(default_factory=list)

    @property
    def watermark(self) -> float:
        return self.latest_s - self.lateness_s

    def fold(self, fact: AnswerFact) -> list[WindowRow]:
        """Fold one answer in: the rows it changed, and of any window it closed."""
        self.add(fact)
        return self.flush()

    def add(self, fact: AnswerFact) -> bool:
        """Fold one answer in; False when its windows had all closed (it changes nothing)."""
        watermark = self.watermark
        added = False
        for sliding in self.slidings:
            for start in sliding.starts(fact.at):
                end = start + sliding.length_s
                if end <= watermark:
                    continue  # that window is final
                for dimension, value in fact.groups:
                    key = (sliding.name, start, dimension, value)
                    tally = self.open.get(key)
                    if tally is None:
                        tally = self.open[key] = Tally()
                        heapq.heappush(self._ends, (end, key))
                    tally.add(fact)
                    self._changed.add(key)
                added = True
        if not added:
            self.too_late += 1
            return False
        if fact.at > self.latest_s:
            self.latest_s = fact.at
            self._close()  # never one it changed: each ends after its time
        return True

    def flush(self) -> list[WindowRow]:
        rows = [self._row(key, self.open[key]) for key in sorted(self._changed)]
        rows += self._closed
        self._changed.clear()
        self._closed = []
        return rows

    def _end(self, key: WindowKey) -> int:
        return key[1] + next(s.length_s for s in self.slidings if s.name == key[0])

    def _row(self, key: WindowKey, tally: Tally) -> WindowRow:
        end = self._end(key)
        final = end <= self.watermark
        return WindowRow(key[0], key[1], end, key[2], key[3], 2 * tally.answers + final,
                         final, tally.row())  # fmt: skip

    def _close(self) -> None:
        """Take the windows the watermark has passed out of the open ones, as final rows."""
        watermark = self.watermark
        while self._ends and self._ends[0][0] <= watermark:
            _, key = heapq.heappop(self._ends)
            self._closed.append(self._row(key, self.open.pop(key)))
            self._changed.discard(key)
