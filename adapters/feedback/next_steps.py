"""Two or three concrete, measurable steps, aimed at what was weakest in this answer.

Each check returns a severity (1.0 = clearly below a fluent answer) and the step; the
worst ones win, and general practice steps fill up to two when little was wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from adapters.feedback.delivery import FILLERS_PER_100_OK, FLUENT_WPM, MIN_WORDS_FOR_PACE
from adapters.feedback.language import SYNONYMS, overused_word
from adapters.feedback.text import quote
from domain.metrics import SpeechMetrics

MIN_STEPS, MAX_STEPS = 2, 3
_SHORT_SHARE = 0.8

_LENGTH_ADVICE = {
    "toefl_interview": "add one example after your second reason",
    "toefl_independent": "add one example after your second reason",
    "ielts_part1": "add a reason or a short example after your direct answer",
    "ielts_part2": "say two sentences for every point on the cue card",
    "ielts_part3": "add an example and one sentence on the other side of the question",
    "job_interview": "give one or two sentences for each STAR step and end with a result",
    "free_talk": "add one specific story with a time and a place",
}


def _fillers(m: SpeechMetrics) -> tuple[float, str] | None:
    if m.filler_count < 2 or m.fillers_per_100_words <= FILLERS_PER_100_OK:
        return None
    top = Counter(f.text for f in m.fillers).most_common(1)[0][0]
    return m.fillers_per_100_words / 3.0, (
        f"Record again and aim for under {FILLERS_PER_100_OK:g} fillers per 100 words "
        f"(now {m.fillers_per_100_words:.1f}): pause silently instead of saying {quote(top)}."
    )


def _time(m: SpeechMetrics, limit_s: int, mode: str, target_words: int) -> tuple[float, str] | None:
    if m.duration_s > limit_s + 1:
        return 1.5, (
            f"Finish inside {limit_s} seconds (you took {round(m.duration_s)}): keep to about "
            f"{target_words} words and cut the least important detail."
        )
    used_share = m.duration_s / limit_s if limit_s else 1.0
    word_share = m.word_count / target_words if target_words else 1.0
    shortfall = 1.0 - max(used_share, word_share)
    if shortfall <= 1.0 - _SHORT_SHARE:
        return None
    advice = _LENGTH_ADVICE.get(mode, _LENGTH_ADVICE["free_talk"])
    return shortfall / 0.2, (
        f"Use at least {round(limit_s * 0.9)} of your {limit_s} seconds and about "
        f"{target_words} words (now {m.word_count}): {advice}."
    )


def _pauses(m: SpeechMetrics) -> tuple[float, str] | None:
    mid = [p for p in m.long_pauses if p.kind == "mid_clause"]
    if mid:
        return len(mid) / 2, (
            f"Keep long pauses between sentences, not inside them: aim for no silence over "
            f"1 second mid-clause (now {len(mid)}) by planning the next 4-5 words before you "
            "start a clause."
        )
    if m.long_pause_count >= 3:
        return m.long_pause_count / 4, (
            f"Cut pauses of a second or more from {m.long_pause_count} to at most 1: plan your "
            "next point while you finish the current sentence."
        )
    return None


def _pace(m: SpeechMetrics) -> tuple[float, str] | None:
    low, high = FLUENT_WPM
    if m.word_count < MIN_WORDS_FOR_PACE or low <= m.wpm <= high + 10:
        return None
    if m.wpm < low:
        return (low - m.wpm) / 20, (
            f"Raise your pace from {round(m.wpm)} to about {low + 10} words per minute: read the "
            "model answer aloud twice, then answer again without it."
        )
    return (m.wpm - high) / 20, (
        f"Slow down from {round(m.wpm)} to about {high - 10} words per minute: stop for a "
        "short breath after each sentence."
    )


def _vocabulary(m: SpeechMetrics, words: Sequence[str], prompt: str) -> tuple[float, str] | None:
    overused = overused_word(words, prompt)
    if overused:
        word, count = overused
        first, second = SYNONYMS[word][:2]
        return count / 3, (
            f"Say {quote(word)} at most twice next time (now {count}): "
            f"use '{first}' or '{second}' instead."
        )
    if m.mattr is not None and m.mattr < 0.6:
        return (0.7 - m.mattr) / 0.1, (
            f"Widen your vocabulary (MATTR {m.mattr:.2f}, aim for 0.65+): note three topic words "
            "before you speak and use each once."
        )
    return None


def _restarts(m: SpeechMetrics) -> tuple[float, str] | None:
    if len(m.repetitions) < 2:
        return None
    return len(m.repetitions) / 3, (
        f"Cut repeated starts from {len(m.repetitions)} places to at most 1: decide your first "
        "five words before you begin, then keep going even if a word comes out wrong."
    )


def _hedges(m: SpeechMetrics) -> tuple[float, str] | None:
    if len(m.hedges) < 4:
        return None
    return len(m.hedges) / 5, (
        f"Hedge at most once (now {len(m.hedges)}): give your opinion directly in the first "
        "sentence, e.g. 'I prefer…' instead of 'I think maybe…'."
    )


def choose(
    m: SpeechMetrics,
    words: Sequence[str],
    prompt_text: str,
    mode: str,
    limit_s: int,
    target_words: int,
) -> tuple[str, ...]:
    """The 2-3 steps that would improve this answer most, worst weakness first."""
    found = [
        _fillers(m),
        _time(m, limit_s, mode, target_words),
        _pauses(m),
        _pace(m),
        _vocabulary(m, words, prompt_text),
        _restarts(m),
        _hedges(m),
    ]
    ranked = sorted((f for f in found if f and f[0] >= 0.5), key=lambda f: -f[0])
    steps = [text for _, text in ranked[:MAX_STEPS]]
    general = (
        "Read the model answer aloud once, then answer the same prompt again without notes "
        f"and keep your pace near {round(m.wpm) if m.wpm else FLUENT_WPM[0]} words per minute.",
        "Give each point 1 concrete detail — a number, a place or a name — and listen back "
        "for it in your recording.",
    )
    for step in general:
        if len(steps) >= MIN_STEPS:
            break
        steps.append(step)
    return tuple(steps)
