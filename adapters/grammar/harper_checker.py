"""Harper (harper-py, Apache-2.0): an English grammar checker in Rust, in-process, offline.

Only its grammar and word-choice rules are asked: spelling, capitals, punctuation, style
and fillers are not the learner's in a transcript (application.grammar). Each rule kept is
one whose lints were right on our learner sentences (bench/grammar.py); its category is
ours. A one-word lint of agreement quotes the word before it too ("she go" -> "she goes"),
so the learner sees what the verb agrees with.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

from domain.grammar import (
    ARTICLES,
    PLURALS,
    PREPOSITIONS,
    TENSE,
    VERB_FORM,
    WORD_CHOICE,
    Correction,
)

# Rules by name where the kind alone would not place them (or would keep a wrong one).
RULES = {
    "RegularIrregulars": (VERB_FORM, "This verb is irregular: its past has a form of its own."),
    "MassNouns": (PLURALS, "This noun has no plural: it is uncountable."),
    "DidPast": (TENSE, "After 'did', the verb stays in its base form."),
    "SimplePastToPastParticiple": (TENSE, "After 'have', use the past participle."),
    "SinceDuration": (TENSE, "For a length of time, use 'for'; 'since' needs a point in time."),
    "AnA": (ARTICLES, "'An' goes before a vowel sound, 'a' before a consonant sound."),
    "Discuss": (PREPOSITIONS, "'Discuss' takes its object directly, without 'about'."),
    "ArriveTo": (PREPOSITIONS, "We arrive at a place (or in a city), not to it."),
    "GoodAt": (PREPOSITIONS, "We are good at something."),
    "AdjectiveDoubleDegree": (WORD_CHOICE, "Use 'more' or the -er form, not both."),
}
# Kinds kept whole, for the rules not named above (not WordChoice: it called "a French man"
# wrong, as "Frenchman").
KINDS = {"Agreement": VERB_FORM, "Grammar": VERB_FORM}
_WORD = re.compile(r"[\w']+")


_LOCK = threading.Lock()  # a Linter is not thread-safe: one call at a time, process-wide


@functools.cache
def _linter() -> Any:
    """Built once a process (~1 s: its dictionary), on first use; called under _LOCK."""
    from harper import Linter

    return Linter()


class HarperChecker:
    name = "harper"

    def warm_up(self) -> None:
        """Build the linter now, not on the first answer."""
        with _LOCK:
            _linter()

    def check(self, text: str) -> list[Correction]:
        with _LOCK:
            organised = _linter().organized_lints(text, language="plaintext")
        found = []
        for rule, lints in organised.items():
            for lint in lints:
                correction = _correction(text, rule, lint)
                if correction is not None:
                    found.append(correction)
        return found


def _correction(text: str, rule: str, lint: Any) -> Correction | None:
    if rule in RULES:
        category, reason = RULES[rule]
    elif lint.lint_kind in KINDS:
        category, reason = KINDS[lint.lint_kind], lint.message
    else:
        return None
    start, end = lint.span.start, lint.span.end
    replacing = [s for s in lint.suggestions if int(s.kind) == 0]  # REPLACE
    if not replacing or start >= end:
        return None
    fixed = replacing[0].replacement_text
    if lint.lint_kind == "Agreement" and len(_WORD.findall(text[start:end])) == 1:
        previous = list(_WORD.finditer(text, 0, start))
        if previous and not text[previous[-1].end() : start].strip():
            start, fixed = previous[-1].start(), text[previous[-1].start() : start] + fixed
    before = text[start:end]
    if before.strip().lower() == fixed.strip().lower():
        return None
    return Correction(before, fixed, reason, category, start, end, "harper")
