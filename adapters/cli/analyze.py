"""`speech-coach analyze FILE`: measure a recording without storing anything."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from adapters.bootstrap import bootstrap
from adapters.cli.progress import StderrProgress
from adapters.cli.render import render_analysis
from adapters.settings import Settings
from application.grammar import check_transcript
from application.steps import require_words
from domain.errors import AudioError, ErrorCode
from domain.grammar import GrammarCheck
from domain.metrics import SpeechMetrics, measure

EXIT_BAD_INPUT = 2


def run(args: argparse.Namespace) -> int:
    progress = StderrProgress()
    settings = Settings(SPEECH_COACH_EVENT_STORE="memory")
    container = bootstrap(settings, progress=progress)
    try:
        path = Path(args.file)
        _check_readable(path)
        container.warm_up_beside()
        progress("decoding")
        audio = container.decoder.decode(path)
        progress("transcribing")
        transcript = container.stt.transcribe(audio)
        require_words(transcript)
        metrics = measure(transcript.words, audio.facts, unheard=transcript.unheard)
        progress("checking grammar")
        grammar = check_transcript(transcript, container.grammar)
    except AudioError as error:
        return _fail(args, error)
    finally:
        container.close()
    result = analysis_json(metrics, transcript.text, transcript.provider)
    result["unheard"] = [
        {"start_s": round(u.start_s, 3), "end_s": round(u.end_s, 3)} for u in transcript.unheard
    ]
    result["grammar"] = grammar_json(grammar)
    result["grammar_checked_by"] = list(grammar.checked_by)
    if args.json:
        print(json.dumps(result))
    else:
        print(render_analysis(result))
    return 0


def _check_readable(path: Path) -> None:
    """Refuse a path that is not a readable file before ffmpeg sees it (it would say why)."""
    try:
        if path.is_dir():
            raise AudioError(
                ErrorCode.INVALID_AUDIO,
                f"{path} is a folder, not a recording. Pass the recording's file instead.",
            )
        if not path.exists():
            raise AudioError(
                ErrorCode.INVALID_AUDIO, f"There is no file at {path}. Check the path."
            )
        if not path.is_file():  # a device or a pipe: opening it could block
            raise AudioError(
                ErrorCode.INVALID_AUDIO, f"{path} is not a file. Pass the recording's file instead."
            )
        with path.open("rb") as file:
            file.read(1)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        advice = "Check its permissions" if isinstance(error, PermissionError) else "Check it"
        raise AudioError(
            ErrorCode.INVALID_AUDIO,
            f"The file {path} cannot be read ({reason}). {advice}, or pass a readable copy.",
        ) from error


def analysis_json(metrics: SpeechMetrics, text: str, provider: str) -> dict[str, Any]:
    return {
        "ok": True,
        "duration_s": round(metrics.duration_s, 3),
        "speech_s": round(metrics.speech_s, 3),
        "words": metrics.word_count,
        "wpm": round(metrics.wpm, 1),
        "articulation_wpm": round(metrics.articulation_wpm, 1),
        "pauses": [
            {"start_s": round(p.start_s, 3), "end_s": round(p.end_s, 3)} for p in metrics.pauses
        ],
        "fillers": [{"word": f.text, "start_s": round(f.start_s, 3)} for f in metrics.fillers],
        "filler_count": len(metrics.fillers),
        "transcript": text,
        "provider": provider,
    }


def _fail(args: argparse.Namespace, error: AudioError) -> int:
    if args.json:
        print(
            json.dumps({"ok": False, "error": {"code": error.code.value, "message": error.message}})
        )
    else:
        print(f"Sorry: {error.message} ({error.code.value})", file=sys.stderr)
    return EXIT_BAD_INPUT


def grammar_json(check: GrammarCheck) -> list[dict[str, Any]]:
    """Every correction, most important first: the learner's words and the fix, why, its
    category, and where it stands on the recording's timeline."""
    return [
        {
            "before": c.before,
            "after": c.after,
            "reason": c.reason,
            "category": c.category,
            "start_s": None if c.start_s is None else round(c.start_s, 3),
            "end_s": None if c.end_s is None else round(c.end_s, 3),
            "checker": c.checker,
        }
        for c in check.corrections
    ]
