"""measure(): from a provider's words and the signal's facts to SpeechMetrics."""

from __future__ import annotations

from collections.abc import Sequence

from domain.lexical import mattr, mtld
from domain.metrics.context import Context
from domain.metrics.fillers import find_fillers
from domain.metrics.model import Filler, SpeechMetrics
from domain.metrics.pauses import pauses_by_gap
from domain.metrics.phrases import find_hedges, find_repetitions
from domain.metrics.span import speaking_span
from domain.metrics.tokens import Token, lexical_words, tokenize
from domain.speech import AudioFacts, Interval, Word, seconds_within

MIN_WORDS_FOR_RANGE = 10
"""Below this, MATTR and MTLD say more about chance than about vocabulary."""


def _per_minute(count: int, seconds: float) -> float:
    return 60.0 * count / seconds if seconds > 0 else 0.0


def _filler_word_indices(tokens: Sequence[Token], fillers: Sequence[Filler]) -> frozenset[int]:
    """Provider word indices covered by each filler, counting its words from its first."""
    positions = {t.index: n for n, t in enumerate(tokens)}
    covered: set[int] = set()
    for filler in fillers:
        first = positions.get(filler.word_index)
        if first is not None:
            covered.update(t.index for t in tokens[first : first + len(filler.text.split())])
    return frozenset(covered)


def measure(
    words: Sequence[Word],
    facts: AudioFacts,
    time_limit_s: int | None = None,
    unheard: Sequence[Interval] = (),
) -> SpeechMetrics:
    """Delivery and language measures of one answer.

    Times come from the words, refined by `facts.silences` where the signal shows
    where the voice really stopped; with no silences given, word gaps are used.
    `unheard` is speech the recogniser could not make out: its time is left out of the
    pace, since its words are not counted, and it is never a pause (it is voiced).
    """
    tokens = tokenize(words)
    counted = lexical_words(tokens)
    by_gap = {
        i: pause
        for i, pause in pauses_by_gap(tokens, facts.silences).items()
        if not any(u.start_s < pause.end_s and pause.start_s < u.end_s for u in unheard)
    }
    pauses = tuple(by_gap[k] for k in sorted(by_gap))
    start, end = speaking_span(tokens, facts.silences)
    unheard_s = seconds_within(unheard, start, end)
    span = max(end - start - unheard_s, 0.0)
    voiced = max(span - sum(p.duration_s for p in pauses), 0.0)
    ctx = Context(tokens, frozenset(by_gap))
    enough = len(counted) >= MIN_WORDS_FOR_RANGE
    fillers = find_fillers(ctx)
    in_fillers = _filler_word_indices(tokens, fillers)
    return SpeechMetrics(
        duration_s=facts.duration_s,
        speech_s=facts.speech_s,
        word_count=len(counted),
        wpm=_per_minute(len(counted), span),
        articulation_wpm=_per_minute(len(counted), voiced),
        speaking_time_ratio=min(voiced / facts.duration_s, 1.0) if facts.duration_s > 0 else 0.0,
        mean_length_of_run=len(counted) / (len(pauses) + 1) if counted else 0.0,
        pauses=pauses,
        fillers=fillers,
        repetitions=find_repetitions(tokens, in_fillers),
        hedges=find_hedges(counted),
        unique_words=len(set(counted)),
        mattr=mattr(counted) if enough else None,
        mtld=mtld(counted) if enough else None,
        time_limit_s=time_limit_s,
        time_used_ratio=facts.duration_s / time_limit_s if time_limit_s else None,
        pitch_semitones_sd=facts.pitch_semitones_sd,
        unheard=tuple(unheard),
    )
