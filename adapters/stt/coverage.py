"""Which voiced stretches no transcript word explains, and one short reel to listen to them again.

Whisper now and then skips a whole stretch of speech (with the filler prompt, once the first
8.7 s of a 21.8 s answer), leaving voiced audio that no word covers. Decoding each such
stretch on its own would cost a full 30 s encoder pass per stretch (~0.5 s here), so the
stretches are cut out, laid end to end with short silences between them, and heard as one
reel; the reel's words are mapped back onto the recording's timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from domain.speech import Interval, Word, bridged

WORD_MARGIN_S = 0.08  # Whisper's word edges are this loose; voicing inside it counts as covered
CONTEXT_S = 0.15  # audio kept either side of a stretch in the reel, so its onset is not cut
SEPARATOR_S = 0.4  # silence between pieces: short enough not to invite invented words
REEL_LIMIT_S = 29.0  # Whisper hears 30 s at a time


def uncovered(
    words: Sequence[Word], speech: Sequence[Interval], shortest_s: float
) -> tuple[Interval, ...]:
    """Parts of `speech` at least `shortest_s` long that no word (widened a little) overlaps."""
    covered = sorted((max(0.0, w.start_s - WORD_MARGIN_S), w.end_s + WORD_MARGIN_S) for w in words)
    found: list[Interval] = []
    for segment in speech:
        cursor = segment.start_s
        for start, end in covered:
            if end <= cursor or start >= segment.end_s:
                continue
            if start - cursor >= shortest_s:
                found.append(Interval(round(cursor, 3), round(start, 3)))
            cursor = max(cursor, end)
        if segment.end_s - cursor >= shortest_s:
            found.append(Interval(round(cursor, 3), round(segment.end_s, 3)))
    return tuple(found)


@dataclass(frozen=True)
class Piece:
    """One stretch of the recording inside a reel."""

    stretch: Interval  # what we want heard, on the recording's timeline
    source_start_s: float  # where the piece's audio (stretch plus context) begins in the recording
    reel_start_s: float  # where that audio begins in the reel
    length_s: float

    def to_recording(self, reel_s: float) -> float:
        return self.source_start_s + (reel_s - self.reel_start_s)


@dataclass(frozen=True)
class Reel:
    """Stretches of one recording laid end to end, and the way back to their times."""

    samples: np.ndarray
    pieces: tuple[Piece, ...]

    def _piece_at(self, reel_s: float) -> Piece | None:
        for piece in self.pieces:
            if piece.reel_start_s <= reel_s <= piece.reel_start_s + piece.length_s:
                return piece
        return None

    def place(self, word: Word) -> Word | None:
        """The word on the recording's timeline, clamped into its stretch, if its middle is in it.

        The stretch is voicing no other word explains, so a placed word overlaps none of them.
        """
        middle = (word.start_s + word.end_s) / 2
        piece = self._piece_at(middle)
        if piece is None:
            return None
        start, end = piece.to_recording(word.start_s), piece.to_recording(word.end_s)
        if not piece.stretch.start_s <= (start + end) / 2 <= piece.stretch.end_s:
            return None
        start = max(start, piece.stretch.start_s)
        end = min(max(end, start), piece.stretch.end_s)
        return Word(word.text, round(start, 3), round(end, 3), word.probability)


def reels(samples: np.ndarray, stretches: Sequence[Interval], rate: int) -> list[Reel]:
    """The stretches with their context, in order, packed into reels of at most REEL_LIMIT_S.

    Stretches whose context would overlap are heard as one, so no sound is heard twice.
    """
    separator = np.zeros(round(SEPARATOR_S * rate), samples.dtype)
    packed: list[Reel] = []
    chunks: list[np.ndarray] = []
    pieces: list[Piece] = []
    length = 0
    for stretch in bridged(stretches, 2 * CONTEXT_S):
        first = max(0, round((stretch.start_s - CONTEXT_S) * rate))
        last = min(samples.size, round((stretch.end_s + CONTEXT_S) * rate))
        for start in range(first, last, round(REEL_LIMIT_S * rate)):
            audio = samples[start : min(last, start + round(REEL_LIMIT_S * rate))]
            if chunks and (length + separator.size + audio.size) / rate > REEL_LIMIT_S:
                packed.append(Reel(np.concatenate(chunks), tuple(pieces)))
                chunks, pieces, length = [], [], 0
            if chunks:
                chunks.append(separator)
                length += separator.size
            pieces.append(Piece(stretch, start / rate, length / rate, audio.size / rate))
            chunks.append(audio)
            length += audio.size
    if chunks:
        packed.append(Reel(np.concatenate(chunks), tuple(pieces)))
    return packed
