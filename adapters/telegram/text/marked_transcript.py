"""The learner's own words with fillers underlined and long pauses written in.

The metrics name fillers by the provider's word index and pauses by their edges and
the words around them, so both are placed back on the provider's word list: a filler
covers as many words as it has ("you know" is two), a long pause goes into the word
gap whose words match its neighbours and lie nearest to it in time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from adapters.telegram.text.html import text
from domain.metrics.model import LONG_PAUSE_S
from domain.metrics.tokens import Token, tokenize
from domain.speech import Transcript


def _filler_words(tokens: Sequence[Token], fillers: Sequence[Mapping[str, Any]]) -> list[range]:
    """Provider word index ranges (first to last word) of each filler."""
    position = {t.index: n for n, t in enumerate(tokens)}
    spans = []
    for filler in fillers:
        first = position.get(int(filler["word_index"]))
        if first is None:
            continue
        covered = tokens[first : first + len(str(filler["text"]).split())]
        spans.append(range(covered[0].index, covered[-1].index + 1))
    return spans


def _gap_for(tokens: Sequence[Token], pause: Mapping[str, Any]) -> int | None:
    """Provider index of the word the pause comes before."""
    start, end = float(pause["start_s"]), float(pause["end_s"])

    def distance(i: int) -> float:
        return abs(tokens[i].end_s - start) + abs(tokens[i + 1].start_s - end)

    gaps = range(len(tokens) - 1)
    after, before = pause.get("after_word"), pause.get("before_word")
    named = [i for i in gaps if tokens[i].norm == after and tokens[i + 1].norm == before]
    best = min(named or gaps, key=distance, default=None)
    return None if best is None else tokens[best + 1].index


def marked_transcript(transcript: Transcript, metrics: Mapping[str, Any]) -> str:
    """Escaped HTML of what the learner said: fillers as <u>um</u>, long pauses " … [1.6 s] … "."""
    words = transcript.words
    if not words:
        return text(transcript.text.strip())
    tokens = tokenize(words)
    pauses_before: dict[int, float] = {}
    for pause in metrics.get("pauses") or ():
        length = float(pause["end_s"]) - float(pause["start_s"])
        index = _gap_for(tokens, pause) if length >= LONG_PAUSE_S else None
        if index is not None:
            pauses_before[index] = max(length, pauses_before.get(index, 0.0))
    opens: Counter[int] = Counter()
    closes: Counter[int] = Counter()
    for span in _filler_words(tokens, metrics.get("fillers") or ()):
        opens[span.start] += 1
        closes[span.stop - 1] += 1
    # Whisper words carry their own leading space; hand-typed words need one between them.
    spaced = any(w.text[:1].isspace() for w in words[1:])
    pieces = []
    for index, word in enumerate(words):
        stripped = word.text.strip()
        lead = word.text[: len(word.text) - len(word.text.lstrip())] if spaced else " "
        if index in pauses_before:
            lead = f" … [{pauses_before[index]:.1f} s] … "
        pieces.append(lead + "<u>" * opens[index] + text(stripped) + "</u>" * closes[index])
    return "".join(pieces).strip()
