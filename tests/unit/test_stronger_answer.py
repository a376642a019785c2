"""The stronger answer is stronger: made of the learner's own sentences with their errors
corrected, it adds no error they did not make, for every answer of our bench sets."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from adapters.feedback.rule_based import RuleBasedCoach
from adapters.grammar.harper_checker import HarperChecker
from adapters.grammar.rules import RuleChecker
from application.grammar import check_transcript
from bench import speech_set
from bench.grammar import typed
from bench.grammar_set import HELD_OUT, SENTENCES
from tests.unit.test_rule_based_coach import request_for

CHECKERS = (RuleChecker(), HarperChecker())
_SENTENCES = [s.text for s in (*SENTENCES, *HELD_OUT)]
# The grammar set's sentences, five to an answer; and the speech set's answers as said.
ANSWERS = [" ".join(_SENTENCES[i : i + 5]) for i in range(0, len(_SENTENCES), 5)] + [
    " ".join(part for part in answer.parts if isinstance(part, str))
    for answer in speech_set.answers()
]


def _found(text: str) -> set[tuple[str, str]]:
    check = check_transcript(typed(text), CHECKERS)
    return {(c.before.lower(), c.after.lower()) for c in check.corrections}


@pytest.mark.parametrize("said", ANSWERS, ids=lambda said: said[:30])
def test_the_stronger_answer_adds_no_error_the_learner_did_not_make(said: str) -> None:
    request = request_for(said, "toefl-int-06")
    check = check_transcript(request.transcript, CHECKERS)
    stronger = RuleBasedCoach().give_feedback(replace(request, grammar=check)).model_answer
    own = re.sub(r"\[[^\]]*\]", "", stronger).replace("*", "")  # our bracketed sentences aside
    made = {(c.before.lower(), c.after.lower()) for c in check.corrections}
    assert _found(own) - made == set(), stronger
