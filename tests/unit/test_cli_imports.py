"""Coaching from the command line starts without the bot's libraries: importing aiogram
alone took 2-6 s of a cold `speech-coach try` that never talks to Telegram."""

from __future__ import annotations

import json
import subprocess
import sys

BOT_LIBRARIES = {"aiogram", "aiohttp", "fastapi", "starlette", "uvicorn"}
_LOADED = """
import json, sys
import adapters.cli.main, adapters.cli.analyze, adapters.cli.practice, adapters.cli.reports
from adapters.bootstrap import bootstrap
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_the_cli_and_what_try_and_analyze_use_load_none_of_the_bot_libraries():
    done = subprocess.run([sys.executable, "-c", _LOADED], capture_output=True, text=True,
                          timeout=120, check=True)  # fmt: skip
    loaded = set(json.loads(done.stdout))
    assert "adapters" in loaded
    assert loaded & BOT_LIBRARIES == set()
