"""The time map brings every reduced-audio time back to the right place on the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adapters.audio import TimeMap
from adapters.audio.reduce import kept_stretches
from domain.speech import Interval


@st.composite
def time_maps(draw: st.DrawFn) -> TimeMap:
    lengths = draw(st.lists(st.floats(0.05, 20.0), min_size=1, max_size=12))
    gaps = draw(st.lists(st.floats(0.01, 10.0), min_size=len(lengths), max_size=len(lengths)))
    stretches, cursor = [], 0.0
    for gap, length in zip(gaps, lengths, strict=True):
        stretches.append(Interval(cursor + gap, cursor + gap + length))
        cursor += gap + length
    return TimeMap(tuple(stretches), draw(st.floats(1.0, 2.0)))


@given(time_maps(), st.lists(st.floats(0.0, 1.0), min_size=2, max_size=30))
def test_later_reduced_times_never_map_to_earlier_original_times(
    time_map: TimeMap, fractions: list[float]
) -> None:
    times = sorted(f * time_map.duration_s for f in fractions)
    for convert in (time_map.to_original, time_map.to_original_end):
        mapped = [convert(t) for t in times]
        assert mapped == sorted(mapped)


@given(time_maps())
def test_stretch_edges_map_exactly_to_the_original_edges(time_map: TimeMap) -> None:
    for start, stretch in zip(time_map.starts, time_map.stretches, strict=True):
        end = start + stretch.duration_s / time_map.scale
        assert time_map.to_original(start) == stretch.start_s
        assert abs(time_map.to_original_end(end) - stretch.end_s) < 1e-9


@given(time_maps(), st.floats(0.0, 1.0))
def test_every_reduced_time_lands_inside_a_kept_stretch(time_map: TimeMap, fraction: float) -> None:
    original = time_map.to_original(fraction * time_map.duration_s)
    assert any(s.start_s <= original <= s.end_s for s in time_map.stretches)


@given(time_maps(), st.floats(0.0, 1.0), st.floats(0.0, 0.99))
def test_inside_a_stretch_reduced_seconds_grow_by_the_speed_up(
    time_map: TimeMap, which: float, position: float
) -> None:
    index = min(int(which * len(time_map.stretches)), len(time_map.stretches) - 1)
    stretch, start = time_map.stretches[index], time_map.starts[index]
    offset = position * stretch.duration_s / time_map.scale
    expected = stretch.start_s + offset * time_map.scale
    assert abs(time_map.to_original(start + offset) - expected) < 1e-6


def test_only_silences_longer_than_twice_the_padding_are_cut() -> None:
    speech = (Interval(1.0, 2.0), Interval(2.25, 3.0), Interval(4.0, 5.0))
    kept = kept_stretches(speech, duration_s=6.0, padding_s=0.15)
    assert kept == (Interval(0.85, 3.15), Interval(3.85, 5.15))
