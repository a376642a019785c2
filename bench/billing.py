"""Audio seconds billed to paid speech-to-text: the reduced audio against the recording, with
the word error rate of both through the local model as a stand-in for the provider.

    uv run python bench/billing.py [--limit 40] [--conditions clean snr20]

Each answer of the speech set's held-out half (bench/speech_set.py; made first if missing)
is decoded as in production, then reduced as OpenAISpeechToText sends it (silences over
0.3 s cut: adapters.audio.reduce) at each tempo (1, the default, then faster). Every copy
goes through faster-whisper tiny.en with the same plain settings a provider would use (no
prompt, no gating of ours), and its transcript is scored against the truth
(bench/scoring.py). Billed seconds are the seconds of audio sent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.audio import FfmpegAudioDecoder
from adapters.audio.reduce import reduce_for_transcription
from adapters.stt.model_location import resolve_model
from bench import scoring, speech_set
from bench.report import record

TEMPOS = (1.0, 1.25, 1.5)


def _name(tempo: float | None) -> str:
    if tempo is None:
        return "the recording"
    return "reduced, tempo 1 (the default)" if tempo == 1.0 else f"reduced, tempo {tempo:g}"


def _heard(model: Any, pcm: bytes) -> str:
    samples = np.frombuffer(pcm, np.int16).astype(np.float32) / 32768.0
    segments, _ = model.transcribe(samples, language="en", beam_size=5,
                                   condition_on_previous_text=False)  # fmt: skip
    return " ".join(segment.text.strip() for segment in segments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=40, help="answers of the held-out half")
    parser.add_argument("--conditions", nargs="+", default=["clean", "snr20"],
                        choices=speech_set.CONDITIONS)  # fmt: skip
    args = parser.parse_args()
    from faster_whisper import WhisperModel

    folder, _ = resolve_model(None)
    model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=2)
    decoder = FfmpegAudioDecoder()
    chosen = [a for a in speech_set.answers() if a.held_out][: args.limit]
    # condition -> tempo (None: the recording) -> [(seconds sent, WER)] over the answers
    rows: dict[str, dict[float | None, list[tuple[float, float]]]] = {}
    started = time.monotonic()
    for condition in args.conditions:
        rows[condition] = {tempo: [] for tempo in (None, *TEMPOS)}
        for n, answer in enumerate(chosen, 1):
            clip = speech_set.make(answer, condition)
            audio = decoder.decode(clip.synth.path)
            copies = {None: audio.pcm} | {
                tempo: reduce_for_transcription(audio, tempo=tempo).pcm for tempo in TEMPOS
            }
            for tempo, pcm in copies.items():
                wer = scoring.word_error_rate(clip.synth.text, _heard(model, pcm))
                rows[condition][tempo].append((len(pcm) / (2 * audio.sample_rate), wer))
            print(f"{condition} {n}/{len(chosen)} {answer.id}: " + ", ".join(
                f"{_name(t)} {v[-1][0]:.1f} s WER {v[-1][1]:.0%}"
                for t, v in rows[condition].items()), file=sys.stderr)  # fmt: skip
    took = time.monotonic() - started
    lines = [
        f"{len(chosen)} answers of the speech set's held-out half under each condition, "
        "OGG/Opus as Telegram sends them; decoded and reduced as in production (silences "
        "over 0.3 s cut), at each tempo; every copy heard by faster-whisper tiny.en (int8, "
        "beam 5, no prompt) as a stand-in for the paid provider; WER against the script, the "
        f"mean over the answers; seconds summed over them. {took:.0f} s.",
        "",
        "| condition | audio sent | seconds sent | share billed | WER | WER change |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    met = []
    for condition, by_tempo in rows.items():
        original_s = sum(s for s, _ in by_tempo[None])
        original_wer = statistics.mean(w for _, w in by_tempo[None])
        for tempo, values in by_tempo.items():
            sent_s = sum(s for s, _ in values)
            wer = statistics.mean(w for _, w in values)
            change = (wer - original_wer) * 100
            share = sent_s / original_s
            lines.append(f"| {condition} | {_name(tempo)} | {sent_s:.0f} s | {share:.0%} "
                         f"| {wer:.1%} | {change:+.1f} points |")  # fmt: skip
            if tempo is not None and share <= 0.55 and change <= 2:
                met.append(f"{condition} at tempo {tempo:g}")
    lines += [
        "",
        "Goal: at most 55% of the seconds billed with the WER up by at most 2 points: "
        + (
            f"met ({', '.join(met)})."
            if met
            else "not met by any tempo. Cutting the silences "
            "alone bills fewer seconds and is heard as well or better; playing it faster bills "
            "about half but the stand-in mishears many more words, so the default tempo is 1 "
            "(SPEECH_COACH_STT_TEMPO sets another)."
        ),
    ]
    record(
        "Audio billed to paid speech-to-text",
        "uv run python bench/billing.py",
        lines,
    )


if __name__ == "__main__":
    main()
