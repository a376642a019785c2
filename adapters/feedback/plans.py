"""The shape a good answer takes in each mode, as slots the learner's sentences fill.

A slot with an empty label flows into running text; a labelled slot (STAR steps, cue-card
points) is shown as a heading. `generic` is the clearly marked stand-in sentence used
when the learner said nothing for that slot; `{topic}` is the prompt's subject.
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
    Slot("", "", "I have a clear view on {topic}, and there are two main reasons for it."),
    Slot("", "First, ", "First, the practical side of {topic} matters most to me.", False, True),
    Slot("", "Second, ", "Second, it also matters to the people around me.", False, True),
    Slot("", "For example, ", "For example, my own experience with {topic} showed me this.", True),
)

PLANS: dict[str, tuple[Slot, ...]] = {
    "toefl_interview": _TOEFL,
    "toefl_independent": _TOEFL,
    "ielts_part1": (
        Slot("", "", "To answer directly, I have a simple view on {topic}."),
        Slot("", "", "The main reason is that it suits the way I live.", False, True),
    ),
    "ielts_part3": (
        Slot("", "", "In general, I think the question of {topic} matters a great deal."),
        Slot("", "Mainly, ", "Mainly, it shapes the choices people make every day.", False, True),
        Slot("", "For example, ", "For example, the situation in my country shows this.", True),
        Slot(
            "",
            "On the other hand, ",
            "On the other hand, some people see {topic} quite differently.",
        ),
    ),
    "job_interview": (
        Slot("Situation", "", "In my previous role, I faced a situation involving {topic}."),
        Slot("Task", "", "My task was to make sure the work was done well and on time."),
        Slot("Action", "", "I made a plan, spoke to the people involved and checked progress."),
        Slot("Result", "", "As a result, we reached the goal, and I learned what to do next time."),
    ),
    "free_talk": (
        Slot("", "", "I want to talk about {topic}."),
        Slot("", "", "The main point is that I care about {topic} personally.", False, True),
        Slot("", "For example, ", "For example, one particular day shows this well.", True),
        Slot("", "", "That is why I care so much about {topic}."),
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
