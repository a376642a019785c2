"""Preprocessing a 45 s voice note: our route against the naive pydub route, same run.

Our route: one ffmpeg process to 16 kHz mono PCM, measure (VAD, silences, pitch), then
the reduced copy for paid speech-to-text (silences cut, sox tempo 1.5). Naive route:
pydub decodes the file and exports 44.1 kHz stereo MP3 at 320 kbit/s. Also timed: the
two tempo tools, and how fast a 15-minute file is refused. Medians of several runs;
results replace its section of BENCHMARKS.md.

Run: uv run python bench/preprocess.py [--runs 7]
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pydub import AudioSegment

from adapters.audio import FfmpegAudioDecoder, reduce_for_transcription
from adapters.audio.ffmpeg import decode_pcm
from bench.report import record
from domain.errors import AudioError

NOTE_S = 45.0
TEXT = (
    "I would like to talk about a teacher who changed the way I think about learning. "
    "When I was in secondary school, I had a chemistry teacher who was strict, but also "
    "very kind, and she always explained difficult ideas with simple examples from everyday "
    "life. For instance, she used cooking to explain chemical reactions, and I still remember "
    "that lesson today. Because of her, I started to enjoy science, and I decided to study "
    "engineering at university. I think the most important thing she taught me was that "
    "making mistakes is a normal part of learning. Before I met her, I was afraid of being "
    "wrong in front of the class. After a few months, I felt much more confident."
)
QUIET = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y"]


def median_s(action: Callable[[], object], runs: int) -> float:
    action()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def voice_note(folder: Path) -> Path:
    wav, note = folder / "speech.wav", folder / "note.ogg"
    subprocess.run(["espeak-ng", "-s", "140", "-w", str(wav), TEXT], check=True)
    subprocess.run(
        ["ffmpeg", *QUIET, "-i", str(wav), "-t", str(NOTE_S), "-ac", "1", "-ar", "48000",
         "-c:a", "libopus", "-b:a", "32k", "-application", "voip", str(note)],
        check=True,
    )  # fmt: skip
    return note


def fifteen_minutes(note: Path, folder: Path) -> Path:
    long_note = folder / "fifteen.ogg"
    subprocess.run(
        ["ffmpeg", *QUIET, "-stream_loop", "19", "-i", str(note), "-c", "copy", str(long_note)],
        check=True,
    )
    return long_note


def our_route(note: Path) -> None:
    reduce_for_transcription(FfmpegAudioDecoder().decode(note))


def naive_route(note: Path) -> None:
    segment = AudioSegment.from_file(note).set_frame_rate(44_100).set_channels(2)
    segment.export(io.BytesIO(), format="mp3", bitrate="320k")


def tempo_tools(pcm: bytes, runs: int) -> dict[str, float]:
    raw = ["-t", "raw", "-r", "16000", "-e", "signed-integer", "-b", "16", "-c", "1"]
    sox = ["sox", "-V1", *raw, "-", *raw, "-", "tempo", "-q", "-s", "1.5"]
    sox_full = ["sox", "-V1", *raw, "-", *raw, "-", "tempo", "-s", "1.5"]
    atempo = ["ffmpeg", *QUIET, "-f", "s16le", "-ar", "16000", "-ac", "1", "-i", "pipe:0",
              "-af", "atempo=1.5", "-f", "s16le", "pipe:1"]  # fmt: skip
    return {
        name: median_s(
            lambda c=command: subprocess.run(c, input=pcm, capture_output=True, check=True), runs
        )
        for name, command in {
            "sox tempo -q -s": sox,
            "sox tempo -s": sox_full,
            "ffmpeg atempo": atempo,
        }.items()
    }


def refusal_s(path: Path) -> float:
    started = time.perf_counter()
    try:
        FfmpegAudioDecoder().decode(path)
    except AudioError as error:
        if error.code != "too_long":
            raise
        return time.perf_counter() - started
    raise SystemExit("a 15-minute file was accepted")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        note = voice_note(Path(folder))
        long_note = fifteen_minutes(note, Path(folder))
        ours = median_s(lambda: our_route(note), runs)
        naive = median_s(lambda: naive_route(note), runs)
        decode_only = median_s(
            lambda: decode_pcm(note, sample_rate=16_000, max_bytes=20_000_000,
                               max_duration_s=600.0, timeout_s=30.0),
            runs,
        )  # fmt: skip
        ffmpeg_start = median_s(
            lambda: subprocess.run(["ffmpeg", "-version"], capture_output=True, check=True), runs
        )
        pcm = FfmpegAudioDecoder().decode(note).pcm
        tempos = tempo_tools(pcm, runs)
        refused = statistics.median(refusal_s(long_note) for _ in range(3))
    rows = [
        ("our route: decode + measure + reduce", ours, NOTE_S / ours),
        ("naive route: pydub decode + 44.1 kHz stereo MP3 320k", naive, NOTE_S / naive),
        ("  of ours: the ffmpeg decode alone", decode_only, NOTE_S / decode_only),
        ("  of ours: ffmpeg start-up (`ffmpeg -version`)", ffmpeg_start, None),
        *((f"  tempo 1.5 on 45 s PCM: {name}", s, NOTE_S / s) for name, s in tempos.items()),
        ("15-minute OGG refused as too_long", refused, None),
    ]
    lines = [
        "| step | median | x real time |",
        "|---|---:|---:|",
        *(f"| {name} | {s * 1000:.0f} ms | {f'{x:.0f}x' if x else '-'} |" for name, s, x in rows),
        "",
        f"Our route is **{naive / ours:.1f}x faster** than the naive route and runs at "
        f"**{NOTE_S / ours:.0f}x real time** (goals: >= 3x and >= 300x; design 5x / 400x).",
    ]
    record(
        "Preprocessing a 45 s voice note",
        "uv run python bench/preprocess.py",
        [
            f"Median of {runs} runs; OGG/Opus 48 kHz mono 32 kbit/s synthesised with espeak-ng.",
            "",
            *lines,
        ],
    )


if __name__ == "__main__":
    main()
