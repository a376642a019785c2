"""The prompt bank: enough varied prompts per mode, with limits that match each exam task."""

from __future__ import annotations

import re

import pytest

from domain.errors import UnknownPromptError
from domain.prompts import (
    MODES,
    all_prompts,
    find_by_text,
    get_prompt,
    pick_prompt,
    prompts_for,
)

EXPECTED_MODES = {
    "toefl_interview",
    "toefl_independent",
    "ielts_part1",
    "ielts_part2",
    "ielts_part3",
    "job_interview",
    "free_talk",
}


def test_the_bank_offers_every_mode_the_product_names() -> None:
    assert set(MODES) == EXPECTED_MODES
    assert {prompt.mode for prompt in all_prompts()} == EXPECTED_MODES


def test_the_bank_holds_at_least_sixty_prompts_and_eight_per_mode() -> None:
    assert len(all_prompts()) >= 60
    for mode in MODES:
        assert len(prompts_for(mode)) >= 8, mode


def test_no_two_prompts_share_an_id_or_a_text() -> None:
    prompts = all_prompts()
    assert len({p.id for p in prompts}) == len(prompts)
    assert len({p.text for p in prompts}) == len(prompts)


def test_ids_are_short_lowercase_slugs_with_one_prefix_per_mode() -> None:
    for mode in MODES:
        prefixes = set()
        for prompt in prompts_for(mode):
            match = re.fullmatch(r"([a-z0-9]+(?:-[a-z0-9]+)*)-(\d{2})", prompt.id)
            assert match, prompt.id
            prefixes.add(match.group(1))
        assert len(prefixes) == 1, (mode, prefixes)


def test_toefl_items_give_45_seconds_and_the_interview_gives_no_preparation() -> None:
    for prompt in prompts_for("toefl_interview"):
        assert (prompt.prep_s, prompt.answer_s) == (0, 45)
    for prompt in prompts_for("toefl_independent"):
        assert (prompt.prep_s, prompt.answer_s) == (15, 45)


def test_ielts_limits_follow_the_three_parts_of_the_test() -> None:
    for prompt in prompts_for("ielts_part1"):
        assert prompt.prep_s == 0
        assert 20 <= prompt.answer_s <= 40
    for prompt in prompts_for("ielts_part2"):
        assert prompt.prep_s == 60
        assert prompt.answer_s == 120
    for prompt in prompts_for("ielts_part3"):
        assert prompt.prep_s == 0
        assert 45 <= prompt.answer_s <= 90


def test_a_job_interview_answer_has_room_for_a_full_star_story() -> None:
    for prompt in prompts_for("job_interview"):
        assert 90 <= prompt.answer_s <= 120
        assert re.search(r"\b(time|describe|example)\b", prompt.text, re.IGNORECASE), prompt.id


def test_every_cue_card_lists_at_least_three_points_to_cover() -> None:
    for prompt in prompts_for("ielts_part2"):
        assert "You should say:" in prompt.text
        bullets = [line for line in prompt.text.splitlines() if line.startswith("- ")]
        assert len(bullets) >= 3, prompt.id
        assert "explain" in prompt.text.splitlines()[-1]


def test_the_target_length_is_what_a_fluent_speaker_fits_into_the_answer_time() -> None:
    for prompt in all_prompts():
        words_per_second = prompt.target_words / prompt.answer_s
        assert 1.5 <= words_per_second <= 2.0, prompt.id


def test_longer_answer_times_never_ask_for_fewer_words() -> None:
    by_time = sorted(all_prompts(), key=lambda p: p.answer_s)
    lengths = [p.target_words for p in by_time]
    assert lengths == sorted(lengths)


def test_every_prompt_reads_as_a_finished_question_or_instruction() -> None:
    for prompt in all_prompts():
        assert prompt.text[0].isupper(), prompt.id
        assert prompt.text.rstrip()[-1] in ".?", prompt.id


def test_a_prompt_is_found_again_by_its_id() -> None:
    for prompt in all_prompts():
        assert get_prompt(prompt.id) == prompt


def test_an_unknown_id_is_refused_with_examples_of_real_ids() -> None:
    with pytest.raises(UnknownPromptError) as caught:
        get_prompt("toefl-99")
    message = str(caught.value)
    assert "toefl-99" in message
    assert prompts_for("toefl_interview")[0].id in message


def test_an_unknown_mode_is_refused_with_the_list_of_valid_modes() -> None:
    with pytest.raises(UnknownPromptError) as caught:
        prompts_for("toefl")
    message = str(caught.value)
    assert "'toefl'" in message
    for mode in MODES:
        assert mode in message


def test_picking_for_an_unknown_mode_is_refused_the_same_way() -> None:
    with pytest.raises(UnknownPromptError, match="ielts_part2"):
        pick_prompt("ielts")


def test_a_new_learner_gets_the_first_prompt_of_the_mode() -> None:
    assert pick_prompt("ielts_part2") == prompts_for("ielts_part2")[0]


def test_a_learner_gets_the_next_prompt_they_have_not_seen() -> None:
    first, second, third = prompts_for("free_talk")[:3]
    assert pick_prompt("free_talk", {first.id}) == second
    assert pick_prompt("free_talk", {first.id, second.id}) == third


def test_once_every_prompt_is_seen_the_bank_starts_over() -> None:
    every_id = {p.id for p in prompts_for("job_interview")}
    assert pick_prompt("job_interview", every_id) == prompts_for("job_interview")[0]


def test_prompts_seen_in_another_mode_do_not_change_the_pick() -> None:
    other_ids = [p.id for p in prompts_for("ielts_part1")]
    assert pick_prompt("toefl_interview", other_ids) == prompts_for("toefl_interview")[0]


def test_every_prompt_names_its_topic_in_a_few_words() -> None:
    for prompt in all_prompts():
        assert 1 <= len(prompt.topic.split()) <= 9, prompt.id
        assert prompt.topic == prompt.topic.strip()
        assert not prompt.topic.endswith((".", "?"))


def test_a_bank_prompt_is_recognised_from_its_text_alone() -> None:
    for prompt in all_prompts():
        assert find_by_text(prompt.text) == prompt
    assert find_by_text("Talk about anything you like.") is None
