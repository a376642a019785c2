"""Progress in words: /history lines, the /progress caption and the /again comparison.

Rules a learner may ask about:
- A streak counts calendar days in a row with at least one scored answer, ending today,
  or yesterday (today is not over yet). Days are those of the rows' timestamps (UTC as
  the event store records them); `today` must be given in the same zone.
- The best session has the highest score as a share of its scale (so IELTS and TOEFL
  answers compare); a tie goes to the pace nearer the fluent band, then to the later one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from adapters.telegram.text.html import text
from adapters.telegram.text.row_text import (
    change_lines,
    day_text,
    pace_gap,
    score_text,
    share,
    short_prompt,
)
from domain.grammar import patterns_sentence
from projections.history import HistoryRow, grammar_patterns

CAPTION_LIMIT = 1024
"""Telegram's limit for a photo caption; the /progress caption stays well inside it."""

_REASONS = {
    "no_speech": "no speech heard",
    "invalid_audio": "could not read the file",
    "too_long": "recording too long",
    "too_large": "file too large",
    "provider_unavailable": "service busy",
}


def _scored(rows: Sequence[HistoryRow]) -> list[HistoryRow]:
    return [r for r in rows if r.outcome == "scored"]


def history_message(rows: Sequence[HistoryRow]) -> str:
    """One numbered line per attempt, in the order given (newest last)."""
    if not rows:
        return "<b>No answers yet.</b>\nSend /practice for a prompt, then answer it by voice."
    lines = [f"<b>Your last {len(rows)} answer{'s' if len(rows) != 1 else ''}</b>"]
    for n, row in enumerate(rows, 1):
        if row.outcome == "scored":
            pace = f", {row.wpm:.0f} wpm" if row.wpm is not None else ""
            result = f"score {score_text(row)}{pace}"
        else:
            result = f"not scored ({_REASONS.get(row.outcome, row.outcome.replace('_', ' '))})"
        again = f" (attempt {row.attempt})" if row.attempt > 1 else ""
        prompt = text(short_prompt(row.prompt_text))
        lines.append(f"{n}. {day_text(row)} · {text(result)}{again}\n    <i>{prompt}</i>")
    return "\n".join(lines)


def streak_days(rows: Sequence[HistoryRow], today: date) -> int:
    """Calendar days in a row with a scored answer, ending today or yesterday."""
    days = {row.at.date() for row in _scored(rows)}
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def best_session(rows: Sequence[HistoryRow]) -> HistoryRow | None:
    """Highest score share; ties go to the pace nearer the fluent band, then the later one."""

    def rank(row: HistoryRow) -> tuple[float, float, object]:
        score = share(row)
        return (-1.0 if score is None else score, -pace_gap(row.wpm), row.at)

    return max(_scored(rows), key=rank, default=None)


def progress_caption(rows: Sequence[HistoryRow], today: date) -> str:
    """Latest against first, the streak and the best session, short enough for a caption."""
    scored = _scored(rows)
    if not scored:
        return "<b>No scored answers yet.</b>\nSend /practice and answer by voice to start."
    first, latest = scored[0], scored[-1]
    lines = [f"<b>{len(scored)} answer{'s' if len(scored) != 1 else ''} scored</b>"]
    if len(scored) > 1:
        lines += ["First → latest:", *change_lines(first, latest)]
    else:
        pace = f", {latest.wpm:.0f} wpm" if latest.wpm is not None else ""
        lines.append(text(f"Your first answer: score {score_text(latest)}{pace}."))
    streak = streak_days(scored, today)
    lines.append(
        f"🔥 Streak: {streak} day{'s' if streak != 1 else ''} in a row"
        if streak
        else "No streak yet: answer today to start one."
    )
    best = best_session(scored)
    if best is not None:
        lines.append(
            f"🏆 Best: {day_text(best)}, score {text(score_text(best))}"
            f" — <i>{text(short_prompt(best.prompt_text))}</i>"
        )
    habits = patterns_sentence(grammar_patterns(scored))
    if habits:
        lines.append(f"✍️ {text(habits)}")
    return "\n".join(lines)


def comparison_message(previous: HistoryRow, latest: HistoryRow) -> str:
    """What changed since the last attempt at the same prompt (for /again)."""
    if latest.outcome != "scored":
        return "This attempt was not scored, so there is nothing to compare yet."
    if previous.outcome != "scored":
        return "Your previous attempt was not scored, so this one is your new starting point."
    lines = ["<b>Compared with your last attempt</b>", *change_lines(previous, latest)]
    verdicts = [line.rsplit("(", 1)[-1] for line in lines[1:]]
    better = sum(v.startswith("better") for v in verdicts)
    lines.append(f"Better on {better} of {len(verdicts)} measures.")
    return "\n".join(lines)
