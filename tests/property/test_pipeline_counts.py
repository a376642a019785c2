"""The pipeline's health figures: stage outcomes counted in buckets that add up to any
sliding window exactly, and capture-lag percentiles within one histogram bin (15%) of the
exact ones."""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from analytics.pipeline import CaptureLag, StageCounts, StageRow, bin_edge, lag_bin
from analytics.windows import HOUR, AnswerFact, Windows

STAGES = st.sampled_from([
    ("transcription", "openai:whisper-1", "ok"),
    ("transcription", "none", "no_speech"),
    ("feedback", "OpenAI", "rate_limited"),
    ("feedback", "Anthropic", "ok"),
    ("delivery", "telegram", "ok"),
])  # fmt: skip
FACTS = st.lists(
    st.builds(
        AnswerFact,
        at=st.floats(0, 6 * 3_600, allow_nan=False),
        learner=st.just("ann"),
        mode=st.just("free_talk"),
        level=st.just("B1"),
        stages=st.lists(STAGES, min_size=1, max_size=4).map(tuple),
    ),
    max_size=60,
)


@given(FACTS, st.integers(1, 7))
def test_an_hours_buckets_add_up_to_a_recount_of_its_answers(facts, flush_every):  # type: ignore[no-untyped-def]
    windows, counts = Windows(slidings=(HOUR,), lateness_s=900), StageCounts()
    latest: dict[tuple[int, str, str, str], StageRow] = {}
    counted: list[AnswerFact] = []
    for n, fact in enumerate(facts, start=1):
        every = counts.every_s
        if math.floor(fact.at / every) * every + every > windows.watermark:  # bucket open
            counted.append(fact)
        counts.add(fact, windows.watermark)
        windows.add(fact)
        if n % flush_every == 0:
            for row in counts.flush(windows.watermark):
                key = (row.start, row.stage, row.provider, row.outcome)
                if key not in latest or row.version >= latest[key].version:
                    latest[key] = row
    for row in counts.flush(math.inf):
        latest[(row.start, row.stage, row.provider, row.outcome)] = row
    assert all(row.final for row in latest.values()), "every bucket closes in the end"
    for start in HOUR.starts(3 * 3_600):  # any window: the sum of the buckets it covers
        expected = Counter(
            stage for f in counted if start <= f.at < start + HOUR.length_s for stage in f.stages
        )
        summed: Counter[tuple[str, str, str]] = Counter()
        for row in latest.values():
            if start <= row.start < start + HOUR.length_s:
                summed[(row.stage, row.provider, row.outcome)] += row.answers
        assert summed == expected


@given(st.lists(st.floats(0, 5 * 86_400, allow_nan=False), min_size=1, max_size=300))
def test_lag_percentiles_are_within_a_bin_of_the_exact_ones(lags):  # type: ignore[no-untyped-def]
    capture = CaptureLag()
    capture.add(read_at=120.0, lags=lags)
    (row,) = capture.flush(now=10_000.0)
    ordered = sorted(lags)
    assert row.final
    assert (row.events, row.lag_max_s) == (len(lags), max(lags))
    for q, shown in ((0.5, row.lag_p50_s), (0.95, row.lag_p95_s)):
        exact = ordered[max(math.ceil(q * len(ordered)) - 1, 0)]
        assert shown >= exact or math.isclose(shown, exact), "never better than it was"
        assert shown <= max(exact * 1.15, bin_edge(0)) + 1e-9, "at most one bin worse"


def test_a_lag_bin_holds_the_lags_up_to_its_edge():
    for lag in (0.0, 0.005, 0.01, 0.0115, 0.5, 1.0, 60.0, 3_600.0):
        assert lag <= bin_edge(lag_bin(lag)) + 1e-12
        assert lag_bin(lag) == 0 or lag > bin_edge(lag_bin(lag) - 1)


def test_a_minute_is_written_while_it_fills_and_once_more_when_final():
    capture = CaptureLag()
    capture.add(read_at=60.0, lags=[1.0])
    assert [r.final for r in capture.flush(now=61.0)] == [False]
    assert capture.flush(now=62.0) == [], "nothing new, nothing written"
    capture.add(read_at=70.0, lags=[2.0])
    (row,) = capture.flush(now=70.0)
    assert (row.events, row.final) == (2, False)
    (closing,) = capture.flush(now=180.0)
    assert closing.final
    assert closing.version > row.version, "the final row replaces the open one"
    assert capture.open == {}
