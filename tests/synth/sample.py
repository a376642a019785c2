"""The bundled sample answer (adapters/cli/sample/sample_answer.ogg) and how it was made.

It answers prompt toefl-int-06 in about 45 seconds, with fillers and pauses a real learner
would make, so `speech-coach try` has something honest to coach. Rebuild it with
`uv run python -m tests.synth.sample` (needs espeak-ng and ffmpeg).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.synth import Silence, Synth, synthesize

SAMPLE_PATH = (
    Path(__file__).resolve().parents[2] / "adapters" / "cli" / "sample" / "sample_answer.ogg"
)

SAMPLE_PARTS: tuple[str | Silence, ...] = (
    "Well, um, I think students should have a part time job while they study",
    Silence(0.6),
    "because, uh, it teaches them how to manage their time",
    Silence(1.4),
    "For example, my friend worked in a cafe three evenings a week",
    Silence(0.5),
    "and she learned to plan her studies, um, much better than before",
    Silence(1.8),
    "Also a job gives you, [you know], real experience with customers and money",
    Silence(0.7),
    "which you cannot really get from books",
    Silence(1.2),
    "Of course, uh, the job should not take too many hours",
    Silence(0.5),
    "because the main goal is still to study and get good grades",
    Silence(0.9),
    "So, um, I believe a small job is helpful for most students",
)


def build(target: Path = SAMPLE_PATH) -> Synth:
    clip = synthesize(list(SAMPLE_PARTS), target.with_suffix(".tmp.ogg"), rate_wpm=150)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(clip.path, target)
    return clip


if __name__ == "__main__":
    made = build(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE_PATH)
    print(f"{SAMPLE_PATH}: {made.duration_s:.1f} s, {len(made.words)} words", file=sys.stderr)
