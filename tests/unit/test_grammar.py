"""Grammar feedback as a learner meets it: their own words corrected, nothing correct called
wrong, fillers and doubtful words left out, and the score resting on what was found."""

from __future__ import annotations

import pytest

from adapters.feedback.grammar import grammar_section
from adapters.grammar.harper_checker import HarperChecker
from adapters.grammar.rules import RuleChecker
from application.grammar import check_transcript, spoken_text
from bench.grammar import score, typed
from bench.grammar_set import HELD_OUT, SENTENCES
from domain.errors import ProviderError
from domain.grammar import (
    ARTICLES,
    NOT_CHECKED,
    PLURALS,
    TENSE,
    VERB_FORM,
    WORD_ORDER,
    Correction,
    clause_spans,
)
from domain.metrics import measure
from domain.rubric import score_answer
from domain.speech import AudioFacts, Transcript, Word
from tests.support.fakes import scripted_words

CHECKERS = (RuleChecker(), HarperChecker())


def _spoken(said: str) -> Transcript:
    words = scripted_words(said)
    return Transcript(" ".join(w.text for w in words), words, "en", "scripted")


@pytest.mark.parametrize(
    ("said", "before", "after", "category"),
    [
        (
            "My friend worked in a cafe three evening a week.",
            "three evening",
            "three evenings",
            PLURALS,
        ),
        ("We should to invest more in transport.", "should to invest", "should invest", VERB_FORM),
        ("I don't know what is it.", "what is it", "what it is", WORD_ORDER),
        ("Of course, job should not take too many hours.", "job", "a job", ARTICLES),
        ("I have seen him yesterday.", "have seen", "saw", TENSE),
        ("She go to school every day.", "She go", "She goes", VERB_FORM),
    ],
)
def test_an_error_comes_back_in_the_learners_own_words(said, before, after, category):  # type: ignore[no-untyped-def]
    check = check_transcript(typed(said), CHECKERS)
    found = [(c.before, c.after, c.category) for c in check.corrections]
    assert (before, after, category) in found
    for correction in check.corrections:
        assert said[correction.start : correction.end] == correction.before, "a quote, exactly"
        assert correction.reason.endswith(".")


@pytest.mark.parametrize(
    "sentence", [s for s in (*SENTENCES, *HELD_OUT) if not s.errors], ids=lambda s: s.text[:40]
)
def test_a_correct_sentence_gets_no_correction(sentence):  # type: ignore[no-untyped-def]
    """The worst a coach can do is call a correct phrase wrong: 78 correct sentences, many
    with forms that are tricky but right, and none gets a correction."""
    assert check_transcript(typed(sentence.text), CHECKERS).corrections == ()


def test_most_marked_errors_are_found_and_every_finding_is_one_of_them():
    """The bench's set, checked in CI at what bench/grammar.py measured (the goal is 50%
    recall): precision 100%, recall 90.6% (135 of 149), 90% (36 of 40) on the held-out
    sentences alone. A rule that regresses fails here."""
    figures = score((*SENTENCES, *HELD_OUT), CHECKERS)
    assert figures["precision"] == 1.0
    assert figures["found"] >= 135
    assert score(HELD_OUT, CHECKERS)["found"] >= 36


def test_fillers_and_repeats_are_left_to_delivery_and_times_are_the_recordings():
    said = _spoken("she@0.5-0.7 she@0.8-1.0 go@1.1-1.3 uh@1.4-1.8 to@1.9-2.0 school.@2.0-2.6")
    assert spoken_text(said).text == "she go to school."
    check = check_transcript(said, CHECKERS)
    (correction,) = check.corrections
    assert (correction.before, correction.after) == ("she go", "she goes")
    assert (correction.start_s, correction.end_s) == (0.5, 1.3), "on the recording's timeline"
    assert check.words == 4


def test_words_speech_to_text_was_unsure_of_are_not_blamed_on_the_learner():
    said = _spoken("I@0-0.2 have@0.3-0.5 two@0.6-0.8 brother.@0.9-1.4~0.05")
    check = check_transcript(said, CHECKERS)
    assert check.corrections == ()
    assert check.unsure == 1
    section = grammar_section(check)
    assert section is not None
    assert "1 possible error(s) not shown: speech-to-text was unsure" in section


class _Down:
    name = "languagetool"

    def check(self, text: str) -> list[Correction]:
        raise ProviderError("grammar_checker_down", "LanguageTool did not check", retryable=True)


class _Echo:
    """Finds what the rules find, one character wider: the same error, found twice."""

    name = "echo"

    def check(self, text: str) -> list[Correction]:
        return [
            Correction(
                text[c.start : c.end + 1],
                c.after,
                c.reason,
                c.category,
                c.start,
                c.end + 1,
                self.name,
            )
            for c in RuleChecker().check(text)
        ]


class _Broken:
    name = "broken"

    def check(self, text: str) -> list[Correction]:
        raise IndexError("a bug inside a checker")


