"""Speech metrics: pure functions from word timings and audio facts to delivery measures."""

from domain.metrics.codec import metrics_from_dict, metrics_to_dict
from domain.metrics.measure import measure
from domain.metrics.model import (
    BOUNDARY,
    FILLED_PAUSES,
    LONG_PAUSE_S,
    MID_CLAUSE,
    MIN_PAUSE_S,
    Filler,
    Pause,
    Repetition,
    SpeechMetrics,
)

__all__ = [
    "BOUNDARY",
    "FILLED_PAUSES",
    "LONG_PAUSE_S",
    "MID_CLAUSE",
    "MIN_PAUSE_S",
    "Filler",
    "Pause",
    "Repetition",
    "SpeechMetrics",
    "measure",
    "metrics_from_dict",
    "metrics_to_dict",
]
