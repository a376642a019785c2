"""The composition root: every real default is built here, and only here."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from typing import Any

from adapters.buses import InProcessBus
from adapters.settings import Settings
from application.bus import IO, EventBus
from application.coaching import CoachingApp
from application.ports import (
    AudioDecoder,
    AudioStore,
    FeedbackProvider,
    GrammarChecker,
    Progress,
    SpeechToText,
)
from application.steps import AUDIO_FETCHED, FetchAnswer, ScoreAnswer, TranscribeAnswer, quiet


@dataclass
class Container:
    settings: Settings
    app: CoachingApp
    bus: EventBus
    store: AudioStore
    decoder: AudioDecoder
    stt: SpeechToText
    feedback: FeedbackProvider
    grammar: tuple[GrammarChecker, ...] = ()
    _warming: threading.Thread | None = field(default=None, init=False, repr=False)

    def warm_up_beside(self) -> None:
        """Load the speech model (and the grammar checker's dictionary) in another thread
        while the answer is stored and decoded.

        A model that fails to load fails again, with its message, when the answer is heard.
        """

        def warm_up() -> None:
            with contextlib.suppress(Exception):
                self.stt.warm_up()
            for checker in self.grammar:  # Harper builds its dictionary (~1 s) once
                with contextlib.suppress(Exception):
                    getattr(checker, "warm_up", lambda: None)()

        self._warming = threading.Thread(target=warm_up, name="speech-model-warm-up", daemon=True)
        self._warming.start()

    def close(self) -> None:
        """Also waits for a model still loading: a process that exits while a native
        library loads in another thread is aborted."""
        if self._warming is not None:
            self._warming.join()
        self.app.close()


def bootstrap(
    settings: Settings | None = None,
    progress: Progress = quiet,
    *,
    app_publishes: bool = True,
    **overrides: Any,
) -> Container:
    """Build the application with its adapters; pass overrides (e.g. `stt=FakeSTT()`) in tests.

    The steps are subscribed on the bus. With `app_publishes`, the application also
    publishes its own step events there; without, they reach the steps some other way (the
    relay, over Redis Streams) and the bus only carries what a step hands to the next.
    """
    settings = settings or Settings()
    bus: EventBus = overrides.get("bus") or InProcessBus()
    store: AudioStore = overrides.get("store") or _local_store(settings)
    decoder: AudioDecoder = overrides.get("decoder") or _ffmpeg_decoder(settings)
    stt: SpeechToText = overrides.get("stt") or _speech_to_text(settings)
    feedback: FeedbackProvider = overrides.get("feedback") or _feedback(settings)
    grammar = tuple(overrides["grammar"] if "grammar" in overrides else grammar_checkers(settings))
    app = coaching_app(settings, bus if app_publishes else None)
    bus.subscribe("AudioReceived", FetchAnswer(app, store, bus.publish), lane=IO)
    bus.subscribe(AUDIO_FETCHED, TranscribeAnswer(app, store, decoder, stt, progress))
    bus.subscribe("Transcribed", ScoreAnswer(app, feedback, progress, grammar))
    return Container(settings, app, bus, store, decoder, stt, feedback, grammar)


def grammar_checkers(settings: Settings) -> list[GrammarChecker]:
    """Our rules, then Harper (both in-process), then LanguageTool where a server is set:
    in order of precision, since the first to mark an error keeps it."""
    if settings.grammar == "off":
        return []
    from adapters.grammar.harper_checker import HarperChecker
    from adapters.grammar.rules import RuleChecker

    checkers: list[GrammarChecker] = [RuleChecker(), HarperChecker()]
    if settings.languagetool_url:
        from adapters.grammar.languagetool import LanguageToolChecker

        checkers.append(LanguageToolChecker(settings.languagetool_url))
    return checkers


def recording_app(settings: Settings) -> CoachingApp:
    """The application of a process that only records answers (the webhook): no steps run
    here and nothing is published; the workers follow the event log."""
    return coaching_app(settings)


def coaching_app(settings: Settings, bus: EventBus | None = None) -> CoachingApp:
    """The application on the configured store; on PostgreSQL its schema and tables are
    created first if they are missing."""
    env = settings.eventsourcing_env()
    if settings.database_url is None:
        return CoachingApp(env=env, bus=bus)
    from adapters.logs import protect_logs
    from adapters.persistence.postgres import making_tables, prepare_database

    protect_logs(settings.database_url.get_secret_value(), env["POSTGRES_PASSWORD"])
    prepare_database(env)
    with making_tables(env):
        return CoachingApp(env=env, bus=bus)


def _local_store(settings: Settings) -> AudioStore:
    from adapters.persistence.audio_store import LocalAudioStore

    return LocalAudioStore(settings.audio_dir)


def _ffmpeg_decoder(settings: Settings) -> AudioDecoder:
    from adapters.audio import FfmpegAudioDecoder

    return FfmpegAudioDecoder(
        max_bytes=settings.max_audio_bytes,
        max_duration_s=settings.max_audio_seconds,
        timeout_s=settings.decode_timeout_s,
    )


def _speech_to_text(settings: Settings) -> SpeechToText:
    """OpenAI first when a key is set (SPEECH_COACH_STT=auto or openai), the local model
    when it fails or without a key."""
    local = _local_whisper(settings)
    if settings.openai_api_key is None or settings.stt_provider == "local":
        return local
    import openai

    from adapters.logs import protect_logs
    from adapters.stt.fallback import FallbackSpeechToText
    from adapters.stt.openai_stt import OpenAISpeechToText

    key = settings.openai_api_key.get_secret_value()
    protect_logs(key)
    client = openai.OpenAI(
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.openai_timeout_s,  # the SDK's own default is 10 minutes
        max_retries=0,  # it would retry insufficient_quota too; OpenAISpeechToText retries
    )
    return FallbackSpeechToText(
        OpenAISpeechToText(
            client,
            retries=settings.openai_max_retries,
            price_per_minute=settings.stt_price_per_minute,
            tempo=settings.stt_tempo,
        ),
        local,
    )


def _local_whisper(settings: Settings) -> SpeechToText:
    from adapters.stt.local_whisper import LocalWhisper

    return LocalWhisper(model=settings.whisper_model, cpu_threads=settings.stt_threads)


def _feedback(settings: Settings) -> FeedbackProvider:
    """OpenAI, then Anthropic, then a local OpenAI-compatible model, each only where it is
    configured, then the rules, which always answer."""
    from adapters.feedback.rule_based import RuleBasedCoach

    keys = (settings.openai_api_key, settings.anthropic_api_key, settings.local_llm_base_url)
    if not any(keys):
        return RuleBasedCoach()
    from adapters.feedback.chain import FeedbackChain
    from adapters.feedback.llm import AnthropicWriter, LlmCoach, OpenAIWriter
    from adapters.logs import protect_logs

    def coach(writer: Any, errors: tuple[type[Exception], ...]) -> LlmCoach:
        prices = settings.llm_prices.get(writer.model, (0.0, 0.0))
        return LlmCoach(writer, prices, settings.openai_max_retries, errors)

    timeout = settings.openai_timeout_s
    providers: list[FeedbackProvider] = []
    if settings.openai_api_key is not None or settings.local_llm_base_url:
        import openai
    if settings.openai_api_key is not None:
        key = settings.openai_api_key.get_secret_value()
        protect_logs(key)
        client = openai.OpenAI(api_key=key, base_url=settings.openai_base_url, timeout=timeout,
                               max_retries=0)  # fmt: skip
        writer = OpenAIWriter(client, settings.openai_feedback_model)
        providers.append(coach(writer, (openai.APIError,)))
    if settings.anthropic_api_key is not None:
        import anthropic

        key = settings.anthropic_api_key.get_secret_value()
        protect_logs(key)
        anthropic_client = anthropic.Anthropic(api_key=key, base_url=settings.anthropic_base_url,
                                               timeout=timeout, max_retries=0)  # fmt: skip
        claude = AnthropicWriter(anthropic_client, settings.anthropic_model)
        providers.append(coach(claude, (anthropic.APIError,)))
    if settings.local_llm_base_url:
        client = openai.OpenAI(api_key="local", base_url=settings.local_llm_base_url,
                               timeout=timeout * 4, max_retries=0)  # fmt: skip
        local = OpenAIWriter(client, settings.local_llm_model, who="local LLM")
        providers.append(coach(local, (openai.APIError,)))
    return FeedbackChain(providers, RuleBasedCoach())
