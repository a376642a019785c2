"""Each learner gets a fair share of answers per hour; others are not affected."""

from __future__ import annotations

from adapters.telegram.intake.ratelimit import AnswerRateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_answers_over_the_limit_are_refused_until_the_hour_has_passed():
    clock = Clock()
    limit = AnswerRateLimit(per_hour=2, clock=clock)
    assert [limit.allow(7, f"m{n}") for n in range(3)] == [True, True, False]
    assert 3590 < limit.wait_s(7) <= 3600
    clock.now += 3600
    assert limit.allow(7, "m3")


def test_one_learner_at_the_limit_does_not_limit_another():
    limit = AnswerRateLimit(per_hour=1, clock=Clock())
    assert limit.allow(1, "a")
    assert not limit.allow(1, "b")
    assert limit.allow(2, "a")


def test_the_same_message_sent_again_is_not_counted_again():
    limit = AnswerRateLimit(per_hour=2, clock=Clock())
    assert [limit.allow(7, "m1") for _ in range(5)] == [True] * 5
    assert limit.allow(7, "m2")
    assert not limit.allow(7, "m3")
    assert limit.allow(7, "m1"), "a resend of a counted answer still goes through"
