"""The learner's answer without fillers and restarts, split into sentences.

This is the raw material of the model answer: their ideas and their words, only
with the hesitation taken out, so the better version is recognisably theirs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from adapters.feedback.text import PRONOUN_I, normalise
from domain.metrics import FILLED_PAUSES, SpeechMetrics
from domain.speech import Word

_STRETCHED_FILLED_PAUSE = re.compile(r"^(u+h*m+|u+h+|e+r+m*|a+h+|h+m+|m{2,})$")
_GRAMMATICAL_DOUBLES = frozenset({"had", "that"})
_MAX_RESTART_WORDS = 3
_SENTENCE_PAUSE_S = 0.5
_WARM_UP = re.compile(r"^(well|okay|ok|so|right|alright)\b,?\s+(?=\S)", re.IGNORECASE)


def is_filled_pause(word: str) -> bool:
    """A normalised word that is only a hesitation sound ("um", "uhhh")."""
    return word in FILLED_PAUSES or bool(_STRETCHED_FILLED_PAUSE.match(word))


def _filler_indices(words: Sequence[Word], metrics: SpeechMetrics) -> set[int]:
    """Word positions the metrics found as fillers, checked against the words themselves."""
    spoken = [i for i, w in enumerate(words) if normalise(w.text)]
    found: set[int] = set()
    for filler in metrics.fillers:
        parts = filler.text.split()
        if filler.word_index not in spoken:
            continue
        at = spoken.index(filler.word_index)
        span = spoken[at : at + len(parts)]
        if [normalise(words[i].text) for i in span] == parts:
            found.update(span)
    return found


def _without_restarts(words: list[Word]) -> list[Word]:
    """Drops a word or short phrase said again straight away ("I I think" -> "I think")."""
    kept: list[Word] = []
    for word in words:
        kept.append(word)
        for size in range(1, _MAX_RESTART_WORDS + 1):
            if len(kept) < 2 * size:
                break
            first = [normalise(w.text) for w in kept[-2 * size : -size]]
            second = [normalise(w.text) for w in kept[-size:]]
            ends_sentence = kept[-size - 1].text.strip().endswith((".", "?", "!"))
            if ends_sentence:
                continue  # "...use smartphones. Smartphones can..." is two sentences
            if first == second and not (size == 1 and first[0] in _GRAMMATICAL_DOUBLES):
                del kept[-2 * size : -size]
                break
    return kept


def clean_words(words: Sequence[Word], metrics: SpeechMetrics) -> list[Word]:
    """The words without filled pauses, discourse fillers and immediate repetitions."""
    fillers = _filler_indices(words, metrics)
    kept: list[Word] = []
    dropped_after_comma = False
    for i, word in enumerate(words):
        norm = normalise(word.text)
        if i in fillers or is_filled_pause(norm) or not norm:
            dropped_after_comma = dropped_after_comma or bool(kept and _comma(kept[-1]))
            continue
        if dropped_after_comma and not _comma(word):
            kept[-1] = replace(kept[-1], text=kept[-1].text.rstrip().rstrip(","))
        dropped_after_comma = False
        kept.append(word)
    return _without_restarts(kept)


def _comma(word: Word) -> bool:
    return word.text.rstrip().endswith(",")


def sentences(words: Sequence[Word], metrics: SpeechMetrics) -> list[str]:
    """The cleaned answer as tidy sentences.

    Sentence ends come from the provider's punctuation; an unpunctuated transcript is
    split where the metrics heard a pause at a clause boundary.
    """
    kept = clean_words(words, metrics)
    punctuated = any(w.text.strip().endswith((".", "?", "!")) for w in kept)
    breaks = [
        p
        for p in metrics.pauses
        if not punctuated and p.kind == "boundary" and p.duration_s >= _SENTENCE_PAUSE_S
    ]
    result: list[list[str]] = [[]]
    for previous, word in zip([None, *kept], kept, strict=False):
        if (
            previous is not None
            and result[-1]
            and any(previous.start_s < p.start_s and p.end_s <= word.end_s for p in breaks)
        ):
            result.append([])
        result[-1].append(word.text.strip())
        if word.text.strip().endswith((".", "?", "!")):
            result.append([])
    tidy = _joined_because([_tidy(tokens) for tokens in result if tokens])
    if tidy:
        opening = _WARM_UP.sub("", tidy[0])
        tidy[0] = opening[0].upper() + opening[1:]
    return tidy


def _joined_because(found: list[str]) -> list[str]:
    """A "Because ..." fragment belongs to the sentence it explains."""
    merged: list[str] = []
    for sentence in found:
        if merged and sentence.lower().startswith("because "):
            merged[-1] = merged[-1].rstrip(".!?") + ", b" + sentence[1:]
        else:
            merged.append(sentence)
    return merged


def _tidy(tokens: list[str]) -> str:
    fixed = [PRONOUN_I.sub("I", t) for t in tokens]
    text = " ".join(fixed).rstrip(",;:- ")
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
