"""LanguageTool (LGPL-2.1) as a server on loopback (`deploy/local/services up languagetool`),
asked over its HTTP API (`POST /v2/check`) with httpx.

Only its grammar, collocation and non-standard-phrase categories are enabled (`enabledOnly`):
spelling, capitals, punctuation, typography and style are not the learner's in a
transcript. Its rule ids place each match in one of our categories.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from domain.errors import ProviderError
from domain.grammar import (
    ARTICLES,
    PLURALS,
    PREPOSITIONS,
    TENSE,
    VERB_FORM,
    WORD_CHOICE,
    WORD_ORDER,
    Correction,
)

ENABLED = "GRAMMAR,COLLOCATIONS,NONSTANDARD_PHRASES"
# The first pattern found in a rule's id places it; the rest are word choice.
_PLACES = (
    (re.compile(r"A_AN|ARTICLE|\bDT_|_DT\b|THE_|_THE"), ARTICLES),
    (
        re.compile(r"PREP|DEPEND|MARRIED|LISTEN|ARRIVE|DISCUSS|INTERESTED|AFRAID|GOOD_AT"),
        PREPOSITIONS,
    ),
    (re.compile(r"ORDER|POSITION|WORD_ORDER|QUESTION|WHERE_IS|WHAT_IS"), WORD_ORDER),
    (re.compile(r"TENSE|PAST|PERFECT|SINCE|DID_|WILL_|IF_"), TENSE),
    (
        re.compile(r"PLURAL|COUNTABLE|MUCH|MANY|NOUN|CD_NN|SINGULAR|INFORMATIONS|ADVICES"),
        PLURALS,
    ),
    (
        re.compile(r"AGREE|VERB|MODAL|NON3PRS|3SG|BE_|HAVE_|DO_|DOES|SVA|PRP_|MD_|TO_"),
        VERB_FORM,
    ),
)


def category_of(rule_id: str, category_id: str) -> str:
    for pattern, category in _PLACES:
        if pattern.search(rule_id):
            return category
    return VERB_FORM if category_id == "GRAMMAR" else WORD_CHOICE


class LanguageToolChecker:
    name = "languagetool"

    def __init__(self, url: str, timeout_s: float = 10.0, language: str = "en-US") -> None:
        self.url = url.rstrip("/")
        self._client = httpx.Client(timeout=timeout_s)
        self.language = language

    def check(self, text: str) -> list[Correction]:
        try:
            answer = self._client.post(
                f"{self.url}/v2/check",
                data={
                    "text": text,
                    "language": self.language,
                    "enabledCategories": ENABLED,
                    "enabledOnly": "true",
                },
            )
            answer.raise_for_status()
            matches = answer.json()["matches"]
        except (httpx.HTTPError, ValueError, KeyError) as error:
            raise ProviderError(
                "grammar_checker_down",
                f"LanguageTool at {self.url} did not check ({type(error).__name__}); is it "
                "running? `deploy/local/services up languagetool` starts one.",
                retryable=True,
            ) from None
        return [c for c in (_correction(text, match) for match in matches) if c is not None]

    def close(self) -> None:
        self._client.close()


def _correction(text: str, match: dict[str, Any]) -> Correction | None:
    start, length = int(match["offset"]), int(match["length"])
    replacements = [r["value"] for r in match.get("replacements", []) if r.get("value")]
    if not replacements or length <= 0:
        return None
    rule = match.get("rule", {})
    category = category_of(str(rule.get("id", "")), str(rule.get("category", {}).get("id", "")))
    before = text[start : start + length]
    after = closest(before, replacements)
    if before.strip().lower() == after.strip().lower():
        return None
    reason = str(match.get("message", "")).replace("\n", " ").strip()
    return Correction(before, after, reason, category, start, start + length, "languagetool")


def closest(before: str, replacements: list[str]) -> str:
    """Of the replacements offered, the one nearest the learner's words (the longest common
    start): for "two brother", "brothers", not "brethren", which LanguageTool lists first."""

    def shared(option: str) -> int:
        pairs = zip(before.lower(), option.lower(), strict=False)
        return next((n for n, (a, b) in enumerate(pairs) if a != b), min(len(before), len(option)))

    return max(replacements, key=shared)
