"""The prompt bank: what a learner is asked, how long they may prepare and answer.

Limits live per mode, not per prompt, so every item of one exam task behaves the same
way the real exam does. `target_words` is what a fluent answer fills: the answer time
at a comfortable 2.2 words per second, less a fifth for natural pauses.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from domain.errors import UnknownPromptError
from domain.prompt_bank import BANK

FLUENT_WORDS_PER_S = 2.2
SPEAKING_SHARE = 0.8


@dataclass(frozen=True)
class Prompt:
    """One speaking task. `id` is stable so history and analytics can refer to it.

    `topic` is a short noun phrase ("a community garden") that fits into a sentence, so
    feedback can name the subject without parsing the question.
    """

    id: str
    mode: str
    text: str
    prep_s: int
    answer_s: int
    target_words: int
    topic: str = ""


@dataclass(frozen=True)
class _Limits:
    prep_s: int
    answer_s: int


_LIMITS: dict[str, _Limits] = {
    "toefl_interview": _Limits(prep_s=0, answer_s=45),
    "toefl_independent": _Limits(prep_s=15, answer_s=45),
    "ielts_part1": _Limits(prep_s=0, answer_s=30),
    "ielts_part2": _Limits(prep_s=60, answer_s=120),
    "ielts_part3": _Limits(prep_s=0, answer_s=60),
    "job_interview": _Limits(prep_s=20, answer_s=120),
    "free_talk": _Limits(prep_s=30, answer_s=90),
}

MODES: tuple[str, ...] = tuple(_LIMITS)


def target_words_for(answer_s: int) -> int:
    """How many words a fluent speaker fits into `answer_s` seconds."""
    return round(answer_s * FLUENT_WORDS_PER_S * SPEAKING_SHARE)


def _build() -> tuple[Prompt, ...]:
    prompts: list[Prompt] = []
    for mode in MODES:
        limits = _LIMITS[mode]
        prompts.extend(
            Prompt(
                id=prompt_id,
                mode=mode,
                text=text,
                prep_s=limits.prep_s,
                answer_s=limits.answer_s,
                target_words=target_words_for(limits.answer_s),
                topic=topic,
            )
            for prompt_id, topic, text in BANK[mode]
        )
    return tuple(prompts)


_PROMPTS = _build()
_BY_ID = {prompt.id: prompt for prompt in _PROMPTS}
_BY_TEXT = {prompt.text: prompt for prompt in _PROMPTS}


def all_prompts() -> tuple[Prompt, ...]:
    """Every prompt, grouped by mode in the order of `MODES`."""
    return _PROMPTS


def get_prompt(prompt_id: str) -> Prompt:
    """The prompt with this id; `UnknownPromptError` says what ids look like if it is missing."""
    try:
        return _BY_ID[prompt_id]
    except KeyError:
        examples = ", ".join(prompts_for(mode)[0].id for mode in MODES)
        raise UnknownPromptError(
            f"There is no prompt with the id '{prompt_id}'. Ids look like {examples}; "
            "list them all with `speech-coach prompts`."
        ) from None


def prompts_for(mode: str) -> tuple[Prompt, ...]:
    """The prompts of one mode, in bank order; `UnknownPromptError` lists the valid modes."""
    if mode not in _LIMITS:
        raise UnknownPromptError(
            f"There is no practice mode called '{mode}'. Choose one of: {', '.join(MODES)}."
        )
    return tuple(prompt for prompt in _PROMPTS if prompt.mode == mode)


def pick_prompt(mode: str, seen: Collection[str] = ()) -> Prompt:
    """The first prompt of `mode` the learner has not seen; the first one once all are seen."""
    candidates = prompts_for(mode)
    return next((p for p in candidates if p.id not in seen), candidates[0])


def find_by_text(text: str) -> Prompt | None:
    """The bank prompt with exactly this text, or None for a prompt from elsewhere."""
    return _BY_TEXT.get(text.strip())
