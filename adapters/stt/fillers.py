"""Fillers from a decode prompted for them, merged into the words of a plain decode.

The filler prompt makes Whisper write um and uh, but it costs words: it misspells, skips
and invents them (WER 8% plain, 14% prompted on our set; once "Um, I'm like," for "online").
So the transcript's words come from the plain decode, and only the prompted decode's fillers
are taken over, where the two transcripts disagree: a filler the plain decode left out (its
time usually taken by a neighbouring word, "that, um, small" heard as "that, small"), or a
short word it wrote for a filler ("that, a small"). Longer plain words are never replaced:
where the prompted decode differs on them, it is the one that misheard.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from difflib import SequenceMatcher

from domain.metrics.model import FILLED_PAUSES
from domain.metrics.tokens import normalise
from domain.speech import Interval, Word

FILLER_LONGEST_S = 1.2  # filled pauses last 0.15-1.2 s
BESIDE_S = 0.2  # voicing this close to a filler may be its sound
MIN_WORD_S = 0.1  # a word giving time to a filler beside it keeps at least this much
SOUNDALIKES = frozenset(
    {"a", "ah", "am", "an", "and", "are", "but", "er", "her", "hm", "i'm", "oh", "on", "or",
     "some", "that", "the", "uh", "um", "so", "huh", "what", "well"}
)  # fmt: skip
"""Short words the plain decode writes for a filler it heard ("that, a small"; "Some,
sometimes" for "Um, sometimes"); any other plain word is kept even where the prompted decode
put a filler on it."""


def merge_fillers(plain: Sequence[Word], prompted: Sequence[Word]) -> list[Word]:
    """The plain words, with the prompted decode's fillers added where the plain one lacks them.

    A filler goes where the alignment of the two transcripts puts it, between the same two
    words as in the prompted decode. Where the two disagree on words as well, a filler is
    taken only if it does not sit on a plain word, or only on short ones (which it replaces:
    the plain decode wrote "some" or "that" for an "um"); a filler sitting on a longer plain
    word is the prompted decode mishearing that word.
    """
    a = [normalise(w.text) for w in plain]
    b = [normalise(w.text) for w in prompted]
    out: list[Word] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        ours = list(plain[i1:i2])
        if op == "equal":  # the same words: keep the commas the prompted decode set around
            # hesitations ("it is, like, full"), which tell a filler "like" from a verb
            ours = [dataclasses.replace(w, text=prompted[j1 + k].text) for k, w in enumerate(ours)]
        fillers = [prompted[j] for j in range(j1, j2) if b[j] in FILLED_PAUSES]
        if op in ("equal", "delete") or not fillers:
            out += ours
            continue
        taken: list[Word] = []
        for filler in fillers:
            under = [w for w in ours if _shared(w, filler) >= 0.5 * _shortest(w, filler)]
            if all(normalise(w.text) in SOUNDALIKES for w in under):
                ours = [w for w in ours if w not in under]
                taken.append(filler)
        out += sorted([*ours, *taken], key=lambda w: w.start_s)
    return _untangled(out)


def _shared(a: Word, b: Word) -> float:
    return max(0.0, min(a.end_s, b.end_s) - max(a.start_s, b.start_s))


def _shortest(a: Word, b: Word) -> float:
    return max(min(a.end_s - a.start_s, b.end_s - b.start_s), 1e-3)


def _untangled(words: Sequence[Word]) -> list[Word]:
    """Words in spoken order with times that run forward.

    A filler keeps the time the prompted decode gave it where it can: the plain word beside
    it, which usually took that time, gives it up while keeping MIN_WORD_S of its own;
    otherwise the filler is squeezed into the room between its neighbours.
    """
    out = list(words)
    for i, word in enumerate(out):
        if normalise(word.text) not in FILLED_PAUSES:
            continue
        start, end = word.start_s, word.end_s
        if i > 0 and out[i - 1].end_s > start:
            before = out[i - 1]
            if start - before.start_s >= MIN_WORD_S:
                out[i - 1] = dataclasses.replace(before, end_s=start)
            else:
                start = before.end_s
        if i + 1 < len(out) and out[i + 1].start_s < end:
            after = out[i + 1]
            if after.end_s - end >= MIN_WORD_S:
                out[i + 1] = dataclasses.replace(after, start_s=end)
            else:
                end = after.start_s
        start = min(start, end) if i + 1 < len(out) else start
        out[i] = dataclasses.replace(word, start_s=start, end_s=max(start, end))
    for i in range(1, len(out)):  # fillers timed past the next word: keep the spoken order
        if out[i].start_s < out[i - 1].start_s:
            start = out[i - 1].start_s
            out[i] = dataclasses.replace(out[i], start_s=start, end_s=max(out[i].end_s, start))
    return out


def fillers_over_voicing(
    words: Sequence[Word], stretches: Sequence[Interval], longest_s: float = FILLER_LONGEST_S
) -> list[Word]:
    """Fillers widened over the unexplained voicing right beside them.

    Whisper times fillers badly: an "um" drawn out over 0.6-1.1 s came back as 1.20-1.26 s,
    leaving its sound without a word, which would then look like speech nobody could make
    out. A voiced stretch no longer than a filler, touching one, is that filler's sound.
    """
    out = sorted(words, key=lambda w: w.start_s)
    for stretch in stretches:
        if stretch.duration_s > longest_s:
            continue
        after = next((i for i, w in enumerate(out) if w.start_s >= stretch.end_s), None)
        before = next(
            (i for i in reversed(range(len(out))) if out[i].end_s <= stretch.start_s), None
        )
        for i in (after, before):  # the words right beside the stretch, the next one first
            if i is None or normalise(out[i].text) not in FILLED_PAUSES:
                continue
            word = out[i]
            if i == after and word.start_s - stretch.end_s <= BESIDE_S:
                out[i] = dataclasses.replace(word, start_s=stretch.start_s)
                break
            if i == before and stretch.start_s - word.end_s <= BESIDE_S:
                out[i] = dataclasses.replace(word, end_s=stretch.end_s)
                break
    return out
