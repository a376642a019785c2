"""A learner read through snapshots is the learner its whole history makes."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import project_aggregate
from hypothesis import given, settings
from hypothesis import strategies as st

from application.coaching import LEARNER_SNAPSHOT_EVERY, CoachingApp
from domain.learner import Learner
from domain.prompts import Prompt

_modes = st.sampled_from(["free_talk", "ielts_part2"])
_commands = st.lists(
    st.one_of(
        st.tuples(st.just("practice"), st.integers(0, 3)),
        st.tuples(st.just("settings"), _modes, st.sampled_from(["B1", "C1"])),
    ),
    min_size=LEARNER_SNAPSHOT_EVERY - 5,
    max_size=LEARNER_SNAPSHOT_EVERY * 2 + 10,
)


def _prompt(n: int) -> Prompt:
    return Prompt(id=f"p{n}", mode="free_talk", text="Talk.", prep_s=0, answer_s=60,
                  target_words=100)  # fmt: skip


def _state(learner: Learner) -> dict[str, Any]:
    return {k: getattr(learner, k) for k in ("id", "version", "channel", "external_id", "mode",
            "level", "active_session_id", "active_prompt_id")}  # fmt: skip


@settings(max_examples=20, deadline=None)
@given(commands=_commands)
def test_a_learner_read_from_snapshots_equals_the_learner_replayed_from_all_events(
    commands: list[tuple[Any, ...]],
) -> None:
    app = CoachingApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    learner_id = app.register_learner("telegram", "1", "free_talk", "B1")
    for n, (kind, *args) in enumerate(commands):
        if kind == "practice":
            app.start_practice(learner_id, _prompt(args[0]), source_key=f"m{n}")
        else:
            app.change_settings(learner_id, *args)
    replayed = project_aggregate(None, app.events.get(learner_id))
    assert replayed is not None
    read = app.get_learner(learner_id)
    assert _state(read) == _state(replayed)
    assert app.snapshots is not None
    snapshots = list(app.snapshots.get(learner_id))
    assert bool(snapshots) == (read.version >= LEARNER_SNAPSHOT_EVERY)
