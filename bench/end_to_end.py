"""Seconds from a 45 s answer to printed feedback, on the embedded default.

    uv run python bench/end_to_end.py

Cold: a fresh `speech-coach try FILE` process per run (interpreter start, model load, decode,
speech-to-text, scoring, events stored). Warm: the same pipeline in one process that has
already coached an answer. Reported against the answer's own length (x real time) and with
the peak resident memory of the cold process.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.bootstrap import bootstrap
from adapters.cli.practice import sample_answer
from adapters.settings import Settings
from bench.report import record
from domain.prompts import get_prompt

RUNS = 3
CLI = str(Path(sys.executable).parent / "speech-coach")


def _cold(answer: Path, home: Path) -> float:
    env = {**os.environ, "SPEECH_COACH_HOME": str(home)}
    started = time.perf_counter()
    subprocess.run([CLI, "try", str(answer), "--json"], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _warm(answer: Path, home: Path) -> tuple[float, dict[str, float]]:
    stages: dict[str, float] = {}
    last = [time.perf_counter(), ""]

    def progress(stage: str, message: object = None) -> None:
        now = time.perf_counter()
        if last[1]:
            stages[str(last[1])] = now - float(last[0])
        last[:] = [now, stage]

    container = bootstrap(Settings(SPEECH_COACH_HOME=home), progress=progress)
    app = container.app
    learner = app.register_learner("bench", "warm", "toefl_interview", "B2")
    times = []
    for _ in range(RUNS + 1):
        stages.clear()
        started = time.perf_counter()
        last[:] = [started, ""]
        session = app.start_session(learner, get_prompt("toefl-int-06"), uuid.uuid4().hex)
        ref = container.store.put(answer)
        app.receive_audio(session, ref, answer.stat().st_size, "audio/ogg")
        progress("done")
        times.append(time.perf_counter() - started)
    container.close()
    return statistics.median(times[1:]), dict(stages)


def main() -> None:
    answer = sample_answer()
    length = float(
        subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "csv=p=0",
                str(answer),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    with tempfile.TemporaryDirectory() as folder:
        cold = [_cold(answer, Path(folder) / f"cold{n}") for n in range(RUNS)]
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        warm, stages = _warm(answer, Path(folder) / "warm")
    cold_median = statistics.median(cold)
    breakdown = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in stages.items())
    lines = [
        f"Answer: the bundled sample, {length:.1f} s of audio; median of {RUNS} runs.",
        "",
        "| route | seconds | x real time | goal (issue) | target (design) |",
        "| --- | --- | --- | --- | --- |",
        f"| cold `speech-coach try` | {cold_median:.2f} | {length / cold_median:.1f}x "
        "| ≤ 5 s | ≤ 2.5 s |",
        f"| warm, in one process | {warm:.2f} | {length / warm:.1f}x | — | ≤ 1.5 s |",
        "",
        f"Warm stages: {breakdown}. Peak resident memory of a cold run: {peak_mib:.0f} MiB "
        "(target ≤ 400 MB).",
    ]
    record("End to end, local", "uv run python bench/end_to_end.py", lines)


if __name__ == "__main__":
    main()
