"""Replies to a yes/no triage question become the interview's answer ids."""

import pytest

from careguide.voice import recognise_answer


@pytest.mark.parametrize("said, expected", [
    ("Yes.", "yes"), ("Yeah, I think so.", "yes"), ("Yep", "yes"), ("That's right", "yes"),
    ("No.", "no"), ("Nope", "no"), ("Not really.", "no"), ("No, I don't.", "no"),
    ("I'm not sure.", "dont_know"), ("I don't know", "dont_know"), ("Maybe", "dont_know"),
])
def test_english_replies(said, expected):
    assert recognise_answer(said, "en").answer == expected


@pytest.mark.parametrize("said, expected", [
    ("是的。", "yes"), ("对", "yes"), ("有", "yes"), ("嗯", "yes"), ("對的", "yes"),
    ("没有", "no"), ("沒有", "no"), ("不是", "no"), ("不对", "no"),
    ("不知道", "dont_know"), ("我不知道。", "dont_know"), ("不清楚", "dont_know"), ("说不清", "dont_know"),
])
def test_chinese_replies_in_simplified_or_traditional_script(said, expected):
    assert recognise_answer(said, "zh").answer == expected


def test_not_sure_is_not_read_as_no():
    assert recognise_answer("not sure", "en").answer == "dont_know"
    assert recognise_answer("不知道", "zh").answer == "dont_know"


def test_contradictory_or_unrelated_replies_are_not_guessed():
    assert recognise_answer("No... yes.", "en").answer is None
    assert recognise_answer("Thank you.", "en").answer is None
    assert recognise_answer("谢谢", "zh").answer is None
    assert recognise_answer("", "zh").answer is None


def test_mandarin_homophone_errors_still_give_the_answer():
    assert recognise_answer("不知到", "zh").answer == "dont_know"  # 到 for 道, same syllable


def test_a_lone_character_inside_a_garbled_reply_is_not_an_answer():
    assert recognise_answer("我无天。", "zh").answer is None
    assert recognise_answer("不牵住", "zh").answer is None
    assert recognise_answer("对啊", "zh").answer == "yes"
