"""The shape a good answer takes in each mode, as slots the learner's sentences fill.

A slot with an empty label flows into running text; a labelled slot (STAR steps, cue-card
points) is shown as a heading. `generic` says, in brackets, what to add where the learner
said nothing for that slot: an instruction they can follow, not a stand-in sentence that
would teach nothing ("[For example, one particular day shows this well.]" did); `{topic}`
is the prompt's subject.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    label: str
    connector: str
    generic: str
    holds_example: bool = False
    holds_reason: bool = False


_TOEFL = (
    Slot("", "", "Open with your view on {topic} in one sentence, and say you have two reasons."),
    Slot("", "First, ", "Add your first reason, starting with 'First,'.", False, True),
    Slot("", "Second, ", "Add a second reason, starting with 'Second,'.", False, True),
    Slot(
        "",
        "For example, ",
        "Add an example from your life with {topic}: when, where, what happened.",
        True,
    ),
)

PLANS: dict[str, tuple[Slot, ...]] = {
    "toefl_interview": _TOEFL,
    "toefl_independent": _TOEFL,
    "ielts_part1": (
        Slot("", "", "Answer the question about {topic} directly in your first sentence."),
        Slot("", "", "Add the reason, from your own life.", False, True),
    ),
    "ielts_part3": (
        Slot("", "", "Give your general view on {topic} first."),
        Slot("", "Mainly, ", "Add the main reason, starting with 'Mainly,'.", False, True),
        Slot(
            "",
            "For example, ",
            "Add an example from your country, starting with 'For example,'.",
            True,
        ),
        Slot(
            "",
            "On the other hand, ",
            "Add the other side: how some people see {topic} differently.",
        ),
    ),
    "job_interview": (
        Slot("Situation", "", "Say where you worked and what was at stake with {topic}."),
        Slot("Task", "", "Say what your own task was."),
        Slot("Action", "", "Say what you did, step by step, with 'I', not 'we'."),
        Slot("Result", "", "Give the result, with a number if you can, and what you learned."),
    ),
    "free_talk": (
        Slot("", "", "Say what you want to talk about: {topic}."),
        Slot("", "", "Add your main point: why {topic} matters to you.", False, True),
        Slot(
            "",
            "For example, ",
            "Add an example: one particular day, where you were and what happened.",
            True,
        ),
        Slot("", "", "End by saying why {topic} matters to you."),
    ),
}

CUE_CARD_GENERIC = "Add one sentence about {point}, with a concrete detail."


def cue_card_plan(prompt_text: str) -> tuple[Slot, ...]:
    """One labelled slot per "You should say:" point, plus the closing "explain" point."""
    points = [line[2:].strip() for line in prompt_text.splitlines() if line.startswith("- ")]
    closing = prompt_text.strip().splitlines()[-1] if prompt_text.strip() else ""
    if closing.lower().startswith("and explain "):
        points.append(closing[len("and explain ") :].rstrip("."))
    return tuple(
        Slot(point[0].upper() + point[1:], "", CUE_CARD_GENERIC.format(point=point))
        for point in points
        if point
    )


def plan_for(mode: str, prompt_text: str) -> tuple[Slot, ...]:
    """The slots of `mode`; a cue card's own points for IELTS part 2, free talk otherwise."""
    if mode == "ielts_part2":
        return cue_card_plan(prompt_text) or PLANS["free_talk"]
    return PLANS.get(mode, PLANS["free_talk"])
