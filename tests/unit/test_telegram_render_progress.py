"""Progress in words: streaks by calendar day, the best session, /history and /again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from adapters.telegram.text.progress_text import CAPTION_LIMIT, best_session, streak_days
from adapters.telegram.text.render import comparison_message, history_message, progress_caption
from projections.history import HistoryRow
from tests.unit.test_telegram_render_split import parse_telegram_html as seen

TODAY = date(2025, 3, 20)


def row(
    days_ago: float = 0,
    *,
    overall: float | None = 4.0,
    scale: float = 6.0,
    wpm: float | None = 130.0,
    fillers: float | None = 3.0,
    pauses: int | None = 1,
    outcome: str = "scored",
    prompt: str = "Would you support a community garden?",
) -> HistoryRow:
    at = datetime(2025, 3, 20, 18, 0, tzinfo=UTC) - timedelta(days=days_ago)
    return HistoryRow(
        session_id=uuid4(),
        learner_id=uuid4(),
        attempt=1,
        at=at,
        mode="toefl_interview",
        prompt_id="toefl-int-03",
        prompt_text=prompt,
        outcome=outcome,
        overall=overall if outcome == "scored" else None,
        overall_scale_max=scale,
        wpm=wpm,
        fillers_per_100_words=fillers,
        long_pauses=pauses,
    )


def test_a_streak_counts_consecutive_days_ending_today() -> None:
    assert streak_days([row(2), row(1), row(0), row(0.1)], TODAY) == 3


def test_a_streak_ending_yesterday_still_counts_because_today_is_not_over() -> None:
    assert streak_days([row(2), row(1)], TODAY) == 2


def test_a_missed_day_breaks_the_streak() -> None:
    assert streak_days([row(5), row(4), row(3), row(1), row(0)], TODAY) == 2
    assert streak_days([row(3), row(2)], TODAY) == 0


def test_two_answers_late_and_early_on_one_calendar_day_count_as_one_day() -> None:
    late, early = row(1), replace(row(0), at=datetime(2025, 3, 20, 0, 5, tzinfo=UTC))
    assert streak_days([late, early], TODAY) == 2
    assert streak_days([early, replace(early, at=early.at + timedelta(hours=20))], TODAY) == 1


def test_an_answer_that_was_not_scored_does_not_keep_a_streak_alive() -> None:
    assert streak_days([row(1), row(0, outcome="no_speech")], TODAY) == 1


def test_the_best_session_compares_scores_as_a_share_of_their_scale() -> None:
    ielts, toefl = row(2, overall=7.0, scale=9.0), row(1, overall=5.0, scale=6.0)
    assert best_session([toefl, ielts]) is toefl


def test_between_equal_scores_the_pace_nearer_the_fluent_band_wins() -> None:
    rushed, fluent = row(2, wpm=190.0), row(1, wpm=150.0)
    slow = row(0, wpm=95.0)
    assert best_session([rushed, fluent, slow]) is fluent
    assert best_session([rushed, slow]) is slow


def test_the_caption_compares_latest_with_first_and_names_streak_and_best() -> None:
    first = row(3, overall=3.0, wpm=95.0, fillers=8.0, pauses=4)
    best = row(1, overall=5.5, wpm=140.0, fillers=2.0, pauses=0, prompt="Plan a holiday <now> & go")
    latest = row(0, overall=4.5, wpm=128.0, fillers=2.5, pauses=1)
    shown = seen(progress_caption([first, best, latest], TODAY))
    assert "3 answers scored" in shown
    assert "Score: 3 of 6 → 4.5 of 6 (better)" in shown
    assert "Pace: 95 → 128 wpm (better" in shown
    assert "Fillers: 8.0 → 2.5 per 100 words (better)" in shown
    assert "Long pauses: 4 → 1 (better)" in shown
    assert "Streak: 2 days" in shown
    assert "Best: 19 Mar, score 5.5 of 6" in shown
    assert "Plan a holiday <now> & go" in shown


def test_the_caption_fits_a_photo_caption_even_after_a_hundred_long_answers() -> None:
    rows = [row(100 - n, prompt="Describe <a> place " * 20) for n in range(100)]
    assert len(progress_caption(rows, TODAY)) <= CAPTION_LIMIT


def test_the_caption_with_no_scored_answer_says_how_to_start() -> None:
    assert "/practice" in seen(progress_caption([row(0, outcome="no_speech")], TODAY))
    assert "1 answer scored" in seen(progress_caption([row(0)], TODAY))


def test_history_lists_date_prompt_and_score_and_says_why_an_answer_was_not_scored() -> None:
    shown = seen(
        history_message([row(1, prompt="Tell me <b>why</b>"), row(0, outcome="no_speech")])
    )
    assert "1. 19 Mar · score 4 of 6, 130 wpm" in shown
    assert "Tell me <b>why</b>" in shown
    assert "2. 20 Mar · not scored (no speech heard)" in shown


def test_a_long_prompt_is_shortened_in_history() -> None:
    shown = seen(history_message([row(0, prompt="word " * 50)]))
    assert "…" in shown
    assert len(shown) < 150


def test_empty_history_tells_the_learner_how_to_begin() -> None:
    assert "/practice" in seen(history_message([]))


def test_again_reports_what_got_better_and_what_got_worse() -> None:
    previous = row(0.2, overall=4.0, wpm=175.0, fillers=6.0, pauses=1)
    latest = row(0, overall=4.5, wpm=150.0, fillers=6.0, pauses=3)
    shown = seen(comparison_message(previous, latest))
    assert "Pace: 175 → 150 wpm (better" in shown
    assert "Fillers: 6.0 → 6.0 per 100 words (same)" in shown
    assert "Long pauses: 1 → 3 (worse)" in shown
    assert "Better on 2 of 4 measures." in shown


def test_again_after_an_unscored_attempt_does_not_invent_a_comparison() -> None:
    assert "not scored" in seen(comparison_message(row(1), row(0, outcome="no_speech")))
    assert "→" not in seen(comparison_message(row(1, outcome="too_long"), row(0)))
