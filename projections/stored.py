"""PracticeViews answered from a view recorder, with waiting for one's own writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from projections.history import HistoryRow
from projections.recorder import PracticeViewRecorder
from projections.views import AttemptView, LearnerView


class Waiter(Protocol):
    def wait_until(self, reached: Callable[[], bool], timeout: float) -> bool: ...


class StoredPracticeViews:
    """Reads only the view; `wait` blocks on the runner's progress instead of polling."""

    def __init__(
        self, recorder: PracticeViewRecorder, application_name: str, waiter: Waiter | None = None
    ) -> None:
        self._recorder = recorder
        self._application_name = application_name
        self._waiter = waiter

    def learner(self, learner_id: UUID) -> LearnerView | None:
        return self._recorder.learner(learner_id)

    def history(self, learner_id: UUID, limit: int = 10) -> list[HistoryRow]:
        return self._recorder.history(learner_id, limit)

    def rows(self, learner_id: UUID) -> list[HistoryRow]:
        return self._recorder.history(learner_id)

    def attempt(self, session_id: UUID, attempt: int) -> AttemptView | None:
        return self._recorder.attempt(session_id, attempt)

    def in_progress(self) -> int:
        return self._recorder.in_progress()

    def max_tracking_id(self) -> int:
        return self._recorder.max_tracking_id(self._application_name) or 0

    def wait(self, notification_id: int, timeout: float = 5.0) -> bool:
        def reached() -> bool:
            return self._recorder.has_tracking_id(self._application_name, notification_id)

        if self._waiter is None:
            try:
                self._recorder.wait(self._application_name, notification_id, timeout)
            except TimeoutError:
                return False
            return True
        return self._waiter.wait_until(reached, timeout)
