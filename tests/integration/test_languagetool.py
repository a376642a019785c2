"""LanguageTool, started for real (deploy/local/services up languagetool): it adds the
errors our rules and Harper miss, keeps our precision, and its absence loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.grammar.harper_checker import HarperChecker
from adapters.grammar.languagetool import LanguageToolChecker
from adapters.grammar.rules import RuleChecker
from application.grammar import check_transcript
from bench.grammar import score, typed
from bench.grammar_set import HELD_OUT, SENTENCES
from domain.errors import ProviderError
from domain.grammar import PLURALS, VERB_FORM
from tests.support.answers import record_and_score, scripted_container
from tests.support.services import free_port

pytestmark = pytest.mark.slow


def test_languagetool_finds_errors_in_our_categories_with_the_nearest_fix(languagetool_url):  # type: ignore[no-untyped-def]
    found = LanguageToolChecker(languagetool_url).check("I have two brother and he go home.")
    fixes = {(c.before, c.after, c.category, c.checker) for c in found}
    assert ("two brother", "two brothers", PLURALS, "languagetool") in fixes or (
        "brother", "brothers", PLURALS, "languagetool") in fixes, fixes  # fmt: skip
    assert any(c.after == "goes" and c.category == VERB_FORM for c in found), fixes
    assert all("brethren" not in c.after for c in found), "the fix nearest the learner's words"


def test_with_languagetool_the_set_meets_the_goals(languagetool_url):  # type: ignore[no-untyped-def]
    """The goals are precision >= 90%, recall >= 65%, at most 5% of correct sentences given
    a correction; held here at what bench/grammar.py measured: 138 of 139 reported errors
    right, 138 of 149 found, 1 of 78 correct sentences corrected ("Ten dollars is")."""
    checkers = (RuleChecker(), HarperChecker(), LanguageToolChecker(languagetool_url))
    figures = score((*SENTENCES, *HELD_OUT), checkers)
    assert figures["precision"] >= 138 / 139
    assert figures["found"] >= 138
    assert figures["corrected"] <= 1 / 78
    assert figures["recall"] > score((*SENTENCES, *HELD_OUT), checkers[:2])["recall"], (
        "LanguageTool finds errors the others miss"
    )


def test_a_server_that_is_down_is_named_and_the_others_still_check():
    down = LanguageToolChecker(f"http://127.0.0.1:{free_port()}", timeout_s=2)
    with pytest.raises(ProviderError, match="deploy/local/services up languagetool"):
        down.check("She go to school.")
    check = check_transcript(typed("She go to school."), (RuleChecker(), HarperChecker(), down))
    assert check.checked_by == ("rules", "harper")
    assert [(c.before, c.after) for c in check.corrections] == [("She go", "She goes")]


def test_an_answers_feedback_says_languagetool_checked_it(languagetool_url, tmp_path: Path):  # type: ignore[no-untyped-def]
    with scripted_container(tmp_path / "home", LANGUAGETOOL_URL=languagetool_url) as container:
        assert [c.name for c in container.grammar] == ["rules", "harper", "languagetool"]
        said = "I@0.5-0.7 has@0.7-1.0 two@1.1-1.3 brother.@1.3-1.9"
        feedback = record_and_score(container, tmp_path, said)
    assert "Grammar (checked by our rules, Harper and LanguageTool):" in feedback.summary
    assert '"I has" -> "I have"' in feedback.summary
