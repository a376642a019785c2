"""One ffmpeg process that validates and decodes a recording to 16 kHz mono s16le PCM.

The PCM arrives on a pipe and is read as it is produced, so an over-long recording is
refused as soon as one second more than the limit has arrived (ffmpeg's own `-t` bounds
it too) instead of being decoded whole. When the container states a duration well over
the limit (Ogg states it exactly), we stop before decoding anything. ffmpeg's stderr is
read, tagged by level, for the reason of a failure but never shown to the learner: every
refusal says what to do instead.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import selectors
import subprocess
import time
from pathlib import Path

from adapters.audio.validate import FORMATS_HINT, damaged, ogg_is_cut_off
from domain.errors import AudioError, ErrorCode

BYTES_PER_SAMPLE = 2
DECLARED_MARGIN_S = 5.0
_CHUNK = 1 << 16
_STDERR_CAP = 1 << 14
_PIPE_SIZE = 1 << 20
_DAMAGE_MARKERS = ("crc mismatch", "corrupt", "partial file", "error while decoding")
_DECLARED = re.compile(rb"^\[info\]\s+Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)", re.MULTILINE)


def decode_pcm(
    path: Path, *, sample_rate: int, max_bytes: int, max_duration_s: float, timeout_s: float
) -> bytes:
    """Decode `path` to mono s16le PCM at `sample_rate`, or raise `AudioError`."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise AudioError(
            ErrorCode.INVALID_AUDIO, f"We could not open the recording. {FORMATS_HINT}"
        ) from error
    if size > max_bytes:
        raise AudioError(
            ErrorCode.TOO_LARGE,
            f"The file is larger than {max_bytes / 1e6:.0f} MB. "
            "Send a shorter recording, or send it as a voice message.",
        )
    if size == 0:
        raise AudioError(ErrorCode.INVALID_AUDIO, f"The recording is empty. {FORMATS_HINT}")
    if ogg_is_cut_off(path, size):
        raise damaged()
    command = [
        "ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info",
        "-i", f"file:{path}", "-map", "0:a:0", "-vn", "-sn", "-dn",
        "-ac", "1", "-ar", str(sample_rate), "-t", f"{max_duration_s + 1:.3f}",
        "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1",
    ]  # fmt: skip
    limit = int(max_duration_s * sample_rate) * BYTES_PER_SAMPLE
    pcm, stderr, code = _run(command, limit, max_duration_s, time.monotonic() + timeout_s)
    errors = [line for line in stderr.lower().splitlines() if b"[error]" in line]
    if code != 0 and not pcm:
        raise AudioError(
            ErrorCode.INVALID_AUDIO, f"We could not find any audio in that file. {FORMATS_HINT}"
        )
    if code != 0 or any(m.encode() in line for line in errors for m in _DAMAGE_MARKERS):
        raise damaged()
    if len(pcm) < sample_rate * BYTES_PER_SAMPLE // 10:
        raise AudioError(ErrorCode.INVALID_AUDIO, f"The recording is empty. {FORMATS_HINT}")
    return pcm[: len(pcm) - len(pcm) % BYTES_PER_SAMPLE]


def _too_long(max_duration_s: float) -> AudioError:
    minutes = f"{max_duration_s / 60:g}"
    return AudioError(
        ErrorCode.TOO_LONG,
        f"The recording is longer than {minutes} minutes. "
        f"Record a shorter answer (under {minutes} minutes) and send it again.",
    )


def _declared_s(stderr: bytes | bytearray) -> float | None:
    found = _DECLARED.search(stderr)
    if not found:
        return None
    hours, minutes, seconds = found.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _run(
    command: list[str], limit: int, max_duration_s: float, deadline: float
) -> tuple[bytes, bytes, int]:
    """Run ffmpeg, collecting stdout until EOF; refuse past `limit` bytes or the deadline."""
    pcm = bytearray()
    stderr = bytearray()
    with (
        subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as process,
        selectors.DefaultSelector() as selector,
    ):
        output, errors = process.stdout, process.stderr
        if output is None or errors is None:  # both are pipes (PIPE above): never
            raise RuntimeError("ffmpeg's output pipes were not opened")
        with contextlib.suppress(OSError):  # a roomier pipe lets ffmpeg run ahead of us
            fcntl.fcntl(output, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
        selector.register(output, selectors.EVENT_READ, pcm)
        selector.register(errors, selectors.EVENT_READ, stderr)
        try:
            while selector.get_map():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AudioError(
                        ErrorCode.INVALID_AUDIO,
                        "Reading the recording took too long. Send it again, "
                        f"or send a shorter voice message. {FORMATS_HINT}",
                    )
                for key, _ in selector.select(remaining):
                    chunk = os.read(key.fd, _CHUNK)
                    if not chunk:
                        selector.unregister(key.fileobj)
                    elif key.data is pcm or len(stderr) < _STDERR_CAP:
                        key.data.extend(chunk)
                declared = _declared_s(stderr)
                if len(pcm) > limit or (declared or 0) > max_duration_s + DECLARED_MARGIN_S:
                    raise _too_long(max_duration_s)
        finally:
            if process.poll() is None:
                process.kill()
            code = process.wait()
    return bytes(pcm), bytes(stderr), code
