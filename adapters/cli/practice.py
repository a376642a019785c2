"""`speech-coach try [FILE]`: one answer through the whole pipeline, stored as events."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import uuid
from importlib import resources
from pathlib import Path
from typing import Any
from uuid import UUID

from adapters.bootstrap import bootstrap
from adapters.cli.progress import StderrProgress
from adapters.cli.render import render_feedback
from adapters.settings import Settings
from application.coaching import CoachingApp
from domain.errors import UnknownPromptError
from domain.prompts import Prompt, get_prompt, pick_prompt
from domain.session import Stage
from projections.history import build_history

EXIT_BAD_INPUT = 2
SAMPLE_PROMPT_ID = "toefl-int-06"  # the bundled sample answers this prompt
DEFAULT_MODE = "toefl_interview"


def sample_answer() -> Path:
    return Path(str(resources.files("adapters.cli") / "sample" / "sample_answer.ogg"))


def run(args: argparse.Namespace) -> int:
    progress = StderrProgress()
    container = bootstrap(Settings(), progress=progress)
    try:
        app = container.app
        path = Path(args.file) if args.file else sample_answer()
        if not path.is_file():
            print(f"There is no file at {path}. Check the path and try again.", file=sys.stderr)
            return EXIT_BAD_INPUT
        container.warm_up_beside()
        learner_id = app.register_learner("cli", getpass.getuser(), args.mode or DEFAULT_MODE, "B2")
        learner = app.get_learner(learner_id)
        mode = args.mode or learner.mode
        try:
            prompt = _choose_prompt(args, mode, seen=_seen(app, learner_id))
        except UnknownPromptError as error:
            print(str(error), file=sys.stderr)
            return EXIT_BAD_INPUT
        if prompt.mode != learner.mode:
            app.change_settings(learner_id, prompt.mode, learner.level)
        print(f"Prompt ({prompt.id}): {prompt.text}", file=sys.stderr)
        session_id = app.start_session(learner_id, prompt, source_key=f"cli:{uuid.uuid4().hex}")
        progress("storing your answer")
        ref = container.store.put(path)
        attempt_no = app.receive_audio(session_id, ref, path.stat().st_size, _mime(path))
        attempt = app.get_session(session_id).attempts[attempt_no]
        if attempt.stage is Stage.FAILED and attempt.failure:
            return _failed(args, attempt.failure)
        if attempt.feedback is None:
            print(
                "The answer was stored but not scored; run `speech-coach try` again.",
                file=sys.stderr,
            )
            return 1
        app.mark_delivered(session_id, attempt_no, "cli", "stdout")
        if args.json:
            print(
                json.dumps(
                    {
                        "ok": True,
                        "session_id": str(session_id),
                        "prompt_id": prompt.id,
                        "transcript": attempt.transcript.text if attempt.transcript else "",
                        **attempt.feedback.to_dict(),
                    }
                )
            )
        else:
            print(render_feedback(prompt, attempt.transcript, attempt.feedback.to_dict()))
        return 0
    finally:
        container.close()


def _seen(app: CoachingApp, learner_id: UUID) -> set[str]:
    return {row.prompt_id for row in build_history(app.all_events(), learner_id)}


def _choose_prompt(args: argparse.Namespace, mode: str, seen: set[str]) -> Prompt:
    if args.prompt:
        return get_prompt(args.prompt)
    if not args.file and not args.mode:
        return get_prompt(SAMPLE_PROMPT_ID)
    return pick_prompt(mode, seen)


def _failed(args: argparse.Namespace, failure: dict[str, Any]) -> int:
    if args.json:
        error = {"code": failure["reason_code"], "message": failure["message"]}
        print(json.dumps({"ok": False, "error": error}))
    else:
        print(f"Sorry: {failure['message']} ({failure['reason_code']})", file=sys.stderr)
    return EXIT_BAD_INPUT


def _mime(path: Path) -> str:
    return {
        ".ogg": "audio/ogg",
        ".oga": "audio/ogg",
        ".opus": "audio/ogg",
        ".mp3": "audio/mpeg",
        ".m4a": "audio/mp4",
        ".wav": "audio/wav",
        ".webm": "audio/webm",
    }.get(path.suffix.lower(), "application/octet-stream")
