"""The analytics' sliding windows agree with a brute-force recount of the same answers,
whatever order they arrive in within the allowed lateness; later answers change nothing."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.windows import HOUR, MEASURES, AnswerFact, Sliding, Tally, WindowRow, Windows

SMALL = Sliding("10m/2m", 600, 120)  # the hour's shape, small enough to cover many windows
LATENESS_S = 300.0

facts = st.builds(
    AnswerFact,
    at=st.integers(0, 1_500).map(float),
    learner=st.sampled_from(["ann", "bo", "cy"]),
    mode=st.sampled_from(["free_talk", "ielts_part2"]),
    level=st.sampled_from(["B1", "C1"]),
    failed=st.booleans(),
    measures=st.dictionaries(st.sampled_from(MEASURES), st.floats(0, 200), max_size=3),
    latency_s=st.none() | st.floats(0.1, 60),
)


def _recount(answers: Iterable[AnswerFact], sliding: Sliding, key: tuple[Any, ...]) -> Tally:
    """One window of one group counted from scratch: each answer in [start, start+length)."""
    _, start, dimension, value = key
    tally = Tally()
    for fact in answers:
        inside = start <= fact.at < start + sliding.length_s
        if inside and (dimension, value) in fact.dimensions():
            tally.add(fact)
    return tally


def _same(got: dict[str, Any], expected: dict[str, Any]) -> bool:
    """Equal figures; sums of floats may differ in their last bits with the order of adding."""
    return got.keys() == expected.keys() and all(
        got[k] == expected[k] or (
            isinstance(got[k], float) and math.isclose(got[k], expected[k], rel_tol=1e-9)
        )
        for k in got
    )  # fmt: skip


def _latest(rows: Iterable[WindowRow]) -> dict[tuple[Any, ...], WindowRow]:
    """What a store keeping each window's highest version holds."""
    kept: dict[tuple[Any, ...], WindowRow] = {}
    for row in rows:
        key = (row.sliding, row.start, row.dimension, row.value)
        if key not in kept or row.version >= kept[key].version:
            kept[key] = row
    return kept


delays = st.lists(st.just(LATENESS_S) | st.floats(0, LATENESS_S), max_size=40)  # up to the limit


@given(answers=st.lists(facts, max_size=40), delays=delays)
def test_every_window_equals_a_recount_whatever_the_arrival_order_within_the_lateness(
    answers: list[AnswerFact], delays: list[float]
):
    arriving = sorted(zip(answers, delays + [0.0] * len(answers), strict=False),
                      key=lambda pair: pair[0].at + pair[1])  # fmt: skip
    state, rows = Windows(slidings=(SMALL,), lateness_s=LATENESS_S), []
    for fact, _ in arriving:
        rows.extend(state.fold(fact))
    assert state.too_late == 0, "nothing arrived later than the lateness allows"
    kept = _latest(rows)
    expected = {
        (SMALL.name, start, dimension, value)
        for fact in answers
        for start in SMALL.starts(fact.at)
        for dimension, value in fact.dimensions()
    }
    assert set(kept) == expected, "a row for every window that holds an answer, and no other"
    for key, row in kept.items():
        recounted = _recount(answers, SMALL, key)
        assert _same(row.figures, recounted.row()), key
        assert row.end == row.start + SMALL.length_s


@given(answers=st.lists(facts, min_size=1, max_size=30))
def test_an_answer_later_than_the_lateness_changes_no_final_window(answers: list[AnswerFact]):
    state = Windows(slidings=(SMALL,), lateness_s=LATENESS_S)
    for fact in sorted(answers, key=lambda f: f.at):
        state.fold(fact)
    before = {key: tally.row() for key, tally in state.open.items()}
    late = AnswerFact(at=state.watermark - SMALL.length_s, learner="ann", mode="free_talk",
                      level="B1")  # fmt: skip
    assert state.fold(late) == []
    assert state.too_late == 1
    assert {key: tally.row() for key, tally in state.open.items()} == before


@given(at=st.floats(0, 10**9, allow_nan=False))
def test_an_answer_falls_in_as_many_windows_as_the_window_has_steps(at: float):
    starts = HOUR.starts(at)
    assert len(starts) == HOUR.length_s // HOUR.every_s
    assert all(start <= at < start + HOUR.length_s for start in starts)
    assert all(start % HOUR.every_s == 0 for start in starts)


def test_a_window_shorter_than_its_step_is_refused_with_what_to_change():
    with pytest.raises(ValueError, match="at least as long as its step"):
        Sliding("bad", 60, 300)


def test_the_figures_of_a_window_read_as_an_analyst_expects():
    tally = Tally()
    for n, latency in enumerate([1.0, 20.0, 3.0, 4.0, 2.0]):
        tally.add(AnswerFact(at=float(n), learner=f"l{n % 2}", mode="free_talk",
                                     level="B1", failed=n == 4, measures={"wpm": 100.0 + n},
                                     latency_s=latency))  # fmt: skip
    row = tally.row()
    assert row["answers"] == 5
    assert row["active_learners"] == 2
    assert row["failure_rate"] == pytest.approx(0.2)
    assert row["mean_wpm"] == pytest.approx(102.0)
    assert row["mean_score"] is None, "no answer had a score: no mean, not zero"
    assert (row["latency_p50_s"], row["latency_p95_s"]) == (3.0, 20.0)
