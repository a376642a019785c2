"""A transcript without words is refused, saying whether any speech was heard."""

from __future__ import annotations

import pytest

from application.steps import NO_SPEECH_MESSAGE, require_words
from domain.errors import AudioError, ErrorCode
from domain.speech import Interval, Transcript, Word


def test_silence_is_refused_as_no_speech() -> None:
    with pytest.raises(AudioError) as refused:
        require_words(Transcript("", (), "en", "scripted"))
    assert refused.value.code is ErrorCode.NO_SPEECH
    assert refused.value.message == NO_SPEECH_MESSAGE


def test_speech_without_words_is_refused_naming_where_it_was_heard() -> None:
    muffled = Transcript("", (), "en", "scripted", (Interval(0.4, 5.25),))
    with pytest.raises(AudioError) as refused:
        require_words(muffled)
    assert refused.value.code is ErrorCode.NO_SPEECH
    assert "I heard you speak (0.4-5.2 s) but could not make out any words" in refused.value.message
    assert "closer to the microphone" in refused.value.message


def test_a_transcript_with_words_passes() -> None:
    require_words(Transcript("hi", (Word("hi", 0.0, 0.3),), "en", "scripted", (Interval(1, 2),)))
