"""Grammar patterns across answers: what keeps coming back in a learner's last answers, as
/progress and `speech-coach progress` say it, from the history the projection keeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.bootstrap import Container
from adapters.telegram.text.render import progress_caption
from domain.grammar import THIRD_PERSON_S, patterns_sentence
from projections.history import build_history, grammar_patterns
from tests.support.answers import record_and_score, scripted_container

ANSWERS = (
    "She@0.5-0.7 go@0.7-1.0 to@1.0-1.1 work@1.1-1.5 by@1.5-1.7 bus.@1.7-2.2",
    "I@0.5-0.7 have@0.7-1.0 two@1.0-1.2 brother.@1.2-1.8 He@2.0-2.2 like@2.2-2.5 music.@2.5-3.0",
    "My@0.5-0.7 sister@0.7-1.1 work@1.1-1.4 in@1.4-1.5 a@1.5-1.6 bank.@1.6-2.2",
    "We@0.5-0.7 went@0.7-1.0 home@1.0-1.3 early.@1.3-1.9",
)


@pytest.fixture
def container(tmp_path: Path) -> Iterator[Container]:
    with scripted_container(tmp_path / "home") as built:
        yield built


def test_the_third_person_s_dropped_in_three_of_four_answers_is_named(container, tmp_path):  # type: ignore[no-untyped-def]
    for n, spoken in enumerate(ANSWERS):
        record_and_score(container, tmp_path, spoken, key=f"a{n}")
    app = container.app
    events = [app.mapper.to_domain_event(n)
              for n in app.recorder.select_notifications(start=1, limit=1000)]  # fmt: skip
    rows = build_history(events)
    assert [row.grammar_checked for row in rows] == [True] * 4
    assert [THIRD_PERSON_S in row.grammar_patterns for row in rows] == [True, True, True, False]
    said = patterns_sentence(grammar_patterns(rows))
    assert said == (
        "Grammar that keeps coming back: you dropped the -s after he, she or it in 3 of your "
        "last 4 answers."
    )
    caption = progress_caption(rows, dt.datetime.now(dt.UTC).date())
    assert "you dropped the -s after he, she or it in 3 of your last 4 answers" in caption


def test_nothing_is_said_of_patterns_before_two_checked_answers_and_a_clean_run_says_so():
    assert patterns_sentence([("tense",)]) is None
    assert patterns_sentence([(), ("articles",)]) == (
        "No grammar error came back across your last 2 answers."
    )
    assert patterns_sentence([("articles",)] * 8).endswith("in 6 of your last 6 answers."), (
        "read over the latest six answers"
    )
