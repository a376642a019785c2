"""JSON-safe dictionaries for RubricResult, for events and feedback requests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.rubric.model import CriterionScore, RubricResult


def rubric_to_dict(r: RubricResult) -> dict[str, Any]:
    """Plain dict with lists instead of tuples, so it survives JSON unchanged."""
    return {
        "exam": r.exam,
        "criteria": [
            {
                "name": c.name,
                "score": c.score,
                "scale_max": c.scale_max,
                "evidence": list(c.evidence),
            }
            for c in r.criteria
        ],
        "overall": r.overall,
        "overall_scale_max": r.overall_scale_max,
        "band_label": r.band_label,
        "cefr": r.cefr,
        "cefr_evidence": list(r.cefr_evidence),
    }


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def rubric_from_dict(d: Mapping[str, Any]) -> RubricResult:
    """Inverse of rubric_to_dict."""
    return RubricResult(
        exam=str(d["exam"]),
        criteria=tuple(
            CriterionScore(
                name=str(c["name"]),
                score=_opt_float(c.get("score")),
                scale_max=float(c["scale_max"]),
                evidence=tuple(str(e) for e in c.get("evidence", ())),
            )
            for c in d.get("criteria", ())
        ),
        overall=_opt_float(d.get("overall")),
        overall_scale_max=float(d["overall_scale_max"]),
        band_label=str(d["band_label"]),
        cefr=str(d["cefr"]),
        cefr_evidence=tuple(str(e) for e in d.get("cefr_evidence", ())),
    )
