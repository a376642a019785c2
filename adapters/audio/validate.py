"""Checks ffmpeg cannot make for us, and the wording of damaged-file refusals.

ffmpeg decodes a cut-off OGG file without any error (it simply stops early), so a voice
message whose download broke off would be coached as if the learner had stopped talking.
An Ogg stream ends with a page flagged "end of stream" (RFC 3533, section 6); a file whose
last complete page lacks that flag, or that ends inside a page, was cut off.
"""

from __future__ import annotations

from pathlib import Path

from domain.errors import AudioError, ErrorCode

FORMATS_HINT = "Send a voice message or an audio file (OGG, MP3, M4A, WAV)."

_CAPTURE = b"OggS"
_HEADER_LEN = 27
_END_OF_STREAM = 0x04
_TAIL = 1 << 17  # > one maximal Ogg page (65 307 bytes), so the last page start is in it


def damaged() -> AudioError:
    return AudioError(
        ErrorCode.INVALID_AUDIO,
        "The recording looks damaged or cut off. Record your answer again and send it. "
        + FORMATS_HINT,
    )


def ogg_is_cut_off(path: Path, size: int) -> bool:
    """True when `path` is an Ogg file whose last page is missing or not end-of-stream."""
    with path.open("rb") as file:
        if file.read(4) != _CAPTURE:
            return False
        start = max(0, size - _TAIL)
        file.seek(start)
        tail = file.read()
    position = tail.rfind(_CAPTURE)
    while position >= 0:
        end = _page_end(tail, position)
        if end == len(tail):
            return not tail[position + 5] & _END_OF_STREAM
        position = tail.rfind(_CAPTURE, 0, position)
    return True


def _page_end(data: bytes, position: int) -> int | None:
    """Offset just past the Ogg page starting at `position`, or None if it is incomplete."""
    if position + _HEADER_LEN > len(data):
        return None
    segments = data[position + 26]
    table_end = position + _HEADER_LEN + segments
    if table_end > len(data):
        return None
    return table_end + sum(data[position + _HEADER_LEN : table_end])
