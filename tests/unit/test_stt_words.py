"""Which decoded windows are heard again: loops and unsure guesses, judged on the whole window."""

from __future__ import annotations

from types import SimpleNamespace

from adapters.stt.words import looped_or_unsure

ANSWER = (
    " I enjoy photography.",
    " I take pictures of old doors and windows.",
    " Every city has different ones.",
    " I like how they show the history of the place.",
)


def window(texts: tuple[str, ...], avg_logprob: float = -0.3) -> list[SimpleNamespace]:
    """Segments of one window as faster-whisper's batched pipeline gives them: one log
    probability for the whole window, a compression ratio per segment."""
    return [SimpleNamespace(text=text, avg_logprob=avg_logprob) for text in texts]


def test_an_ordinary_answer_is_kept() -> None:
    assert not looped_or_unsure(window(ANSWER))


def test_a_loop_spread_over_short_segments_is_heard_again() -> None:
    loop = (" I'm going to be happy to be here.",) * 11
    assert not any(looped_or_unsure(window((text,))) for text in loop), "each alone looks fine"
    assert looped_or_unsure(window(ANSWER[:2] + loop))


def test_a_window_the_decoder_was_unsure_of_is_heard_again() -> None:
    assert looped_or_unsure(window(ANSWER, avg_logprob=-1.4))


def test_a_window_without_text_is_not_retried() -> None:
    assert not looped_or_unsure([])
    assert not looped_or_unsure(window(("",), avg_logprob=-2.0))
