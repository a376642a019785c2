"""`speech-coach prompts | history | progress`: read-side commands."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from adapters.bootstrap import bootstrap
from adapters.charts import write_progress_chart
from adapters.settings import Settings
from domain.grammar import patterns_sentence
from domain.ids import learner_id
from domain.prompts import all_prompts, prompts_for
from projections.history import HistoryRow, build_history, grammar_patterns


def prompts(args: argparse.Namespace) -> int:
    for prompt in prompts_for(args.mode) if args.mode else all_prompts():
        first_line = prompt.text.splitlines()[0]
        print(f"{prompt.id:<16} {prompt.mode:<18} {prompt.answer_s:>4}s  {first_line}")
    return 0


def _my_rows(settings: Settings) -> list[HistoryRow]:
    container = bootstrap(settings)
    try:
        return build_history(container.app.all_events(), learner_id("cli", getpass.getuser()))
    finally:
        container.close()


def history(args: argparse.Namespace) -> int:
    rows = _my_rows(Settings())
    if not rows:
        print("No answers yet. Run `speech-coach try` to record your first one.")
        return 0
    for row in rows[-args.limit :]:
        when = row.at.strftime("%Y-%m-%d %H:%M")
        result = row.band_label if row.outcome == "scored" else f"not scored ({row.outcome})"
        pace = f"{row.wpm:.0f} wpm" if row.wpm is not None else ""
        print(f"{when}  {row.prompt_id:<16} {result:<24} {pace}")
    return 0


def progress(args: argparse.Namespace) -> int:
    settings = Settings()
    rows = [r for r in _my_rows(settings) if r.outcome == "scored"]
    if not rows:
        print("No scored answers yet. Run `speech-coach try` first.")
        return 0
    first, last = rows[0], rows[-1]
    print(f"Answers scored: {len(rows)}")
    for label, attr in (
        ("Pace (wpm)", "wpm"),
        ("Fillers /100 words", "fillers_per_100_words"),
        ("Long pauses", "long_pauses"),
    ):
        a, b = getattr(first, attr), getattr(last, attr)
        if a is not None and b is not None:
            print(f"  {label:<20} first {a:6.1f}   latest {b:6.1f}")
    print(f"  Latest score         {last.band_label}")
    habits = patterns_sentence(grammar_patterns(rows))
    if habits:
        print(habits)
    target = Path(args.chart) if args.chart else settings.home / "progress.png"
    write_progress_chart(rows, target)
    print(f"Chart written to {target}", file=sys.stderr)
    return 0
