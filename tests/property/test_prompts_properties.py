"""Properties of prompt picking that hold for any history a learner may have."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import UnknownPromptError
from domain.prompts import MODES, all_prompts, get_prompt, pick_prompt, prompts_for

ALL_IDS = [p.id for p in all_prompts()]
seen_sets = st.sets(st.sampled_from(ALL_IDS))


@given(mode=st.sampled_from(MODES), seen=seen_sets)
def test_the_pick_is_always_a_prompt_of_the_requested_mode(mode: str, seen: set[str]) -> None:
    assert pick_prompt(mode, seen).mode == mode


@given(mode=st.sampled_from(MODES), seen=seen_sets)
def test_a_seen_prompt_comes_back_only_when_the_mode_is_exhausted(
    mode: str, seen: set[str]
) -> None:
    picked = pick_prompt(mode, seen)
    unseen = [p for p in prompts_for(mode) if p.id not in seen]
    if unseen:
        assert picked.id not in seen
        assert picked == unseen[0]
    else:
        assert picked == prompts_for(mode)[0]


@given(mode=st.sampled_from(MODES), seen=seen_sets)
def test_the_pick_does_not_depend_on_the_order_of_the_history(mode: str, seen: set[str]) -> None:
    history = sorted(seen)
    assert pick_prompt(mode, history) == pick_prompt(mode, list(reversed(history)))


@given(text=st.text(max_size=30).filter(lambda t: t not in ALL_IDS))
def test_any_string_that_is_not_an_id_is_refused(text: str) -> None:
    with pytest.raises(UnknownPromptError):
        get_prompt(text)


@given(text=st.text(max_size=30).filter(lambda t: t not in MODES))
def test_any_string_that_is_not_a_mode_is_refused(text: str) -> None:
    with pytest.raises(UnknownPromptError):
        pick_prompt(text)
