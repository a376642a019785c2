"""Grammar and word choice, corrected in the learner's own words.

A correction quotes what the learner said (`before`, exactly as transcribed) and the fix
(`after`), with a one-line reason in plain words and a category a learner can follow over
time. A check is what one answer's transcript gave: every correction found (most important
first), who checked, and the figures the rubric rests on (errors per 100 words, the share
of clauses without an error).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

VERB_FORM = "verb form and agreement"
TENSE = "tense"
ARTICLES = "articles"
PLURALS = "plurals and countability"
PREPOSITIONS = "prepositions"
WORD_ORDER = "word order"
WORD_CHOICE = "word choice"
# In the order they matter most to being understood: a wrong verb form or tense changes who
# did what and when; an article or a preposition rarely does.
CATEGORIES = (VERB_FORM, TENSE, PLURALS, WORD_ORDER, WORD_CHOICE, ARTICLES, PREPOSITIONS)
SHOWN_AT_MOST = 5


@dataclass(frozen=True)
class Correction:
    """One error: the learner's words at [start, end) of the transcript's text, and on the
    recording's timeline when the words have times."""

    before: str
    after: str
    reason: str
    category: str
    start: int
    end: int
    checker: str
    start_s: float | None = None
    end_s: float | None = None

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown grammar category {self.category!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"a correction needs a span of the text: {self.start}..{self.end}")

    def overlaps(self, other: Correction) -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def importance(self) -> tuple[int, int]:
        return CATEGORIES.index(self.category), self.start


@dataclass(frozen=True)
class GrammarCheck:
    """What checking one answer found. `checked_by` empty: no checker ran (nothing may be
    said about accuracy then). `unsure`: errors not reported because speech-to-text was
    unsure of the words they are in (never blamed on the learner)."""

    checked_by: tuple[str, ...]
    words: int
    clauses: int
    clauses_with_errors: int
    corrections: tuple[Correction, ...] = ()
    unsure: int = 0
    # A language model's corrections besides ours (the feedback's writer): shown with them,
    # never counted in the figures the score rests on.
    suggested: tuple[Correction, ...] = ()

    @property
    def checked(self) -> bool:
        return bool(self.checked_by)

    @property
    def errors_per_100_words(self) -> float | None:
        return 100 * len(self.corrections) / self.words if self.words and self.checked else None

    @property
    def error_free_clause_share(self) -> float | None:
        if not self.clauses or not self.checked:
            return None
        return (self.clauses - self.clauses_with_errors) / self.clauses

    @property
    def all_corrections(self) -> tuple[Correction, ...]:
        """Ours and a writer's, most important first."""
        return ordered([*self.corrections, *self.suggested]) if self.suggested else self.corrections

    def shown(self, at_most: int = SHOWN_AT_MOST) -> tuple[tuple[Correction, ...], int]:
        """The corrections that matter most, and how many more there are."""
        found = self.all_corrections
        return found[:at_most], max(len(found) - at_most, 0)


NOT_CHECKED = GrammarCheck(checked_by=(), words=0, clauses=0, clauses_with_errors=0)


def ordered(corrections: list[Correction]) -> tuple[Correction, ...]:
    """Most important first: by category, then where they stand."""
    return tuple(sorted(corrections, key=lambda c: c.importance))


_CLAUSE_BREAK = re.compile(
    r"[.!?;:]+|,\s*(?:and|but|so|because)\b|\b(?:and|but|because|so|although|though|while|"
    r"whereas|when|if|unless)\b",
    re.IGNORECASE,
)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Where the clauses of a text stand: split at sentence ends and at the conjunctions
    that usually begin a clause. An estimate (no parser), the same for every answer."""
    spans, start = [], 0
    for found in _CLAUSE_BREAK.finditer(text):
        if len(text[start : found.start()].split()) >= 2:
            spans.append((start, found.start()))
            start = found.start()
    if len(text[start:].split()) >= 2 or not spans:
        spans.append((start, len(text)))
    return spans


def check_from(
    text: str,
    words: int,
    corrections: list[Correction],
    checked_by: tuple[str, ...],
    unsure: int = 0,
) -> GrammarCheck:
    """The check of `text`: its clauses counted, each marked if a correction touches it."""
    clauses = clause_spans(text)
    with_errors = sum(1 for a, b in clauses if any(c.start < b and a < c.end for c in corrections))
    return GrammarCheck(checked_by, words, len(clauses), with_errors, ordered(corrections), unsure)


def grammar_to_dict(check: GrammarCheck) -> dict[str, Any]:
    return {
        "checked_by": list(check.checked_by),
        "words": check.words,
        "clauses": check.clauses,
        "clauses_with_errors": check.clauses_with_errors,
        "unsure": check.unsure,
        "corrections": [correction_to_dict(c) for c in check.corrections],
        "suggested": [correction_to_dict(c) for c in check.suggested],
    }


def correction_to_dict(correction: Correction) -> dict[str, Any]:
    return {name: getattr(correction, name) for name in Correction.__dataclass_fields__}


def grammar_from_dict(data: dict[str, Any]) -> GrammarCheck:
    return GrammarCheck(
        checked_by=tuple(data["checked_by"]),
        words=int(data["words"]),
        clauses=int(data["clauses"]),
        clauses_with_errors=int(data["clauses_with_errors"]),
        corrections=tuple(Correction(**c) for c in data["corrections"]),
        unsure=int(data.get("unsure", 0)),
        suggested=tuple(Correction(**c) for c in data.get("suggested", ())),
    )


THIRD_PERSON_S = "dropped the -s after he, she or it"
PATTERN_ANSWERS = 6  # how many of a learner's latest checked answers patterns are read over


def pattern_of(correction: Correction) -> str:
    """The habit a correction shows: the -s of the third person singular ("she go" ->
    "she goes"), the commonest slip of learners, on its own; otherwise its category."""
    before, after = correction.before.lower().split(), correction.after.lower().split()
    if (correction.category == VERB_FORM and before and after and len(before) == len(after)
            and after[-1] in (before[-1] + "s", before[-1] + "es")):  # fmt: skip
        return THIRD_PERSON_S
    return correction.category


def recurring(answers: list[tuple[str, ...]], at_least: int = 2) -> list[tuple[str, int]]:
    """Patterns found in at least `at_least` of the answers (each answer's patterns once),
    most frequent first."""
    counts: dict[str, int] = {}
    for patterns in answers:
        for pattern in set(patterns):
            counts[pattern] = counts.get(pattern, 0) + 1
    found = [(pattern, n) for pattern, n in counts.items() if n >= at_least]
    return sorted(found, key=lambda item: (-item[1], CATEGORIES.index(item[0])
                                           if item[0] in CATEGORIES else -1))  # fmt: skip


def patterns_sentence(answers: list[tuple[str, ...]]) -> str | None:
    """What keeps coming back over the latest checked answers, in one sentence; None with
    fewer than two answers to compare."""
    latest = answers[-PATTERN_ANSWERS:]
    if len(latest) < 2:
        return None
    found = recurring(latest)
    if not found:
        return f"No grammar error came back across your last {len(latest)} answers."
    parts = [
        (f"you {pattern}" if pattern == THIRD_PERSON_S else f"{pattern} errors")
        + f" in {n} of your last {len(latest)} answers"
        for pattern, n in found[:2]
    ]
    sentence = "; ".join(parts)
    return f"Grammar that keeps coming back: {sentence}."
