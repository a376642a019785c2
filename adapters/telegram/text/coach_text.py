"""The coach's plain-text feedback turned into Telegram HTML.

The rule-based coach (and the LLM providers asked to write like it) return plain
text: section lines ending with ":", bullets starting with "- ", and labels such as
"Delivery: 4/5." at the start of a line. Those become bold heads, "•" bullets and
bold labels; everything else is escaped as it stands.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from adapters.telegram.text.html import text

_BULLET = re.compile(r"^\s*[-*•]\s+")
_LABEL = re.compile(
    r"^(?P<label>[^:.!?<>&]{1,32}:)(?P<score>\s\d+(?:\.\d+)?\s?/\s?\d+(?:\.\d+)?\.?)?"
)
_HEAD_MAX = 60


def _labelled(line: str) -> str:
    match = _LABEL.match(line)
    if match is None or match.end() == len(line):
        return text(line)
    return f"<b>{text(match.group())}</b>{text(line[match.end() :])}"


def lines_html(plain: str) -> str:
    """Plain coach text as HTML: heads bold, bullets as "•", blank runs kept to one."""
    out: list[str] = []
    for raw in plain.strip().splitlines():
        line = raw.strip()
        if not line:
            if out and out[-1]:
                out.append("")
        elif _BULLET.match(line):
            out.append("• " + _labelled(_BULLET.sub("", line)))
        elif line.endswith(":") and len(line) <= _HEAD_MAX:
            out.append(f"<b>{text(line)}</b>")
        else:
            out.append(_labelled(line))
    return "\n".join(out)


def _number(value: float) -> str:
    return f"{value:g}"


def rubric_html(rubric: Mapping[str, Any]) -> str:
    """Score per criterion with its evidence, for a summary that does not carry them."""
    lines = [f"<b>Estimated score:</b> {text(rubric.get('band_label', ''))}"]
    for criterion in rubric.get("criteria") or ():
        score = criterion.get("score")
        mark = (
            "not scored" if score is None else f"{_number(score)}/{_number(criterion['scale_max'])}"
        )
        evidence = " ".join(str(e) for e in criterion.get("evidence") or ())
        lines.append(f"• <b>{text(criterion['name'])}: {mark}.</b> {text(evidence)}".rstrip())
    return "\n".join(lines)


def summary_has_rubric(summary: str, rubric: Mapping[str, Any]) -> bool:
    """True when the summary already names every criterion, so the rubric is not repeated."""
    names = [str(c.get("name", "")) for c in rubric.get("criteria") or ()]
    return bool(names) and all(name in summary for name in names)