def test_a_checker_with_a_bug_costs_the_learner_nothing_but_its_findings():
    check = check_transcript(typed("She go to school."), (_Broken(), RuleChecker()))
    assert check.checked_by == ("rules",)
    assert [(c.before, c.after) for c in check.corrections] == [("She go", "She goes")]


def test_the_same_error_found_twice_is_shown_once_and_a_checker_that_is_down_is_skipped():
    check = check_transcript(
        typed("I bought three book yesterday."), (RuleChecker(), _Echo(), _Down())
    )
    assert [c.checker for c in check.corrections] == ["rules"]
    assert check.checked_by == ("rules", "echo"), "LanguageTool did not run, and is not named"
    assert check_transcript(typed("I bought three book."), (_Down(),)) == NOT_CHECKED


def test_at_most_five_are_shown_the_rest_counted_most_important_first():
    said = (
        "She go home. He don't know. I have two brother. We discussed about it. "
        "I am agree. She can speaks French. He buyed a car. I arrived to the station."
    )
    check = check_transcript(typed(said), CHECKERS)
    shown, more = check.shown()
    assert len(shown) == 5
    assert more == len(check.corrections) - 5 > 0
    assert next(c.category for c in shown) == VERB_FORM, "verb forms matter most"
    section = grammar_section(check)
    assert section is not None
    assert section.startswith("Grammar (checked by our rules and Harper):")
    assert f"{more} more error(s) of the same kinds" in section


def test_clauses_are_split_at_sentence_ends_and_conjunctions():
    text = "I think it is good because it helps. And we learn a lot, but it costs money"
    assert len(clause_spans(text)) == 4


def _metrics(words: int):  # type: ignore[no-untyped-def]
    said = tuple(Word(f"w{i}", i * 0.4, i * 0.4 + 0.3) for i in range(words))
    facts = AudioFacts(duration_s=words * 0.4, speech_s=words * 0.3, speech_segments=())
    return measure(said, facts, 45)


def test_the_rubric_measures_accuracy_when_a_checker_ran():
    text = (
        "I think students should work. My friend work in a cafe three evening a week and "
        "she learn to plan. It make her happy and she have more money now."
    )
    clean = (
        "I think students should work. My friend works in a cafe three evenings a week and "
        "she learns to plan. It makes her happy and she has more money now."
    )
    metrics = _metrics(40)
    unchecked = score_answer(metrics, text, "ielts_part2")
    wrong = score_answer(
        metrics, text, "ielts_part2", grammar=check_transcript(typed(text), CHECKERS)
    )
    right = score_answer(
        metrics, clean, "ielts_part2", grammar=check_transcript(typed(clean), CHECKERS)
    )

    def grammar(result):  # type: ignore[no-untyped-def]
        return next(c for c in result.criteria if c.name == "Grammatical range and accuracy")

    assert "not checked" in " ".join(grammar(unchecked).evidence)
    assert "not checked" not in " ".join(grammar(wrong).evidence)
    assert "grammar checked by rules and harper" in " ".join(grammar(wrong).evidence).lower()
    assert grammar(wrong).score < grammar(right).score, "errors cost accuracy"
    assert any("grammar errors per 100 words" in e for e in wrong.cefr_evidence)


def test_the_stronger_answer_corrects_the_learners_errors_and_marks_what_changed():
    from dataclasses import replace

    from adapters.feedback.rule_based import RuleBasedCoach
    from adapters.telegram.text.render import feedback_messages
    from tests.unit.test_rule_based_coach import request_for

    script = (
        "I think students should work. For example, my friend worked in a cafe three "
        "evening a week, and she learned to plan their studies. It make her happy."
    )
    request = request_for(script, "toefl-int-06")
    request = replace(request, grammar=check_transcript(request.transcript, CHECKERS))
    feedback = RuleBasedCoach().give_feedback(request)
    answer = feedback.model_answer
    assert "three *evenings* a week" in answer
    assert "plan *her* studies" in answer
    assert "It *makes* her happy" in answer
    assert "three evening a week" not in answer, "no error the learner made is left in it"
    assert "Words between asterisks correct what you said." in feedback.summary
    assert '- "three evening" -> "three evenings" (plurals and countability).' in feedback.summary
    assert check_transcript(typed(answer.replace("*", "")), CHECKERS).corrections == (), (
        "the stronger answer adds no error the checkers can find"
    )
    shown = "\n".join(feedback_messages("A prompt", "toefl_interview", None, {
        "summary": feedback.summary, "model_answer": answer, "next_steps": []}))  # fmt: skip
    assert "three <b>evenings</b> a week" in shown


@pytest.mark.parametrize(
    "said",
    [
        "I have seen this film twice, and yesterday I watched it again.",
        "She has lived here since 2019 and last year she bought a flat.",
        "We have visited Rome many times but last summer we stayed at home.",
    ],
)
def test_a_finished_time_in_another_clause_leaves_the_perfect_alone(said: str) -> None:
    assert check_transcript(typed(said), CHECKERS).corrections == ()
