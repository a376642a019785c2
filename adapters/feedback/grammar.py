"""The grammar section of the feedback: the corrections that matter most, in the learner's
own words, and a count of the rest."""

from __future__ import annotations

import re

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
        lines = [f"No errors found in {check.words} words. Speech-to-text tends to tidy small "
                 "slips (a dropped -s, a 'to' after 'should') as it writes, so listen back "
                 "for those."]  # fmt: skip
    else:
        lines = [f'"{c.before}" -> "{c.after}" ({c.category}). {c.reason}' for c in shown]
        if more:
            lines.append(f"{more} more error(s) of the same kinds; fix these first.")
    if check.unsure:
        lines.append(f"{check.unsure} possible error(s) not shown: speech-to-text was unsure of "
                     "those words, so they may not be yours.")  # fmt: skip
    return head + "\n" + "\n".join(f"- {line}" for line in lines)


MARK = "*"  # around the words a correction changed, in the stronger answer
MARKED = "Words between asterisks correct what you said."


def corrected(answer: str, check: GrammarCheck, checked_text: str) -> str:
    """The stronger answer with each correction made where the learner's words stand in
    it, the changed words marked (`*evenings*`). `checked_text` is the text the checkers
    read: a correction is placed by the words around it there, so "an" is corrected in
    "an horrible", not in "an hour"; one whose place cannot be told (its words trimmed for
    time, or standing twice) is left out."""
    for correction in check.all_corrections:
        found = _place(answer, correction.before, checked_text, correction.start, correction.end)
        if found is None:
            continue
        start, end = found
        answer = (
            answer[:start] + _changed_marked(answer[start:end], correction.after) + answer[end:]
        )
    return answer


_WORD = re.compile(r"[\w']+")


def _place(answer: str, before: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where `before` stands in `answer`, told apart by the words beside it in `text`."""
    left = _WORD.findall(text[:start])[-1:]
    right = _WORD.findall(text[end:])[:1]
    core = re.escape(before).replace("\\ ", r"[\s,]+")
    gap = r"[\s,;:.!?*]+"
    for with_left, with_right in ((True, True), (False, True), (True, False), (False, False)):
        pattern = (
            (rf"\b{re.escape(left[0])}{gap}" if with_left and left else "")
            + rf"(?<![\w*])(?P<core>{core})(?![\w*])"
            + (rf"{gap}{re.escape(right[0])}\b" if with_right and right else "")
        )
        hits = list(re.finditer(pattern, answer, re.IGNORECASE))
        if len(hits) == 1:
            return hits[0].start("core"), hits[0].end("core")
    return None


def _changed_marked(before: str, after: str) -> str:
    """`after` with the words that differ from `before` marked; where words were only taken
    out, the word after the gap is marked, so the learner sees where."""
    old, new = before.split(), after.split()
    if old and new and old[0][:1].isupper() and new[0][:1].islower():
        new[0] = new[0][:1].upper() + new[0][1:]  # it starts a sentence
    head = 0
    while head < min(len(old), len(new)) and old[head].lower() == new[head].lower():
        head += 1
    tail = 0
    while (tail < min(len(old), len(new)) - head
           and old[-1 - tail].lower() == new[-1 - tail].lower()):  # fmt: skip
        tail += 1
    middle = new[head : len(new) - tail]
    if not middle:  # only taken out: mark what follows the gap (or all there is)
        if head < len(new):
            new[head] = f"{MARK}{new[head]}{MARK}"
            return " ".join(new)
        return " ".join(new)
    return " ".join([*new[:head], f"{MARK}{' '.join(middle)}{MARK}", *new[len(new) - tail :]])
