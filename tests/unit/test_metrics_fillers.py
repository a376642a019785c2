"""Fillers a learner would recognise as fillers, and the same words used as real English."""

from __future__ import annotations

import pytest

from domain.metrics import measure
from domain.speech import AudioFacts, Word

WORD_S = 0.3
GAP_S = 0.05


def say(*parts: str | float) -> list[Word]:
    """Words of each text part, 0.3 s each; a float part is a silence of that many seconds."""
    words: list[Word] = []
    t = 0.0
    for part in parts:
        if isinstance(part, float):
            t += part
            continue
        for text in part.split():
            words.append(Word(" " + text, t, t + WORD_S))
            t += WORD_S + GAP_S
    return words


def fillers_in(*parts: str | float) -> list[str]:
    words = say(*parts)
    facts = AudioFacts(
        duration_s=words[-1].end_s + 0.5, speech_s=words[-1].end_s, speech_segments=()
    )
    return [f.text for f in measure(words, facts).fillers]


@pytest.mark.parametrize(
    "sentence",
    [
        "I like tea very much.",
        "I would like to travel more.",
        "She likes music and I liked it too.",
        "It was like a dream.",
        "I'd like a coffee please.",
        "They really like it.",
    ],
)
def test_like_used_as_a_verb_or_preposition_is_not_a_filler(sentence: str) -> None:
    assert "like" not in fillers_in(sentence)


@pytest.mark.parametrize(
    "parts",
    [
        ("And it was, like, really far away.",),
        ("Like, I never thought about it.",),
        ("I was like um so happy.",),
        ("It was", 0.6, "like", 0.5, "huge."),
    ],
)
def test_like_set_off_by_a_comma_a_pause_or_a_filler_is_a_filler(parts: tuple[str | float]) -> None:
    assert "like" in fillers_in(*parts)


def test_you_know_set_off_is_a_filler_but_do_you_know_is_a_question() -> None:
    assert fillers_in("It was, you know, quite hard.") == ["you know"]
    assert fillers_in("Do you know the answer?") == []
    assert fillers_in("You know the way to the station.") == []


def test_i_mean_as_a_filler_but_not_when_meaning_it() -> None:
    assert fillers_in("It was fine. I mean, we could do better.") == ["i mean"]
    assert fillers_in("I mean it.") == []
    assert fillers_in("That is not what I mean.") == []


def test_filled_pauses_are_found_in_any_spelling_whisper_writes() -> None:
    assert fillers_in("Um, I think, uhh, that Hmmm... erm it is.") == ["um", "uh", "hmm", "erm"]


def test_filled_pauses_are_not_counted_as_words() -> None:
    words = say("um I uh like tea")
    m = measure(words, AudioFacts(3.0, 2.0, ()))
    assert m.word_count == 3


def test_a_filler_records_its_position_and_the_words_around_it() -> None:
    words = say("I went there, um, because it rained.")
    facts = AudioFacts(duration_s=4.0, speech_s=3.0, speech_segments=())
    (filler,) = measure(words, facts).fillers
    assert filler.word_index == 3
    assert filler.start_s == words[3].start_s
    assert (filler.previous_word, filler.next_word) == ("there", "because")


def test_filler_rates_are_per_100_words_and_per_minute() -> None:
    words = say("um so I think um it is fine and um good")
    facts = AudioFacts(duration_s=30.0, speech_s=10.0, speech_segments=())
    m = measure(words, facts)
    assert m.word_count == 8
    assert m.fillers_per_100_words == pytest.approx(3 * 100 / 8)
    assert m.fillers_per_minute == pytest.approx(6.0)
