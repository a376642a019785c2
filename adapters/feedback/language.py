"""Language feedback the numbers can back: vocabulary range, overused words, hedges.

Grammar is deliberately absent: nothing offline here can check it, so nothing claims to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from adapters.feedback.text import normalise, quote, times
from domain.metrics import SpeechMetrics

SYNONYMS: dict[str, tuple[str, ...]] = {
    "good": ("useful", "rewarding", "valuable"),
    "nice": ("pleasant", "enjoyable", "welcoming"),
    "bad": ("harmful", "frustrating", "poor"),
    "big": ("large", "huge", "significant"),
    "very": ("extremely", "particularly", "highly"),
    "really": ("genuinely", "truly", "clearly"),
    "thing": ("aspect", "point", "factor"),
    "things": ("aspects", "details", "factors"),
    "important": ("essential", "crucial", "central"),
    "interesting": ("fascinating", "engaging", "thought-provoking"),
    "happy": ("glad", "pleased", "delighted"),
    "hard": ("difficult", "demanding", "challenging"),
    "easy": ("simple", "straightforward", "effortless"),
    "great": ("excellent", "impressive", "remarkable"),
    "beautiful": ("stunning", "attractive", "lovely"),
    "fun": ("enjoyable", "entertaining", "lively"),
    "problem": ("issue", "difficulty", "challenge"),
    "amazing": ("impressive", "remarkable", "outstanding"),
    "help": ("support", "assist", "guide"),
}
OVERUSED_AT = 3
MATTR_WIDE = 0.72
MATTR_NARROW = 0.60
HEDGES_NOTED_AT = 3


def overused_word(words: Sequence[str], prompt_text: str) -> tuple[str, int] | None:
    """The most repeated common word we can offer alternatives for, if used 3+ times."""
    in_prompt = {normalise(t) for t in prompt_text.split()}
    counts = Counter(w for w in words if w in SYNONYMS and w not in in_prompt)
    if not counts:
        return None
    word, count = counts.most_common(1)[0]
    return (word, count) if count >= OVERUSED_AT else None


def vocabulary_note(metrics: SpeechMetrics, words: Sequence[str], prompt_text: str) -> str:
    if metrics.mattr is None:
        note = "The answer is too short to measure vocabulary range."
    else:
        verdict = (
            "varied"
            if metrics.mattr >= MATTR_WIDE
            else "moderate"
            if metrics.mattr >= MATTR_NARROW
            else "narrow: many words come back again and again"
        )
        note = (
            f"Vocabulary range (MATTR, share of different words in each 50-word stretch): "
            f"{metrics.mattr:.2f}, {verdict}; {metrics.unique_words} different words."
        )
    overused = overused_word(words, prompt_text)
    if overused:
        word, count = overused
        options = ", ".join(quote(s) for s in SYNONYMS[word])
        note += f" You used {quote(word)} {times(count)} — try {options}."
    return note


def hedge_note(metrics: SpeechMetrics) -> str | None:
    if len(metrics.hedges) < HEDGES_NOTED_AT:
        return None
    counts = ", ".join(f"{quote(h)} ×{n}" for h, n in Counter(metrics.hedges).most_common(3))
    return (
        f"You softened your points {times(len(metrics.hedges))} ({counts}); "
        "one hedge is enough, then state the point directly."
    )
