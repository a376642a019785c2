"""Progress charts as PNG (matplotlib, headless)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from projections.history import HistoryRow

# Bands a fluent, test-ready answer sits in: shaded so a learner sees where to aim.
WPM_BAND = (110.0, 160.0)
FILLERS_BAND = (0.0, 3.0)


def write_progress_chart(rows: Sequence[HistoryRow], target: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scored = [r for r in rows if r.outcome == "scored"]
    xs = list(range(1, len(scored) + 1))
    fig, axes = plt.subplots(2, 2, figsize=(9, 6), dpi=100, sharex=True)
    panels = [
        (axes[0][0], "Pace (words/min)", [r.wpm for r in scored], WPM_BAND),
        (
            axes[0][1],
            "Fillers per 100 words",
            [r.fillers_per_100_words for r in scored],
            FILLERS_BAND,
        ),
        (axes[1][0], "Long pauses (≥ 1 s)", [r.long_pauses for r in scored], None),
        (axes[1][1], "Score (share of the scale)", [_share(r) for r in scored], (0.75, 1.0)),
    ]
    for ax, title, values, band in panels:
        if band is not None:
            ax.axhspan(*band, color="tab:green", alpha=0.12, label="target")
        ax.plot(xs, [v if v is not None else float("nan") for v in values], marker="o")
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("session")
    fig.suptitle(f"Your progress over {len(scored)} answers")
    fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, format="png")
    plt.close(fig)
    return target


def _share(row: HistoryRow) -> float | None:
    if row.overall is None or not row.overall_scale_max:
        return None
    return row.overall / row.overall_scale_max
