"""JSON-safe dictionaries for SpeechMetrics, for events and feedback requests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from domain.metrics.model import Filler, Pause, Repetition, SpeechMetrics
from domain.speech import Interval


def metrics_to_dict(m: SpeechMetrics) -> dict[str, Any]:
    """Plain dict of the stored fields plus a few derived counts for readers without this code."""
    data = asdict(m)
    for key in ("pauses", "fillers", "repetitions"):
        data[key] = list(data[key])
    data["hedges"] = list(m.hedges)
    data["unheard"] = list(data["unheard"])
    data["long_pause_count"] = m.long_pause_count
    data["filler_count"] = m.filler_count
    data["fillers_per_100_words"] = m.fillers_per_100_words
    data["fillers_per_minute"] = m.fillers_per_minute
    data["pauses_per_minute"] = m.pauses_per_minute
    return data


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def metrics_from_dict(d: Mapping[str, Any]) -> SpeechMetrics:
    """Inverse of metrics_to_dict; derived counts in the dict are ignored (recomputed)."""
    return SpeechMetrics(
        duration_s=float(d["duration_s"]),
        speech_s=float(d["speech_s"]),
        word_count=int(d["word_count"]),
        wpm=float(d["wpm"]),
        articulation_wpm=float(d["articulation_wpm"]),
        speaking_time_ratio=float(d["speaking_time_ratio"]),
        mean_length_of_run=float(d["mean_length_of_run"]),
        pauses=tuple(
            Pause(
                start_s=float(p["start_s"]),
                end_s=float(p["end_s"]),
                kind=str(p["kind"]),
                before_word=p.get("before_word"),
                after_word=p.get("after_word"),
            )
            for p in d.get("pauses", ())
        ),
        fillers=tuple(
            Filler(
                text=str(f["text"]),
                start_s=float(f["start_s"]),
                end_s=float(f["end_s"]),
                word_index=int(f["word_index"]),
                next_word=f.get("next_word"),
                previous_word=f.get("previous_word"),
            )
            for f in d.get("fillers", ())
        ),
        repetitions=tuple(
            Repetition(text=str(r["text"]), start_s=float(r["start_s"]), count=int(r["count"]))
            for r in d.get("repetitions", ())
        ),
        hedges=tuple(str(h) for h in d.get("hedges", ())),
        unique_words=int(d["unique_words"]),
        mattr=_opt_float(d.get("mattr")),
        mtld=_opt_float(d.get("mtld")),
        time_limit_s=_opt_int(d.get("time_limit_s")),
        time_used_ratio=_opt_float(d.get("time_used_ratio")),
        pitch_semitones_sd=_opt_float(d.get("pitch_semitones_sd")),
        unheard=tuple(
            Interval(float(u["start_s"]), float(u["end_s"])) for u in d.get("unheard", ())
        ),
    )
