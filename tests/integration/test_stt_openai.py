"""Speech-to-text by OpenAI, through the real `openai` client against a fake of its HTTP API:
the reduced audio goes out, word times come back on the recording's timeline, and each
failure becomes a clear, correctly retryable error; with the local model behind it, the
learner still gets a transcript."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from adapters.audio import FfmpegAudioDecoder
from adapters.stt.fallback import FallbackSpeechToText
from adapters.stt.openai_stt import OpenAISpeechToText
from application.ports import DecodedAudio
from domain.errors import ProviderError
from domain.speech import Transcript, Word
from tests.support.fake_providers import API_KEY, FakeOpenAI

pytestmark = pytest.mark.server


class LocalModel:
    """Stands in for the local Whisper model behind the provider."""

    name = "local"
    calls = 0

    def warm_up(self) -> None: ...

    def transcribe(self, audio: DecodedAudio) -> Transcript:
        self.calls += 1
        return Transcript("heard locally", (Word(" heard", 0.5, 0.9),), "en", self.name)


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as running:
        yield running


@pytest.fixture(scope="module")
def spoken(audio_say, audio_write) -> DecodedAudio:  # type: ignore[no-untyped-def]
    """Two phrases with a long silence between them (which the reduced audio leaves out)."""
    first, second = audio_say("I think that is"), audio_say("a good idea")
    path: Path = audio_write("openai.wav", 0.5, first, 3.0, second, 0.5)
    return FfmpegAudioDecoder().decode(path)


def _client(fake: FakeOpenAI, key: str = API_KEY, timeout: float = 10.0) -> openai.OpenAI:
    return openai.OpenAI(api_key=key, base_url=fake.base_url, timeout=timeout, max_retries=0)


def _stt(fake: FakeOpenAI, key: str = API_KEY, timeout: float = 10.0) -> OpenAISpeechToText:
    return OpenAISpeechToText(_client(fake, key, timeout), retries=2, sleep=lambda _: None)


def test_words_come_back_on_the_recordings_timeline(fake: FakeOpenAI, spoken: DecodedAudio):
    heard = _stt(fake).transcribe(spoken)
    assert [w.text.strip() for w in heard.words] == fake.script
    assert heard.provider == "openai:whisper-1"
    call = fake.calls[-1]
    assert (call.body["model"], call.body["response_format"]) == ("whisper-1", "verbose_json")
    assert set(call.body["timestamp_granularities"]) == {"word", "segment"}
    duration = len(spoken.pcm) / (2 * spoken.sample_rate)
    assert call.audio_s < 0.55 * duration, "billed for the reduced audio, not the recording"
    assert heard.usage is not None, "what it cost is kept with the transcript"
    assert heard.usage.audio_s == pytest.approx(call.audio_s, abs=0.01)
    assert heard.usage.cost_usd == pytest.approx(call.audio_s / 60 * 0.006, abs=1e-6)
    speech = spoken.facts.speech_segments

    def in_speech(t: float) -> bool:  # within the kept (padded) speech, not in the silence
        return any(s.start_s - 0.2 <= t <= s.end_s + 0.2 for s in speech)

    for word in heard.words:
        assert in_speech(word.start_s)
        assert in_speech(word.end_s)
    assert heard.words[-1].start_s > speech[0].end_s + 2.5, "the silence is back in the times"


@pytest.mark.parametrize(
    ("fault", "code", "retryable"),
    [
        ("insufficient_quota", "insufficient_quota", False),
        ("unauthorized", "unauthorized", False),
        ("server_error", "provider_down", True),
        ("rate_limited", "rate_limited", True),
        ("hang", "timeout", True),
        ("malformed", "malformed_answer", True),
    ],
)
def test_each_failure_is_a_clear_error_that_says_whether_to_retry(
    fake: FakeOpenAI, spoken: DecodedAudio, fault: str, code: str, retryable: bool
):
    fake.hang_s = 5.0
    fake.fail_next(fault, times=3)  # as often as it is tried
    with pytest.raises(ProviderError) as failed:
        _stt(fake, timeout=1.0).transcribe(spoken)
    assert (failed.value.code, failed.value.retryable) == (code, retryable)
    assert API_KEY not in str(failed.value)
    assert fake.base_url not in str(failed.value)


@pytest.mark.parametrize("fault", ["insufficient_quota", "unauthorized"])
def test_quota_and_a_refused_key_are_not_retried(
    fake: FakeOpenAI, spoken: DecodedAudio, fault: str
):
    fake.fail_next(fault, times=3)
    with pytest.raises(ProviderError):
        _stt(fake).transcribe(spoken)
    assert len(fake.calls) == 1, "no retry can mend an empty account or a wrong key"


def test_a_rate_limit_or_an_outage_for_a_moment_is_ridden_out(
    fake: FakeOpenAI, spoken: DecodedAudio
):
    waits: list[float] = []
    stt = OpenAISpeechToText(_client(fake), retries=2, sleep=waits.append)
    fake.fail_next("rate_limited")
    fake.fail_next("server_error")
    assert [w.text.strip() for w in stt.transcribe(spoken).words] == fake.script
    assert [c.status for c in fake.calls] == [429, 500, 200]
    assert waits[0] == 1.0, "OpenAI's retry-after, honoured"


def test_with_the_local_model_behind_it_the_learner_still_gets_words(
    fake: FakeOpenAI, spoken: DecodedAudio
):
    local = LocalModel()
    both = FallbackSpeechToText(_stt(fake, key="sk-wrong-key-000"), local)
    heard = both.transcribe(spoken)
    assert heard.provider == local.name
    assert local.calls == 1
    assert heard.usage is not None
    assert heard.usage.failed_over == ("openai:whisper-1: unauthorized",), "who failed, and why"


def test_a_faster_tempo_bills_fewer_seconds_and_keeps_the_words_times(
    fake: FakeOpenAI, spoken: DecodedAudio
):
    at_pace = _stt(fake).transcribe(spoken)
    faster = OpenAISpeechToText(_client(fake), tempo=1.5, sleep=lambda _: None).transcribe(spoken)
    assert at_pace.usage is not None
    assert faster.usage is not None
    assert faster.usage.audio_s == pytest.approx(at_pace.usage.audio_s / 1.5, rel=0.05)
    for slow, fast in zip(at_pace.words, faster.words, strict=True):
        assert fast.start_s == pytest.approx(slow.start_s, abs=0.05), "on the recording's timeline"
