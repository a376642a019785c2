"""Accuracy on synthesised answers whose words, fillers and pauses are known exactly.

    uv run python bench/accuracy.py

Runs the real route (ffmpeg decode, our signal measurements, faster-whisper tiny.en, the
domain metrics) on clips made by espeak-ng and flite at several rates, and compares with the
ground truth: duration, long pauses (found, and their length), WPM, fillers found, WER.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import jiwer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.audio import FfmpegAudioDecoder
from adapters.stt.local_whisper import LocalWhisper
from bench.report import record
from domain.metrics import FILLED_PAUSES, measure
from tests.synth import Silence, Synth, synthesize

# Fillers set off by commas, as hesitations usually are: the voice pauses briefly around them.
ANSWERS: list[list[str | Silence]] = [
    [
        "Well, um, I think working from home is better for me",
        Silence(1.2),
        "because, uh, I save almost two hours every day",
        Silence(0.5),
        "and, [you know], I can start early when I feel fresh",
        Silence(2.0),
        "I like tea in the morning and then I read my email",
    ],
    [
        "My favourite place in the city is the old market near the river",
        Silence(1.5),
        "It is, [like], full of small shops and, um, friendly people",
        Silence(0.4),
        "Uh, on Sundays there is music and I often meet my friends there",
        Silence(1.1),
        "[I mean], it feels like the heart of the town",
    ],
    [
        "In my last job I had to finish a report in two days",
        Silence(1.3),
        "Um, so I split the work into small parts and asked a colleague for help",
        Silence(0.6),
        "As a result we, uh, finished on time and the manager was very happy",
        Silence(1.7),
        "I learned that asking early is better than waiting",
    ],
]


def run_in(parts: list[str | Silence]) -> list[str | Silence]:
    """The same answer with fillers run into the next word (no commas): a harder case."""
    return [p.replace(",", "") if isinstance(p, str) else p for p in parts]


VOICES = [("espeak", 130), ("espeak", 165), ("espeak", 195), ("flite", 150), ("flite", 185)]


def _norm(text: str) -> str:
    words = re.sub(r"[^a-z' ]+", " ", text.lower()).split()
    return " ".join(w for w in words if w not in FILLED_PAUSES)


def _evaluate(clip: Synth, decoder: FfmpegAudioDecoder, stt: LocalWhisper) -> dict[str, float]:
    audio = decoder.decode(clip.path)
    transcript = stt.transcribe(audio)
    metrics = measure(transcript.words, audio.facts)
    long_truth = [p for p in clip.pauses if p.duration_s >= 1.0]
    found, errors = 0, []
    for truth in long_truth:
        overlapping = [
            p for p in metrics.pauses if p.start_s < truth.end_s and p.end_s > truth.start_s
        ]
        if overlapping:
            found += 1
            longest = max(overlapping, key=lambda p: p.duration_s)
            errors.append(abs(longest.duration_s - truth.duration_s))
    truth_fillers = Counter(f.text for f in clip.fillers)
    seen_fillers = Counter(f.text for f in metrics.fillers)
    hit = sum(min(n, seen_fillers[text]) for text, n in truth_fillers.items())
    return {
        "duration_error_s": abs(audio.facts.duration_s - clip.duration_s),
        "long_pauses": len(long_truth),
        "long_pauses_found": found,
        "pause_length_error_s": max(errors, default=0.0),
        "wpm_error": abs(metrics.wpm - clip.wpm) / clip.wpm,
        "fillers": sum(truth_fillers.values()),
        "fillers_found": hit,
        "fillers_extra": sum((seen_fillers - truth_fillers).values()),
        "wer": jiwer.wer(_norm(clip.text), _norm(transcript.text) or "<empty>"),
    }


# Answers without a single filler: any filler reported on them is invented.
FILLER_FREE_TOPICS = ["castles", "engines", "gardens", "rivers", "mountains", "tigers", "lemons",
                      "windows", "planets", "bridges"]  # fmt: skip


def _invented(folder: Path, decoder: FfmpegAudioDecoder, stt: LocalWhisper) -> tuple[int, int]:
    """Clips given at least one filler, out of clips that have none."""
    clips = [
        synthesize([f"Today I will talk about {topic}. I think {topic} matter to everyone"],
                   folder / f"free-{voice}-{topic}.ogg", voice=voice, rate_wpm=rate)  # type: ignore[arg-type]
        for voice, rate in (("espeak", 150), ("flite", 170))
        for topic in FILLER_FREE_TOPICS
    ]  # fmt: skip
    with_filler = 0
    for clip in clips:
        audio = decoder.decode(clip.path)
        with_filler += bool(measure(stt.transcribe(audio).words, audio.facts).fillers)
    return with_filler, len(clips)


def main() -> None:
    decoder, stt = FfmpegAudioDecoder(), LocalWhisper()
    rows: list[tuple[str, dict[str, float]]] = []
    hard: list[dict[str, float]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for voice, rate in VOICES:
            for n, parts in enumerate(ANSWERS, 1):
                clip = synthesize(
                    parts, Path(folder) / f"{voice}-{rate}-{n}.ogg", voice=voice, rate_wpm=rate
                )  # type: ignore[arg-type]
                result = _evaluate(clip, decoder, stt)
                rows.append((f"{voice} {rate} #{n}", result))
                run_in_clip = synthesize(
                    run_in(parts),
                    Path(folder) / f"{voice}-{rate}-{n}-run-in.ogg",
                    voice=voice,
                    rate_wpm=rate,  # type: ignore[arg-type]
                )
                hard.append(_evaluate(run_in_clip, decoder, stt))
                print(
                    f"{voice:6} {rate} #{n}: "
                    + ", ".join(f"{k}={v:.3g}" for k, v in result.items()),
                    file=sys.stderr,
                )
    total = {k: [r[k] for _, r in rows] for k in rows[0][1]}
    found_pauses = sum(total["long_pauses_found"]) / sum(total["long_pauses"])
    found_fillers = sum(total["fillers_found"]) / sum(total["fillers"])
    found_run_in = sum(r["fillers_found"] for r in hard) / sum(r["fillers"] for r in hard)
    with tempfile.TemporaryDirectory() as folder:
        invented, free_clips = _invented(Path(folder), decoder, stt)
    lines = [
        f"{len(rows)} clips ({', '.join(f'{v} {r}' for v, r in VOICES)}; 3 answers each), "
        "each also made with its fillers run into the next word; "
        f"{time.perf_counter() - started:.0f} s in all.",
        "",
        "| measure | result | goal (issue) | target (design) |",
        "| --- | --- | --- | --- |",
        f"| duration error, worst | {max(total['duration_error_s']):.3f} s | ≤ 0.1 s | ≤ 0.1 s |",
        f"| long pauses (≥ 1 s) found | {found_pauses:.0%} | all | all |",
        f"| long pause length error, worst | {max(total['pause_length_error_s']):.3f} s "
        "| exact (≤ 0.25 s) | ≤ 0.25 s |",
        f"| WPM error, median / worst | {statistics.median(total['wpm_error']):.1%} / "
        f"{max(total['wpm_error']):.1%} | ≤ 10% | ≤ 10% |",
        f"| fillers found | {found_fillers:.0%} ({sum(total['fillers_extra']):.0f} extra) "
        "| ≥ 80% | ≥ 90% |",
        f"| clips without fillers given one (invented) | {invented} of {free_clips} | — | 0 |",
        f"| fillers found when run into the next word (no pause) | {found_run_in:.0%} "
        f"({sum(r['fillers_extra'] for r in hard):.0f} extra) | — | ≥ 90% |",
        f"| WER (fillers excluded), median / worst | {statistics.median(total['wer']):.1%} / "
        f"{max(total['wer']):.1%} | ≤ 25% | ≤ 10% |",
    ]
    record("Accuracy on synthesised answers", "uv run python bench/accuracy.py", lines)


if __name__ == "__main__":
    main()
