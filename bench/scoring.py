"""How bench/accuracy.py scores one transcript against the truth: pure functions over plain values.

- WER: both texts lower case, punctuation gone, filled pauses (um, uh, ...) dropped, a few
  spellings made one ("all right" = "alright"); jiwer's word error rate.
- Fillers found: a reported filler (domain.metrics `measure(...).fillers`) matches a true one
  when it overlaps the true one's time, widened by FILLER_SLACK_S either side, and is of the
  same kind: any filled pause for a filled pause (Whisper writes "er" as "uh"), the same
  words for like / you know / I mean. Each reported filler matches at most one true one;
  the unmatched ones were invented.
- Unheard: stretches of true speech of UNHEARD_MIN_S or more that no heard word (widened
  by WORD_SLACK_S, as word times drift) and no "could not make out" interval touches.
- Long pauses: a true pause of 1 s or more is found when a measured pause overlaps it; its
  error is the longest overlapping pause's length against the true length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import jiwer

from domain.metrics import FILLED_PAUSES, Filler, Pause
from domain.speech import Interval, Word

FILLER_SLACK_S = 0.3
WORD_SLACK_S = 0.25
UNHEARD_MIN_S = 0.5
LONG_PAUSE_S = 1.0
SPELLINGS = {"all right": "alright", "m f a": "mfa"}


@dataclass(frozen=True)
class TrueFiller:
    text: str
    start_s: float
    end_s: float
    kind: str  # set-off, run-in, discourse (synthesised); real (recorded)


@dataclass(frozen=True)
class FillerScore:
    found: tuple[bool, ...]  # one per true filler, in order
    same_sound: tuple[bool, ...]  # found as the very word ("um" as "um", not "uh")
    invented: tuple[str, ...]  # texts of reported fillers that match no true one


def normalise(text: str) -> str:
    words = [w.strip("'") for w in re.sub(r"[^a-z' ]+", " ", text.lower()).split()]
    joined = " " + " ".join(w for w in words if w and w not in FILLED_PAUSES) + " "
    for spelled, meant in SPELLINGS.items():
        joined = joined.replace(f" {spelled} ", f" {meant} ")
    return " ".join(joined.split())


def word_error_rate(reference: str, heard: str) -> float:
    return float(jiwer.wer(normalise(reference), normalise(heard) or "<nothing>"))


def match_fillers(truth: Sequence[TrueFiller], reported: Sequence[Filler]) -> FillerScore:
    """Match each true filler, in time order, to the first free reported one of its kind."""
    free = list(range(len(reported)))
    chosen: dict[int, int] = {}
    for k in sorted(range(len(truth)), key=lambda k: truth[k].start_s):
        true = truth[k]
        candidates = [
            i
            for i in free
            if _same_kind(true.text, reported[i].text)
            and reported[i].start_s < true.end_s + FILLER_SLACK_S
            and reported[i].end_s > true.start_s - FILLER_SLACK_S
        ]
        exact = [i for i in candidates if reported[i].text == true.text]
        if candidates:
            chosen[k] = (exact or candidates)[0]
            free.remove(chosen[k])
    return FillerScore(
        found=tuple(k in chosen for k in range(len(truth))),
        same_sound=tuple(
            k in chosen and reported[chosen[k]].text == truth[k].text for k in range(len(truth))
        ),
        invented=tuple(reported[i].text for i in free),
    )


def _same_kind(true: str, heard: str) -> bool:
    if true in FILLED_PAUSES:
        return heard in FILLED_PAUSES
    return heard == true


def unheard_stretches(
    speech: Sequence[Interval], words: Sequence[Word], unheard: Sequence[Interval]
) -> list[float]:
    """Lengths of the stretches of `speech` left with no word and no unheard mark on them."""
    covered = [(w.start_s - WORD_SLACK_S, w.end_s + WORD_SLACK_S) for w in words]
    covered += [(u.start_s, u.end_s) for u in unheard]
    lengths = []
    for stretch in speech:
        pieces = [(stretch.start_s, stretch.end_s)]
        for a, b in covered:
            pieces = [
                piece
                for x, y in pieces
                for piece in (((x, y),) if b <= x or a >= y else ((x, a), (b, y)))
                if piece[1] > piece[0]
            ]
        lengths += [round(y - x, 2) for x, y in pieces if y - x >= UNHEARD_MIN_S]
    return lengths


def long_pauses(truth: Sequence[Interval], measured: Sequence[Pause]) -> list[float | None]:
    """For each true pause of LONG_PAUSE_S or more: the length error, or None if missed."""
    errors: list[float | None] = []
    for true in (p for p in truth if p.duration_s >= LONG_PAUSE_S):
        overlapping = [p for p in measured if p.start_s < true.end_s and p.end_s > true.start_s]
        longest = max(overlapping, key=lambda p: p.duration_s, default=None)
        errors.append(
            None if longest is None else round(abs(longest.duration_s - true.duration_s), 3)
        )
    return errors
