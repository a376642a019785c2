"""Pace, repetitions, hedges, vocabulary range and time used, as a learner would count them."""

from __future__ import annotations

import pytest

from domain.lexical import mattr, mtld, type_token_ratio
from domain.metrics import measure, metrics_from_dict, metrics_to_dict
from domain.speech import AudioFacts, Interval, Word


def even(text: str, seconds_per_word: float = 0.5) -> list[Word]:
    return [
        Word(" " + w, i * seconds_per_word, (i + 1) * seconds_per_word)
        for i, w in enumerate(text.split())
    ]


def facts(duration: float, pitch: float | None = None) -> AudioFacts:
    return AudioFacts(duration, duration, (Interval(0, duration),), (), pitch)


def test_wpm_counts_words_over_the_time_from_first_to_last_word() -> None:
    words = even(" ".join(["word"] * 60), seconds_per_word=0.5)  # 60 words in 30 s
    m = measure(words, facts(40.0))
    assert m.wpm == pytest.approx(120.0)


def test_articulation_rate_leaves_out_the_pauses() -> None:
    words = [Word(" a", 0.0, 1.0), Word(" b", 2.0, 3.0)]
    m = measure(words, facts(3.0))
    assert m.wpm == pytest.approx(40.0)
    assert m.articulation_wpm == pytest.approx(60.0)
    assert m.speaking_time_ratio == pytest.approx(2.0 / 3.0)


def test_a_last_word_stretched_into_the_trailing_silence_does_not_slow_the_pace() -> None:
    words = [Word(" one", 0.0, 0.5), Word(" two", 0.5, 1.0), Word(" three", 1.0, 2.5)]
    silences = (Interval(1.5, 4.0),)
    m = measure(words, AudioFacts(4.0, 1.5, (Interval(0, 1.5),), silences))
    assert m.wpm == pytest.approx(3 / 1.5 * 60)


def test_immediate_repetitions_are_found_with_their_count() -> None:
    m = measure(even("I I I think the the answer is in the in the box"), facts(10))
    assert [(r.text, r.count) for r in m.repetitions] == [("i", 3), ("the", 2), ("in the", 2)]


def test_a_repetition_across_a_filled_pause_still_counts_but_had_had_does_not() -> None:
    m = measure(even("the um the box had had a lid"), facts(10))
    assert [(r.text, r.count) for r in m.repetitions] == [("the", 2)]


def test_hedges_are_listed_but_what_kind_of_is_a_question_not_a_hedge() -> None:
    m = measure(even("I think it is kind of good but what kind of music maybe"), facts(10))
    assert m.hedges == ("i think", "kind of", "maybe")


def test_time_used_is_the_share_of_the_prompt_limit() -> None:
    m = measure(even("a b c"), facts(30.0), time_limit_s=45)
    assert m.time_used_ratio == pytest.approx(30 / 45)
    assert measure(even("a b c"), facts(30.0)).time_used_ratio is None


def test_vocabulary_range_needs_ten_words() -> None:
    short = measure(even("one two three four five six seven eight nine"), facts(10))
    assert short.mattr is None
    assert short.mtld is None
    longer = measure(even("one two three four five six seven eight nine ten"), facts(10))
    assert longer.mattr == pytest.approx(1.0)


def test_pitch_variation_comes_from_the_signal() -> None:
    assert measure(even("a b"), facts(2.0, pitch=3.5)).pitch_semitones_sd == 3.5


def test_mattr_averages_the_type_token_ratio_of_every_window() -> None:
    # windows of 3 over "a b a c": "a b a" = 2/3, "b a c" = 3/3
    assert mattr(["a", "b", "a", "c"], window=3) == pytest.approx((2 / 3 + 1) / 2)


def test_mattr_of_a_text_shorter_than_its_window_is_its_type_token_ratio() -> None:
    words = ["the", "cat", "saw", "the", "dog"]
    assert mattr(words) == pytest.approx(type_token_ratio(words)) == pytest.approx(0.8)


def test_mtld_of_one_word_repeated_is_the_shortest_possible() -> None:
    # "a a a a": TTR falls to 1/2 <= 0.72 at every second word, so 2 full factors; MTLD = 4/2.
    assert mtld(["a"] * 4) == pytest.approx(2.0)


def test_mtld_rises_with_variety() -> None:
    dull = ("i like it and i like it and " * 5).split()
    varied = [
        "i",
        "like",
        "walking",
        "by",
        "the",
        "river",
        "because",
        "the",
        "water",
        "and",
        "the",
        "birds",
        "calm",
        "me",
        "down",
    ]
    assert mtld(varied) > mtld(dull)


def test_metrics_survive_the_dictionary_form_used_in_events() -> None:
    words = even("Well, um, I I think, you know, it is kind of fine and good today")
    m = measure(words, facts(12.0, pitch=2.0), time_limit_s=45)
    data = metrics_to_dict(m)
    assert metrics_from_dict(data) == m
    assert data["filler_count"] == m.filler_count == 2


def test_a_word_repeated_into_a_you_know_filler_is_not_a_repetition():
    from domain.metrics import measure as measure_words
    from domain.speech import AudioFacts, Word

    said = [
        "a",
        "job",
        "gives",
        "you,",
        "you",
        "know,",
        "real",
        "experience",
        "and",
        "the",
        "the",
        "money",
    ]
    words = [Word(w, 0.3 * n, 0.3 * n + 0.25) for n, w in enumerate(said)]
    metrics = measure_words(words, AudioFacts(4.0, 3.5, ()))
    assert [f.text for f in metrics.fillers] == ["you know"]
    assert [(r.text, r.count) for r in metrics.repetitions] == [("the", 2)]


def test_a_sentence_ending_in_the_word_the_next_begins_with_is_no_repetition() -> None:
    """ "...use smartphones. Uh, smartphones can..." is two sentences, not a stutter."""
    m = measure(even("children should use smartphones. uh smartphones can distract them"),
                facts(10))  # fmt: skip
    assert m.repetitions == ()
    again = measure(even("children should use smartphones smartphones can distract"), facts(10))
    assert [(r.text, r.count) for r in again.repetitions] == [("smartphones", 2)]
