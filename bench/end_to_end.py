"""Seconds from a 45 s answer to printed feedback, on the embedded default.

    uv run python bench/end_to_end.py

Cold: a fresh `speech-coach try FILE` process per run (interpreter start, model load, decode,
speech-to-text, scoring, events stored), taking turns with a fresh run of bench/prototype.py
(ffmpeg, tiny.en with the filler prompt, word gaps as pauses: the floor the local path is
held to, as a ratio in the same run). Warm: the same pipeline in one process that has
already coached an answer. Reported against the answer's own length (x real time) and with
the peak resident memory of each cold process.
"""

from __future__ import annotations

import os
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

RUNS = 5
CLI = str(Path(sys.executable).parent / "speech-coach")
PROTOTYPE = str(Path(__file__).with_name("prototype.py"))


def _cold(argv: list[str], home: Path) -> tuple[float, float]:
    """Seconds and peak resident MiB of one fresh process."""
    env = {**os.environ, "SPEECH_COACH_HOME": str(home)}
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{argv} exited {process.returncode}")
    return seconds, usage.ru_maxrss / 1024


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
    ours: list[tuple[float, float]] = []
    floor: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        for n in range(RUNS):  # taking turns, so both see the same machine
            ours.append(_cold([CLI, "try", str(answer), "--json"], Path(folder) / f"cold{n}"))
            floor.append(_cold([sys.executable, PROTOTYPE, str(answer)], Path(folder)))
        warm, stages = _warm(answer, Path(folder) / "warm")
    cold, cold_mib = (statistics.median(x) for x in zip(*ours, strict=True))
    proto, proto_mib = (statistics.median(x) for x in zip(*floor, strict=True))
    breakdown = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in stages.items())
    lines = [
        f"Answer: the bundled sample, {length:.1f} s of audio; median of {RUNS} runs each, "
        "the two cold routes taking turns.",
        "",
        "| route | seconds | x real time | vs prototype | peak memory | goal |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| cold `speech-coach try` | {cold:.2f} | {length / cold:.1f}x | {cold / proto:.2f}x "
        f"| {cold_mib:.0f} MiB | ≤ 1.2x the prototype, ≤ 400 MiB |",
        f"| cold bench/prototype.py | {proto:.2f} | {length / proto:.1f}x | 1.00x "
        f"| {proto_mib:.0f} MiB | the floor |",
        f"| warm, in one process | {warm:.2f} | {length / warm:.1f}x | — | — | ≤ 3.5 s |",
        "",
        f"Warm stages: {breakdown}.",
    ]
    record("End to end, local", "uv run python bench/end_to_end.py", lines)


if __name__ == "__main__":
    main()
