"""Plain-text rendering of results for a terminal."""

from __future__ import annotations

import textwrap
from typing import Any

from domain.prompts import Prompt
from domain.speech import Interval, Transcript, unheard_note

_WIDTH = 78


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """Wrap each line of `text`; `first` replaces the indent on the very first line only."""
    lines = [par for par in text.splitlines() if par.strip()]
    return "\n".join(
        textwrap.fill(
            par,
            _WIDTH,
            initial_indent=first if (first is not None and n == 0) else indent,
            subsequent_indent=indent + ("  " if par.lstrip().startswith("- ") else ""),
        )
        for n, par in enumerate(lines)
    )


def render_analysis(result: dict[str, Any]) -> str:
    long_pauses = [p for p in result["pauses"] if p["end_s"] - p["start_s"] >= 1.0]
    fillers = ", ".join(f"{f['word']} ({f['start_s']:.1f}s)" for f in result["fillers"]) or "none"
    duration, speech = result["duration_s"], result["speech_s"]
    pace, articulation = result["wpm"], result["articulation_wpm"]
    lines = [
        f"Duration      {duration:.1f} s (speech {speech:.1f} s)",
        f"Words         {result['words']}",
        f"Pace          {pace:.0f} words/min (articulation {articulation:.0f})",
        f"Pauses        {len(result['pauses'])} of 0.25 s or more, {len(long_pauses)} of 1 s+",
        f"Fillers       {result['filler_count']}: {fillers}",
        f"Recogniser    {result['provider']}",
        "",
        "Transcript",
        _wrap(result["transcript"], "  "),
    ]
    unheard = tuple(Interval(u["start_s"], u["end_s"]) for u in result.get("unheard", ()))
    if unheard:
        lines += ["", _wrap(unheard_note(unheard), "  ")]
    if result.get("grammar_checked_by"):
        lines += ["", "Grammar"]
        for c in result["grammar"] or ():
            at = "" if c["start_s"] is None else f" ({c['start_s']:.1f}s)"
            lines.append(_wrap(f'"{c["before"]}" -> "{c["after"]}"{at}: {c["reason"]}', "  "))
        if not result["grammar"]:
            lines.append("  No errors found.")
    return "\n".join(lines)


def render_feedback(prompt: Prompt, transcript: Transcript | None, feedback: dict[str, Any]) -> str:
    # The coach's summary carries the score with its evidence, so it is not repeated here.
    lines = [f"Prompt: {prompt.text}", "", "Feedback", _wrap(feedback["summary"], "  ")]
    if transcript is not None:
        lines += ["", "What you said", _wrap(transcript.text, "  ")]
        if transcript.unheard:
            lines += [_wrap(unheard_note(transcript.unheard), "  ")]
    lines += ["", "A stronger answer", _wrap(feedback["model_answer"], "  "), "", "Next steps"]
    lines.extend(
        _wrap(step, "     ", first=f"  {n}. ") for n, step in enumerate(feedback["next_steps"], 1)
    )
    lines += ["", f"(feedback by {feedback['provider']})"]
    return "\n".join(lines)
