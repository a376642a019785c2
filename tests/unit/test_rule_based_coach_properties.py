"""Whatever a learner says, the coach answers completely and never echoes a filler."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.feedback.text import normalise
from domain.prompts import MODES, prompts_for
from tests.unit.test_rule_based_coach import coach

SAYABLE = """i I think the garden is good because it and we can um uh like you know so
children learn, plants. last year for example my town was very nice"""
VOCABULARY = SAYABLE.split()
tokens = st.sampled_from([*VOCABULARY, "|1.2|", "|0.4|"])
scripts = (
    st.lists(tokens, min_size=1, max_size=80)
    .map(" ".join)
    .filter(lambda s: any(not t.startswith("|") for t in s.split()))
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(script=scripts, mode=st.sampled_from(MODES))
def test_any_answer_gets_a_summary_a_bounded_model_answer_and_two_or_three_steps(
    script: str, mode: str
) -> None:
    prompt = prompts_for(mode)[0]
    feedback = coach(script, prompt.id)
    assert "Estimated score" in feedback.summary
    assert 2 <= len(feedback.next_steps) <= 3
    said = [normalise(t) for t in feedback.model_answer.split()]
    assert not {"um", "uh"} & set(said)
    assert len(feedback.model_answer.split()) <= prompt.target_words
