"""Progress charts as PNG, sized and lettered to be read on a phone.

Built with matplotlib's object API (a Figure of its own, no pyplot state), so the
bot can draw charts for several learners at once from worker threads.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

from projections.history import HistoryRow

# Bands a fluent, test-ready answer sits in: shaded so a learner sees where to aim.
WPM_BAND = (110.0, 160.0)
FILLERS_BAND = (0.0, 3.0)
LONG_PAUSES_BAND = (0.0, 1.0)
SCORE_BAND = (75.0, 100.0)  # percent of the exam's scale

SIZE_IN, DPI = (10.0, 10.0), 100  # 1000 x 1000 px: square fits a phone chat column
_FEW = 8  # up to this many sessions, every one gets its own tick
_MANY = 30  # beyond this many sessions, markers would blur into the line


def _share(row: HistoryRow) -> float | None:
    if row.overall is None or not row.overall_scale_max:
        return None
    return 100.0 * row.overall / row.overall_scale_max


def _panels(
    scored: Sequence[HistoryRow],
) -> list[tuple[str, list[float | None], tuple[float, float]]]:
    return [
        ("Pace (words per minute)", [r.wpm for r in scored], WPM_BAND),
        ("Fillers per 100 words", [r.fillers_per_100_words for r in scored], FILLERS_BAND),
        ("Long pauses (1 s or more)", [r.long_pauses for r in scored], LONG_PAUSES_BAND),
        ("Score (% of the scale)", [_share(r) for r in scored], SCORE_BAND),
    ]


def progress_png(rows: Sequence[HistoryRow]) -> bytes:
    """A 2x2 chart of pace, fillers, long pauses and score per scored session, as PNG bytes."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    scored = [r for r in rows if r.outcome == "scored"]
    xs = list(range(1, len(scored) + 1))
    fig = Figure(figsize=SIZE_IN, dpi=DPI)
    axes = fig.subplots(2, 2, sharex=True)
    marker = "o" if len(scored) <= _MANY else None
    for ax, (title, values, band) in zip(axes.flat, _panels(scored), strict=True):
        ax.axhspan(*band, color="tab:green", alpha=0.15, label="target")
        ys = [math.nan if v is None else float(v) for v in values]
        ax.plot(
            xs, ys, marker=marker, markersize=9, linewidth=2.5 if marker else 1.8, color="tab:blue"
        )
        known = [y for y in ys if not math.isnan(y)]
        top = max([band[1], *known]) if known else band[1]
        bottom = min([band[0], *known]) if known else band[0]
        pad = 0.08 * (top - bottom or 1.0)
        ax.set_ylim(bottom - pad, top + pad)
        ax.set_title(title, fontsize=17)
        ax.tick_params(labelsize=14)
        ax.grid(alpha=0.3)
        if len(scored) <= _FEW:
            ax.set_xticks(xs or [1])
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        if band is LONG_PAUSES_BAND:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in axes[1]:
        ax.set_xlabel("answer", fontsize=15)
        ax.set_xlim(0.5, max(len(scored), 1) + 0.5)
    heading = f"Your progress over {len(scored)} answer{'s' if len(scored) != 1 else ''}"
    fig.suptitle(heading if scored else "No scored answers yet", fontsize=21)
    fig.text(0.5, 0.005, "green band = where a fluent answer sits", ha="center", fontsize=13)
    fig.tight_layout(rect=(0, 0.025, 1, 1))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def write_progress_chart(rows: Sequence[HistoryRow], target: Path) -> Path:
    """The same chart written to `target` (for the CLI)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(progress_png(rows))
    return target
