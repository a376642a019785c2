"""The grammar section of the feedback: the corrections that matter most, in the learner's
own words, and a count of the rest."""

from __future__ import annotations

from domain.grammar import GrammarCheck

CHECKER_NAMES = {"rules": "our rules", "harper": "Harper", "languagetool": "LanguageTool"}


def checked_by(check: GrammarCheck) -> str:
    names = [CHECKER_NAMES.get(name, name) for name in check.checked_by]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + f" and {names[-1]}"


def grammar_section(check: GrammarCheck) -> str | None:
    """None when no checker ran: the score says grammar was not checked."""
    if not check.checked:
        return None
    head = f"Grammar (checked by {checked_by(check)}):"
    shown, more = check.shown()
    if not shown:
        lines = [f"No errors found in {check.words} words."]
    else:
        lines = [f'"{c.before}" -> "{c.after}" ({c.category}). {c.reason}' for c in shown]
        if more:
            lines.append(f"{more} more error(s) of the same kinds; fix these first.")
    if check.unsure:
        lines.append(f"{check.unsure} possible error(s) not shown: speech-to-text was unsure of "
                     "those words, so they may not be yours.")  # fmt: skip
    return head + "\n" + "\n".join(f"- {line}" for line in lines)
