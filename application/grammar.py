"""Checking a spoken answer's grammar: what the checkers are shown, and what of theirs
reaches the learner.

A transcript is not writing. Its spelling, capitals and punctuation are the speech-to-text
model's, not the learner's, so checkers are asked for grammar and word choice only (each
adapter leaves the rest out). Fillers and straight repetitions are the delivery feedback's:
they are left out of the text the checkers see, so "she go uh to school" is checked as
"she go to school". An error in words that speech-to-text was unsure of is not blamed on
the learner: it is counted as `unsure` and not shown. Several checkers may find the same
error: the first one's stands (checkers in order of precision).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from application.ports import GrammarChecker
from domain.errors import ProviderError
from domain.grammar import NOT_CHECKED, Correction, GrammarCheck, check_from
from domain.metrics.model import FILLED_PAUSES
from domain.metrics.tokens import normalise
from domain.speech import Transcript, Word

log = logging.getLogger(__name__)
# A word's probability under this: speech-to-text was guessing. Low, because the model's
# probability is also its surprise at the grammar: tiny.en gave a learner's "two brother"
# 0.24 (it expected "brothers") and correct words like "yesterday" 0.23.
UNSURE_BELOW = 0.1


@dataclass(frozen=True)
class SpokenText:
    """The words a checker reads, joined by spaces, and where each stands in the text."""

    text: str
    placed: tuple[tuple[int, int, Word], ...]  # start, end (characters), the word

    def words_in(self, start: int, end: int) -> list[Word]:
        return [word for a, b, word in self.placed if a < end and start < b]


def spoken_text(transcript: Transcript) -> SpokenText:
    """The transcript's words without fillers ("um") and without a word said again at once
    ("I I think"); punctuation as speech-to-text wrote it."""
    words = transcript.words or tuple(Word(t, 0.0, 0.0) for t in transcript.text.split())
    parts: list[str] = []
    placed: list[tuple[int, int, Word]] = []
    at, previous = 0, ""
    for word in words:
        token, norm = word.text.strip(), normalise(word.text)
        if not token or not norm or norm in FILLED_PAUSES:
            continue
        if norm == previous:  # said again straight away: the delivery feedback's
            continue
        previous = "" if token[-1] in ".!?" else norm
        start = at + (1 if parts else 0)
        parts.append(token)
        placed.append((start, start + len(token), word))
        at = start + len(token)
    return SpokenText(" ".join(parts), tuple(placed))


def check_transcript(transcript: Transcript, checkers: Sequence[GrammarChecker]) -> GrammarCheck:
    """Every checker's corrections of the spoken text, deduplicated by span, placed on the
    recording's timeline. A checker that cannot check is left out (and logged); with none
    left, the answer is not checked and nothing is said about its accuracy."""
    spoken = spoken_text(transcript)
    if not spoken.text or not checkers:
        return NOT_CHECKED
    kept: list[Correction] = []
    doubted: list[Correction] = []
    ran: list[str] = []
    for checker in checkers:
        try:
            found = checker.check(spoken.text)
        except ProviderError as error:
            log.warning("grammar checker %s did not check (%s)", checker.name, error.message)
            continue
        except Exception:  # a checker's own bug must not cost the feedback
            log.exception("grammar checker %s failed; the others still check", checker.name)
            continue
        ran.append(checker.name)
        for correction in found:
            if any(correction.overlaps(other) for other in (*kept, *doubted)):
                continue  # found before, by a checker in front of this one
            words = spoken.words_in(correction.start, correction.end)
            if any(word.probability < UNSURE_BELOW for word in words):
                doubted.append(correction)
                continue
            timed = words and words[0].end_s > 0
            kept.append(
                replace(correction, start_s=words[0].start_s, end_s=words[-1].end_s)
                if timed
                else correction
            )
    if not ran:
        return NOT_CHECKED
    return check_from(spoken.text, len(spoken.placed), kept, tuple(ran), len(doubted))


def with_writer_corrections(
    check: GrammarCheck, written: Sequence[Correction], writer: str
) -> GrammarCheck:
    """The checkers' corrections and, where none of theirs stands, a language model's (in
    the same shape, as `suggested`): the learner is told of both, in one list, most
    important first; the figures and the score rest on our checkers alone."""
    if not check.checked:
        return check
    added = tuple(c for c in written if not any(c.overlaps(o) for o in check.corrections))
    return replace(check, suggested=added) if added else check
