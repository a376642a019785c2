"""The /progress chart: a phone-sized PNG with the target bands shaded, from 0 to 100 answers."""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from matplotlib.image import imread

from adapters.charts import progress_png, write_progress_chart
from projections.history import HistoryRow

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BAND_RGB = (223, 241, 223)  # tab:green at 15 % over white


def rows(count: int, **changes: object) -> list[HistoryRow]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    values: dict[str, object] = {
        "overall": 4.0, "overall_scale_max": 6.0, "wpm": 120.0,
        "fillers_per_100_words": 4.0, "long_pauses": 2,
    }  # fmt: skip
    values.update(changes)
    return [
        HistoryRow(uuid4(), uuid4(), 1, start + timedelta(days=n), "free_talk", "p", "P", "scored",
                   **values)  # type: ignore[arg-type]
        for n in range(count)
    ]  # fmt: skip


def size_of(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.mark.parametrize("count", [0, 1, 100])
def test_the_chart_is_a_phone_sized_png_for_any_number_of_answers(count: int) -> None:
    png = progress_png(rows(count))
    width, height = size_of(png)
    assert 800 <= width <= 1600
    assert 800 <= height <= 1600
    assert 10_000 < len(png) < 2_000_000


def test_failed_answers_and_missing_values_do_not_break_the_chart() -> None:
    failed = [*rows(1), *rows(1, overall=None, wpm=None, fillers_per_100_words=None)]
    failed.append(HistoryRow(uuid4(), uuid4(), 1, failed[0].at, "free_talk", "p", "P", "no_speech"))
    assert size_of(progress_png(failed))[0] >= 800


def test_the_target_bands_are_shaded_even_when_every_answer_is_outside_them() -> None:
    far = rows(5, wpm=60.0, fillers_per_100_words=20.0, long_pauses=9, overall=1.0)
    pixels = (imread(io.BytesIO(progress_png(far)), format="png")[..., :3] * 255).round()
    band = (abs(pixels - BAND_RGB) <= 3).all(axis=-1)
    assert band.mean() > 0.03


def test_the_chart_can_be_written_to_a_file_for_the_command_line(tmp_path: Path) -> None:
    target = write_progress_chart(rows(3), tmp_path / "charts" / "progress.png")
    assert size_of(target.read_bytes())[0] >= 800
