"""Delivery feedback: time used, pace, fillers and pauses, quoting the learner's words."""

from __future__ import annotations

from collections import Counter

from adapters.feedback.text import quote, times
from domain.metrics import SpeechMetrics

FLUENT_WPM = (110, 160)
"""Pace range of fluent, unhurried exam answers, in words per minute."""
FILLERS_PER_100_OK = 2.0
MIN_WORDS_FOR_PACE = 10


def time_note(metrics: SpeechMetrics, limit_s: int) -> str:
    used = round(metrics.duration_s)
    if metrics.duration_s > limit_s + 1:
        return (
            f"You spoke for {used} seconds, {used - limit_s} over the {limit_s}-second limit; "
            "the exam stops listening at the limit."
        )
    note = f"You used {used} of {limit_s} seconds."
    if metrics.duration_s < 0.75 * limit_s:
        note += f" That leaves {limit_s - used} seconds unused — room for another reason or detail."
    return note


def pace_note(metrics: SpeechMetrics) -> str:
    if metrics.word_count < MIN_WORDS_FOR_PACE:
        said = "1 word" if metrics.word_count == 1 else f"{metrics.word_count} words"
        return f"You said {said} — too few to judge your pace."
    low, high = FLUENT_WPM
    wpm = round(metrics.wpm)
    if wpm < low:
        verdict = "slower than fluent speech, so listeners wait for the next idea"
    elif wpm > high:
        verdict = "faster than most listeners follow comfortably"
    else:
        verdict = "within the fluent range"
    return f"Pace: {wpm} words per minute ({metrics.word_count} words), {verdict} ({low}-{high})."


def filler_note(metrics: SpeechMetrics) -> str:
    if not metrics.fillers:
        return "You used no filler sounds: silent pauses sound more confident than 'um'."
    counts = Counter(f.text for f in metrics.fillers)
    top, top_count = counts.most_common(1)[0]
    note = f"You said {quote(top)} {times(top_count)}"
    followers = Counter(f.next_word for f in metrics.fillers if f.text == top and f.next_word)
    if followers:
        word, together = followers.most_common(1)[0]
        if together >= 2:
            share = (
                ("both" if together == 2 else f"all {together}")
                if together == top_count
                else (f"{together} of them")
            )
            note += f", {share} right before {quote(word)}"
    note += "."
    others = [f"{quote(text)} {times(n)}" for text, n in counts.most_common()[1:4]]
    if others:
        note += " Also " + ", ".join(others) + "."
    rate = metrics.fillers_per_100_words
    note += f" That is {rate:.1f} per 100 words; under {FILLERS_PER_100_OK:g} sounds fluent."
    return note


def pause_note(metrics: SpeechMetrics) -> str:
    long_pauses = metrics.long_pauses
    if not long_pauses:
        return "No silence lasted a second or more: your speech flowed without long breaks."
    longest = max(long_pauses, key=lambda p: p.duration_s)
    where = (
        f"came in the middle of a clause, after {quote(longest.after_word)}"
        if longest.kind == "mid_clause" and longest.after_word
        else "came between two ideas, a natural place to breathe"
    )
    if longest.kind != "mid_clause" and longest.before_word:
        where += f" (before {quote(longest.before_word)})"
    note = f"Your longest pause ({longest.duration_s:.1f} s) {where}."
    mid = sum(1 for p in long_pauses if p.kind == "mid_clause")
    if len(long_pauses) > 1:
        inside = "none" if mid == 0 else str(mid)
        note += f" You paused for a second or more {times(len(long_pauses))}, {inside} mid-clause."
    return note


def repetition_note(metrics: SpeechMetrics) -> str | None:
    if not metrics.repetitions:
        return None
    example = max(metrics.repetitions, key=lambda r: r.count)
    said = " ".join([example.text] * example.count)
    places = len(metrics.repetitions)
    where = "one place" if places == 1 else f"{places} places"
    return f"You repeated words straight away in {where}, for example {quote(said)}."
