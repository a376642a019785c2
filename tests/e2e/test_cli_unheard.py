"""`speech-coach analyze` says which stretch of speech it could not make out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.unheard import muffled_answer

pytestmark = pytest.mark.slow


def test_analyze_names_the_stretch_it_could_not_make_out(speech_coach, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, muffled = muffled_answer(tmp_path)
    as_json = speech_coach("analyze", str(path), "--json")
    assert as_json.code == 0, as_json.stderr
    result = json.loads(as_json.stdout)
    assert result["unheard"], result
    first = result["unheard"][0]
    assert muffled.start_s - 0.5 <= first["start_s"] < muffled.end_s
    assert "my town" in result["transcript"].lower()
    as_text = speech_coach("analyze", str(path))
    assert as_text.code == 0, as_text.stderr
    assert f"I could not make out {first['start_s']:.1f}-" in as_text.stdout
    assert "nothing there was scored" in as_text.stdout
