"""Everything the bot says, as Telegram HTML (parse_mode=HTML), built by pure functions.

Every string that came from a learner, a prompt or a provider is escaped here, so the
routers can send what these functions return without thinking about markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from adapters.telegram.text.coach_text import lines_html, rubric_html, summary_has_rubric
from adapters.telegram.text.html import quote, text
from adapters.telegram.text.html_split import TELEGRAM_LIMIT, split_html
from adapters.telegram.text.marked_transcript import marked_transcript
from adapters.telegram.text.progress_text import (
    comparison_message,
    history_message,
    progress_caption,
)
from domain.prompts import Prompt
from domain.speech import Transcript, unheard_note

__all__ = [
    "MODE_LABELS", "TELEGRAM_LIMIT", "comparison_message", "failure_message",
    "feedback_messages", "history_message", "marked_transcript", "mode_label",
    "progress_caption", "prompt_message", "split_html",
]  # fmt: skip

MODE_LABELS = {
    "toefl_interview": "TOEFL interview",
    "toefl_independent": "TOEFL independent task",
    "ielts_part1": "IELTS Part 1",
    "ielts_part2": "IELTS Part 2 (long turn)",
    "ielts_part3": "IELTS Part 3 (discussion)",
    "job_interview": "Job interview",
    "free_talk": "Free talk",
}
_EXPAND_OVER = 700
"""A transcript longer than this is folded (expandable quote) so the next steps stay in view."""

_BUSY = ("The coach is busy right now.", "Wait a minute and send your answer again.")
_FAILURES = {
    "invalid_audio": ("I could not read that recording.", "Send a voice message or an audio file."),
    "internal_error": ("Something went wrong on my side.", "Please send your answer again."),
    "no_speech": ("I didn't hear any words.", "Speak close to the microphone and send it again."),
    "too_long": ("That recording is too long.", "Record a shorter answer and send it again."),
    "too_large": ("That file is too large.", "Send a shorter recording or a voice message."),
    "provider_unavailable": _BUSY,
    "telegram_unavailable": ("Telegram did not hand me your recording.", "Send it again soon."),
    "storage_unavailable": ("I could not store your recording.", "Send it again soon."),
    "busy": _BUSY,
    "rate_limited": ("You are sending answers faster than I can coach them.", _BUSY[1]),
    "download_failed": ("I could not fetch your recording from Telegram.", "Send it again."),
}
_UNKNOWN = ("Something went wrong with that answer.", "Send it again, or /practice for a new one.")


def mode_label(mode: str) -> str:
    return MODE_LABELS.get(mode, mode.replace("_", " ").capitalize())


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def prompt_message(prompt: Prompt, attempt_hint: bool = False) -> str:
    """The task, its limits, and how to answer; `attempt_hint` says it is a repeat (/again)."""
    prep = f"Prepare for {_duration(prompt.prep_s)}, then answer" if prompt.prep_s else "Answer"
    lines = [
        f"<b>{text(mode_label(prompt.mode))}</b>",
        "",
        lines_html(prompt.text),
        "",
        f"⏱ {prep} in up to {_duration(prompt.answer_s)} (about {prompt.target_words} words).",
        "Send your answer as a voice message.",
    ]
    if attempt_hint:
        lines.append("<i>Same prompt again: I will compare this answer with your last one.</i>")
    return "\n".join(lines)


def placeholder(part: int, parts: int) -> str:
    """What a message of the outcome says for the moment between being sent and being
    filled by an edit: the line a phone's notification shows."""
    counted = f" ({part}/{parts})" if parts > 1 else ""
    return f"📝 About your answer{counted}…"


def failure_message(reason_code: str, message: str) -> str:
    """What happened (bold) and what to do; the error's own message when it has one."""
    headline, advice = _FAILURES.get(reason_code, _UNKNOWN)
    return f"<b>{text(headline)}</b>\n{text(message.strip() or advice)}"


def _transcript_section(transcript: Transcript | None, metrics: Mapping[str, Any]) -> str:
    if transcript is None or not transcript.text.strip():
        return ""
    marked = marked_transcript(transcript, metrics)
    legend = "<i>Underlined: fillers. … [1.6 s] …: a pause of a second or more.</i>"
    body = quote(marked, expandable=len(marked) > _EXPAND_OVER)
    unheard = unheard_note(transcript.unheard)
    return (
        "<b>What you said</b>\n"
        + body
        + ("\n" + legend if "<u>" in marked or "…" in marked else "")
        + (f"\n<i>{text(unheard)}</i>" if unheard else "")
    )


def feedback_messages(
    prompt_text: str, mode: str, transcript: Transcript | None, feedback: Mapping[str, Any]
) -> list[str]:
    """The feedback as one or more messages, each within Telegram's limit."""
    summary = str(feedback.get("summary") or "")
    rubric = feedback.get("rubric") or {}
    steps = [str(s) for s in feedback.get("next_steps") or ()][:3]
    model_answer = str(feedback.get("model_answer") or "").strip()
    sections = [
        f"<b>Feedback · {text(mode_label(mode))}</b>\n<i>{text(prompt_text.strip())}</i>",
        "" if summary_has_rubric(summary, rubric) or not rubric else rubric_html(rubric),
        lines_html(summary),
        _transcript_section(transcript, feedback.get("metrics") or {}),
        f"<b>A stronger answer</b>\n{quote(_marked(text(model_answer)))}" if model_answer else "",
        "<b>Next steps</b>\n" + "\n".join(f"{n}. {text(s)}" for n, s in enumerate(steps, 1))
        if steps
        else "",
    ]
    return split_html("\n\n".join(s for s in sections if s))


def _marked(escaped: str) -> str:
    """Words the coach corrected (`*evenings*`) in bold."""
    return re.sub(r"\*([^*\n]+)\*", r"<b>\1</b>", escaped)
