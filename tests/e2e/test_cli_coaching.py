"""A learner coaches the sample and their own recording from the command line."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.synth import Silence, synthesize

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def own_answer(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return synthesize(
        [
            "Um, I would choose a course in photography",
            Silence(1.5),
            "because I love taking pictures of my city at night",
            Silence(0.6),
            "Uh, it would help me see ordinary places in a new way",
        ],
        tmp_path_factory.mktemp("own") / "answer.ogg",
    )


def test_analyze_reports_duration_pauses_and_fillers_of_a_real_recording(speech_coach, own_answer):
    run = speech_coach("analyze", str(own_answer.path), "--json")
    assert run.code == 0, run.stderr
    result = run.json()
    assert set(result) == {
        "ok",
        "duration_s",
        "speech_s",
        "words",
        "wpm",
        "articulation_wpm",
        "pauses",
        "fillers",
        "filler_count",
        "transcript",
        "provider",
        "unheard",
        "grammar",
        "grammar_checked_by",
    }
    assert result["unheard"] == [], "a clear answer has nothing it could not make out"
    assert result["grammar_checked_by"] == ["rules", "harper"], "checked offline, in-process"
    for correction in result["grammar"]:
        assert correction["before"].lower() in result["transcript"].lower().replace(",", "")
        assert 0 <= correction["start_s"] < correction["end_s"] <= result["duration_s"]
    assert abs(result["duration_s"] - own_answer.duration_s) <= 0.1
    long_pauses = [p for p in result["pauses"] if p["end_s"] - p["start_s"] >= 1.0]
    inserted = own_answer.pauses[0]
    assert len(long_pauses) == 1
    assert abs((long_pauses[0]["end_s"] - long_pauses[0]["start_s"]) - inserted.duration_s) <= 0.25
    assert {"um", "uh"} <= {f["word"] for f in result["fillers"]}
    assert "photography" in result["transcript"].lower()


def test_analyze_without_json_prints_a_readable_report(speech_coach, own_answer):
    run = speech_coach("analyze", str(own_answer.path))
    assert run.code == 0
    assert "words/min" in run.stdout
    assert "photography" in run.stdout.lower()


def test_try_coaches_the_bundled_sample_and_keeps_it_in_history(speech_coach, home: Path):
    run = speech_coach("try")
    assert run.code == 0, run.stderr
    assert "part-time job" in run.stdout or "part time job" in run.stdout
    assert "Next steps" in run.stdout
    assert "transcribing" in run.stderr, "progress is shown while the work runs"
    history = speech_coach("history")
    assert "toefl-int-06" in history.stdout


def test_try_on_my_own_file_then_progress_draws_a_chart(speech_coach, own_answer, tmp_path):
    first = speech_coach("try", str(own_answer.path), "--mode", "toefl_interview", "--json")
    assert first.code == 0, first.stderr
    feedback = first.json()
    assert feedback["ok"] is True
    assert 2 <= len(feedback["next_steps"]) <= 3
    assert "um" not in feedback["model_answer"].lower().split()
    second = speech_coach("try", str(own_answer.path), "--prompt", "ielts-p1-01")
    assert second.code == 0, second.stderr
    chart = tmp_path / "chart.png"
    progress = speech_coach("progress", "--chart", str(chart))
    assert progress.code == 0
    assert "Answers scored: 2" in progress.stdout
    png = chart.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 600
    assert height >= 400


def test_errors_reach_the_learner_as_corrections_in_their_own_words(  # type: ignore[no-untyped-def]
    speech_coach, answer_with_errors: Path
):
    analysed = speech_coach("analyze", str(answer_with_errors), "--json").json()
    fixes = {(c["before"], c["after"]): c for c in analysed["grammar"]}
    assert ("two brother", "two brothers") in fixes, analysed["transcript"]
    brothers = fixes[("two brother", "two brothers")]
    assert brothers["category"] == "plurals and countability"
    assert brothers["start_s"] > 3.0, "said in the second sentence, after the pause"
    run = speech_coach("try", str(answer_with_errors), "--prompt", "ielts-p1-01")
    assert run.code == 0, run.stderr
    assert "Grammar (checked by our rules and Harper):" in run.stdout
    assert '"two brother" -> "two brothers" (plurals and countability)' in run.stdout
    assert "*brothers*" in run.stdout, "the stronger answer corrects it, marked"
