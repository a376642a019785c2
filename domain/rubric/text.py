"""What the transcript text shows: relevance to the prompt, linking, sentence complexity.

These are surface signs only. Grammatical accuracy needs a grammar checker that
does not run offline here, so nothing in this module claims it.
"""

from __future__ import annotations

import re

from domain.rubric.levels import Judgement, ramp

_WORD = re.compile(r"[a-z']+")
_SENTENCE_END = re.compile(r"[.!?]+")
_STOPWORD_TEXT = """
    a an the and or but so because if then than that this these those there here is are was
    were be been being am do does did have has had i you he she it we they me him her us them my
    your his its our their what which who whom when where why how not no yes to of in on at by for
    with about from into as up out can could would should will may might must just very really
    also some any all one more most other such only own same too describe talk explain tell give
    think say said like know well get got make made thing things something people way lot"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
CONNECTIVES = (
    "because", "so", "however", "although", "for example", "for instance", "first", "second",
    "finally", "also", "in addition", "on the other hand", "as a result", "therefore", "then",
    "but", "while", "which means", "in the end", "after that",
)  # fmt: skip
SUBORDINATORS = frozenset(
    {"because", "although", "though", "which", "who", "whom", "whose", "when", "while", "if",
     "since", "unless", "until", "whereas", "whether", "where", "that"}
)  # fmt: skip
PROMPT_OVERLAP = (0.0, 0.3)
"""Share of the prompt's content words the answer takes up; a third shows it stayed on topic."""
LINKS_USED = (0.0, 4.0)
"""Distinct linking words: four or more let a listener follow the line of an argument."""
SENTENCE_WORDS = (6.0, 14.0)
"""Mean words per sentence: 6 is simple statements, 14 or more suggests complex sentences."""
SUBORDINATORS_PER_100 = (1.0, 5.0)
"""Subordinate-clause markers per 100 words, a sign of grammatical range (not accuracy)."""


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _stem(word: str) -> str:
    return word[:5]


def relevance(answer: str, prompt: str) -> Judgement:
    asked = {_stem(w) for w in words_of(prompt) if w not in STOPWORDS and len(w) > 2}
    if not asked:
        return Judgement(None, "no prompt text to compare the answer with")
    used = {_stem(w) for w in words_of(answer) if w not in STOPWORDS}
    shared = asked & used
    share = len(shared) / len(asked)
    return Judgement(
        0.3 + 0.7 * ramp(share, *PROMPT_OVERLAP),
        f"the answer takes up {len(shared)} of the prompt's {len(asked)} key words",
    )


def linking(text: str) -> Judgement:
    padded = " " + " ".join(words_of(text)) + " "
    used = [c for c in CONNECTIVES if f" {c} " in padded]
    shown = ", ".join(f'"{c}"' for c in used[:5])
    return Judgement(
        ramp(len(used), *LINKS_USED),
        f"{len(used)} different linking word(s)" + (f": {shown}" if used else ""),
    )


def complexity(text: str) -> Judgement:
    words = words_of(text)
    if not words:
        return Judgement(None, "no words to judge sentence structure on")
    sentences = [s for s in _SENTENCE_END.split(text) if words_of(s)]
    mean_len = len(words) / max(len(sentences), 1)
    subs = sum(1 for w in words if w in SUBORDINATORS)
    per_100 = 100.0 * subs / len(words)
    level = (ramp(mean_len, *SENTENCE_WORDS) + ramp(per_100, *SUBORDINATORS_PER_100)) / 2.0
    return Judgement(
        level,
        f"{len(sentences)} sentence(s) averaging {mean_len:.0f} words, with {subs} "
        "subordinate-clause marker(s) such as because, which, when",
    )
