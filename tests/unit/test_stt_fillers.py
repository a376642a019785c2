"""Fillers from the prompted decode join the plain decode's words, which stay as they were."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from adapters.stt.fillers import SOUNDALIKES, fillers_over_voicing, merge_fillers
from domain.metrics.model import FILLED_PAUSES
from domain.metrics.tokens import normalise
from domain.speech import Interval, Word


def timed(text: str, start: float = 0.0, step: float = 0.4) -> list[Word]:
    """Words of `text`, each `step` long, one after another from `start`."""
    return [
        Word(token, round(start + n * step, 3), round(start + (n + 1) * step, 3))
        for n, token in enumerate(text.split())
    ]


def texts(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def test_a_filler_the_plain_decode_left_out_goes_between_the_same_two_words() -> None:
    plain = [Word("that", 0.0, 0.3), Word("small", 0.3, 1.2)]  # "small" took the um's time
    prompted = [Word("that,", 0.0, 0.3), Word("um,", 0.35, 0.8), Word("small", 0.8, 1.2)]
    merged = merge_fillers(plain, prompted)
    assert texts(merged) == "that, um, small"
    assert all(a.end_s <= b.start_s for a, b in itertools.pairwise(merged))


def test_a_short_word_written_for_a_filler_gives_way_to_it() -> None:
    plain = [Word("that,", 0.0, 0.3), Word("a", 0.35, 0.8), Word("small", 0.8, 1.2)]
    prompted = [Word("that,", 0.0, 0.3), Word("uh,", 0.35, 0.8), Word("small", 0.8, 1.2)]
    assert texts(merge_fillers(plain, prompted)) == "that, uh, small"


def test_a_longer_word_the_prompted_decode_misheard_as_a_filler_is_kept() -> None:
    """At 196 wpm the prompted decode once wrote "Um, I'm like," for "online"."""
    plain = timed("I study online every day")
    prompted = [*timed("I study"), *timed("Um, I'm like,", 0.8, 0.13), *timed("every day", 1.2)]
    assert texts(merge_fillers(plain, prompted)) == "I study online every day"


def test_the_plain_words_keep_the_commas_the_prompted_decode_heard_around_a_hesitation() -> None:
    plain = timed("it is like full of shops")
    prompted = timed("it is, like, full of shops")
    assert texts(merge_fillers(plain, prompted)) == "it is, like, full of shops"


def test_a_filler_the_prompted_decode_heard_next_to_a_word_it_misheard_is_kept() -> None:
    """ "the acoustic corpus. Um, the reporting" came back as "purpose. Um, the reporting": the
    two decodes disagree on a word, but the filler is after it, not on it."""
    plain = [Word("corpus.", 0.0, 0.6), Word("The", 1.3, 1.5), Word("reporting", 1.5, 2.0)]
    prompted = [Word("purpose.", 0.0, 0.6), Word("Um,", 0.8, 1.2), Word("the", 1.3, 1.5)]
    prompted.append(Word("reporting", 1.5, 2.0))
    assert texts(merge_fillers(plain, prompted)) == "corpus. Um, the reporting"


def test_a_filler_both_decodes_heard_is_kept_once() -> None:
    plain = timed("so um I think")
    assert texts(merge_fillers(plain, timed("so, um, I think"))) == "so, um, I think"


_vocabulary = ["i", "think", "the", "a", "city", "online", "but", "is", "um", "uh", "like", "works"]


@given(
    st.lists(st.sampled_from(_vocabulary), min_size=1, max_size=20),
    st.lists(st.sampled_from(_vocabulary), max_size=20),
)
def test_merging_never_changes_the_order_or_the_content_words_of_the_plain_decode(
    plain_tokens: list[str], prompted_tokens: list[str]
) -> None:
    plain = timed(" ".join(plain_tokens))
    prompted = timed(" ".join(prompted_tokens), start=0.1, step=0.35)
    merged = merge_fillers(plain, prompted)

    def longer(words: list[Word]) -> list[str]:
        return [normalise(w.text) for w in words if normalise(w.text) not in SOUNDALIKES]

    assert longer(merged) == longer(plain)
    assert all(a.start_s <= b.start_s for a, b in itertools.pairwise(merged))
    assert all(w.start_s <= w.end_s for w in merged)
    added = len(merged) - len(plain)
    assert added <= sum(normalise(w.text) in FILLED_PAUSES for w in prompted)


def test_a_filler_whisper_timed_too_short_takes_the_voicing_right_before_it() -> None:
    """The bundled sample's "Well, um, I": the um is voiced over 0.6-1.1 s, Whisper put it at
    1.20-1.26 s; without widening, 0.6-1.1 s would be reported as speech nobody made out."""
    words = [Word("Well,", 0.0, 0.52), Word("um,", 1.2, 1.26), Word("I", 1.26, 1.4)]
    widened = fillers_over_voicing(words, [Interval(0.6, 1.12)])
    assert widened[1] == Word("um,", 0.6, 1.26)
    assert [widened[0], widened[2]] == [words[0], words[2]]


def test_voicing_beside_an_ordinary_word_or_longer_than_a_filler_is_left_uncovered() -> None:
    words = [Word("Well,", 0.0, 0.52), Word("um,", 1.2, 1.26), Word("I", 3.0, 3.2)]
    assert fillers_over_voicing(words, [Interval(1.4, 2.9)]) == words  # 1.5 s: not a filler
    assert fillers_over_voicing(words, [Interval(3.3, 3.6)]) == words  # beside "I"


def test_a_filler_never_takes_voicing_across_another_word() -> None:
    words = [Word("minute,", 10.8, 11.5), Word("and,", 12.38, 12.44), Word("uh,", 12.44, 12.5)]
    assert fillers_over_voicing(words, [Interval(11.56, 12.3)]) == words
