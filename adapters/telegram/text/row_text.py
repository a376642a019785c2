"""Small wordings of one history row, and how two rows differ, shared by the progress texts.

A change is judged as a learner would: a higher score share, a pace nearer the fluent
band, fewer fillers and fewer long pauses are better. Values are compared as they are
shown (rounded), so "135 → 135 wpm" never reads as "better".
"""

from __future__ import annotations

from adapters.charts import WPM_BAND
from adapters.telegram.text.html import text
from projections.history import HistoryRow

_PROMPT_CHARS = 60


def short_prompt(prompt: str) -> str:
    prompt = " ".join(prompt.split())
    return prompt if len(prompt) <= _PROMPT_CHARS else prompt[: _PROMPT_CHARS - 1].rstrip() + "…"


def day_text(row: HistoryRow) -> str:
    return f"{row.at.day} {row.at:%b}"


def share(row: HistoryRow) -> float | None:
    """Score as a share of its scale, so answers on different exams compare."""
    if row.overall is None or not row.overall_scale_max:
        return None
    return row.overall / row.overall_scale_max


def score_text(row: HistoryRow) -> str:
    if row.overall is None or row.overall_scale_max is None:
        return "no score"
    return f"{row.overall:g} of {row.overall_scale_max:g}"


def pace_gap(wpm: float | None) -> float:
    """Words per minute outside the fluent band; 0 inside it, infinite when unknown."""
    if wpm is None:
        return float("inf")
    low, high = WPM_BAND
    return max(low - wpm, wpm - high, 0.0)


def _verdict(before: float, after: float, *, lower_is_better: bool) -> str:
    if before == after:
        return "same"
    return "better" if (after < before) == lower_is_better else "worse"


def change_lines(before: HistoryRow, after: HistoryRow) -> list[str]:
    """One "• Label: a → b (better)" line per measure both rows have."""
    lines = []
    a, b = share(before), share(after)
    if a is not None and b is not None:
        verdict = _verdict(round(a, 3), round(b, 3), lower_is_better=False)
        lines.append(f"• Score: {score_text(before)} → {score_text(after)} ({verdict})")
    if before.wpm is not None and after.wpm is not None:
        gaps = round(pace_gap(before.wpm)), round(pace_gap(after.wpm))
        verdict = _verdict(*gaps, lower_is_better=True)
        band = f"fluent range {WPM_BAND[0]:.0f}–{WPM_BAND[1]:.0f}"
        lines.append(f"• Pace: {before.wpm:.0f} → {after.wpm:.0f} wpm ({verdict}; {band})")
    f0, f1 = before.fillers_per_100_words, after.fillers_per_100_words
    if f0 is not None and f1 is not None:
        verdict = _verdict(round(f0, 1), round(f1, 1), lower_is_better=True)
        lines.append(f"• Fillers: {f0:.1f} → {f1:.1f} per 100 words ({verdict})")
    p0, p1 = before.long_pauses, after.long_pauses
    if p0 is not None and p1 is not None:
        lines.append(f"• Long pauses: {p0} → {p1} ({_verdict(p0, p1, lower_is_better=True)})")
    return [text(line) for line in lines]
