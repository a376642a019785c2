"""Value objects that describe one spoken answer: words, silences and audio facts.

Times are seconds on the original recording's timeline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.usage import Usage


@dataclass(frozen=True)
class Word:
    """One recognised word with its timing, as a speech-to-text provider reports it."""

    text: str
    start_s: float
    end_s: float
    probability: float = 1.0


@dataclass(frozen=True)
class Interval:
    """A stretch of the recording, e.g. a speech segment or a silence."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def seconds_within(stretches: Iterable[Interval], start_s: float, end_s: float) -> float:
    """How many seconds of the (non-overlapping) stretches lie between start_s and end_s."""
    return sum(max(0.0, min(end_s, s.end_s) - max(start_s, s.start_s)) for s in stretches)


def bridged(stretches: Iterable[Interval], gap_s: float) -> list[Interval]:
    """The stretches in time order, those less than `gap_s` apart joined into one."""
    joined: list[Interval] = []
    for stretch in sorted(stretches, key=lambda s: s.start_s):
        if joined and stretch.start_s - joined[-1].end_s < gap_s:
            joined[-1] = Interval(joined[-1].start_s, max(joined[-1].end_s, stretch.end_s))
        else:
            joined.append(stretch)
    return joined


@dataclass(frozen=True)
class AudioFacts:
    """What we measured on the signal itself, independent of any transcript.

    `silences` are stretches the signal shows as silent (not voiced), found on the
    original audio; they let metrics refine pause edges that word timestamps blur.
    `pitch_semitones_sd` is None when too little voiced speech was found to measure it.
    """

    duration_s: float
    speech_s: float
    speech_segments: tuple[Interval, ...]
    silences: tuple[Interval, ...] = ()
    pitch_semitones_sd: float | None = None


@dataclass(frozen=True)
class Transcript:
    """What a speech-to-text provider heard.

    `unheard` are stretches of voiced speech that gave no words even when listened to again:
    the learner said something there that we cannot quote, count or score. `usage` is what
    hearing it took: the model, the time, the audio seconds billed and their cost (None in
    transcripts recorded before it was kept).
    """

    text: str
    words: tuple[Word, ...]
    language: str
    provider: str
    unheard: tuple[Interval, ...] = ()
    usage: Usage | None = None


def unheard_note(unheard: tuple[Interval, ...]) -> str:
    """What the learner is told about speech that could not be made out ("" when none)."""
    if not unheard:
        return ""
    stretches = [f"{u.start_s:.1f}-{u.end_s:.1f} s" for u in unheard]
    listed = (
        stretches[0] if len(stretches) == 1 else ", ".join(stretches[:-1]) + " and " + stretches[-1]
    )
    return (
        f"I could not make out {listed} of your recording, so those words are missing "
        "here and nothing there was scored. Speaking a little slower and closer to the "
        "microphone helps."
    )


def stretches_text(stretches: tuple[Interval, ...]) -> str:
    """ "3.1-5.4 s", or "3.1-5.4 s, 7.0-8.0 s and 9.0-9.6 s": where on the recording."""
    spans = [f"{s.start_s:.1f}-{s.end_s:.1f} s" for s in stretches]
    return " and ".join([", ".join(spans[:-1]), spans[-1]] if spans[1:] else spans)
