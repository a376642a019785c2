"""A speech-to-text that asks a second one when the first fails (a paid provider first, the
local model after it): the learner gets a transcript either way."""

from __future__ import annotations

import logging
from dataclasses import replace

from adapters.metrics import FAILOVERS, PROVIDER_CALLS
from application.ports import DecodedAudio, SpeechToText
from domain.errors import ProviderError
from domain.speech import Transcript
from domain.usage import Usage

log = logging.getLogger(__name__)


class FallbackSpeechToText:
    def __init__(self, first: SpeechToText, then: SpeechToText) -> None:
        self.first, self.then = first, then
        self.name = f"{first.name}, else {then.name}"

    def warm_up(self) -> None:
        """Only the first: the second is loaded when it is needed (a local model that
        loaded for nothing would cost every answer its memory)."""
        self.first.warm_up()

    def transcribe(self, audio: DecodedAudio) -> Transcript:
        try:
            heard = self.first.transcribe(audio)
        except ProviderError as error:
            log.warning("%s failed (%s: %s); transcribing with %s instead",
                        self.first.name, error.code, error.message, self.then.name)  # fmt: skip
            PROVIDER_CALLS.labels(self.first.name, error.code).inc()
            FAILOVERS.labels(self.first.name).inc()
            heard = self.then.transcribe(audio)
            usage = heard.usage or Usage(heard.provider)
            return replace(heard, usage=usage.after_failures([f"{self.first.name}: {error.code}"]))
        PROVIDER_CALLS.labels(self.first.name, "ok").inc()
        return heard
