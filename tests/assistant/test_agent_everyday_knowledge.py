"""Doctor agents answer the everyday questions of their specialty from their own articles, and the red
flags that wider knowledge would otherwise let through are referred by name.

The phrasings here are written for the tests; they are not items of evals/agent_requests.jsonl."""

import pytest

from careguide.assistant.agents import AgentRunner, escalations, load_agents
from careguide.assistant.scope import FRAME_WEIGHT, ScopeJudge
from careguide.language import normalise


@pytest.fixture(scope="module")
def runner() -> AgentRunner:
    return AgentRunner(allow_unsigned=True)


@pytest.mark.parametrize(("agent", "text", "article"), [
    ("pediatrics", "At what age do most toddlers manage potty training?", "toilet_training"),
    ("pediatrics", "宝宝一般几个月开始长牙？", "teething"),
    ("pediatrics", "Do breastfed babies need vitamin D drops?", "vitamin_d_iron_children"),
    ("pediatrics", "孩子出了水痘，多久以后不再传染？", "chickenpox"),
    ("pediatrics", "What helps a baby with nappy rash?", "nappy_rash"),
    ("pediatrics", "两岁孩子天天发脾气、打滚，家长该怎么管教？", "toddler_tantrums_behaviour"),
    ("dermatology", "How do I get rid of athlete's foot between my toes?", "fungal_skin_infections"),
    ("dermatology", "手上长了瘊子，会传染给别人吗？", "warts_verrucas"),
    ("dermatology", "What can I do about a cold sore on my lip?", "cold_sores"),
    ("dermatology", "被蚊子叮了一个大包，很痒，怎么止痒？", "mosquito_bites"),
    ("cardiology", "What is coronary CT angiography used for?", "heart_tests_imaging"),
    ("cardiology", "早上量血压应该在吃降压药之前还是之后？", "blood_pressure_everyday_questions"),
    ("endocrinology", "Why is HbA1c rechecked every few months in diabetes?", "diabetes_regular_checks"),
    ("urology", "小便泡沫多是不是尿蛋白？", "foamy_urine"),
    ("sleep", "Is melatonin the same thing as a sleeping pill?", "melatonin"),
])
def test_everyday_specialty_question_is_answered_from_its_article(runner, agent, text, article):
    answer = runner.ask(agent, text)
    assert answer.action == "answer", answer.referral and answer.referral.reasons
    assert any(source.startswith(f"{article}#") for source in answer.sources), answer.sources


@pytest.mark.parametrize(("agent", "text"), [
    ("dermatology", "My calf is red and swollen and I've started shivering with a fever"),
    ("dermatology", "胳膊上一片又红又肿，还发高烧"),
    ("dermatology", "A strip of painful blisters has come up on one side of my forehead"),
    ("dermatology", "一侧额头长了一串很痛的水疱，快到眼睛了"),
    ("dermatology", "My son spilled hot oil on his hand and the skin has gone white"),
    ("dermatology", "开水烫伤了一大片，中间发白没有感觉"),
    ("cardiology", "My wife has an aching jaw and left arm and is pale and clammy"),
    ("cardiology", "我妈左胳膊疼，出冷汗，还恶心想吐"),
    ("urology", "He hasn't been able to pass urine all day and his belly is tight"),
    ("endocrinology", "Grandad has type 2 and is very drowsy, his meter shows HI"),
    ("endocrinology", "爷爷有2型糖尿病，血糖仪显示HI，人很嗜睡"),
    ("pediatrics", "My daughter has been vomiting all day and hasn't peed since morning"),
    ("pediatrics", "孩子误喝了消毒液，一直咳"),
    ("pediatrics", "孩子腹泻后一直昏睡，叫不太醒"),
    ("sleep", "I lie awake every night and I've started thinking I'd be better off dead, I want to end my life"),
    ("sleep", "失眠好几个月了，真的不想活了"),
    ("sleep", "My baby was snoring and now is struggling to breathe with blue lips"),
    ("sleep", "孩子打鼾，今晚呼吸特别费劲，嘴唇发紫"),
])
def test_red_flags_in_lay_words_are_referred_by_a_rule(runner, agent, text):
    answer = runner.ask(agent, text)
    assert answer.action == "refer"
    assert "red_flag" in answer.referral.reasons, answer.referral.reasons
    assert answer.referral.urgency in ("emergency", "urgent")


@pytest.mark.parametrize("text", [
    "My feet swell more every day and I can only sleep sitting up",
    "心衰的老人最近躺下就憋气，只能坐着睡",
])
def test_breathless_lying_flat_with_swelling_is_referred_the_same_day(runner, text):
    answer = runner.ask("cardiology", text)
    assert answer.action == "refer" and "agent:breathless_swelling" in answer.safety_rules
    assert answer.referral.urgency in ("emergency", "urgent")


@pytest.mark.parametrize("text", [
    "My 18-month-old doesn't say any words yet and doesn't respond to her name",
    "孩子两岁了一个字都不会说，叫名字也不回头",
])
def test_late_speech_in_the_childs_own_case_needs_examination(runner, text):
    fired = escalations(load_agents()["pediatrics"], normalise(text))
    assert "growth_or_development_concern" in [rule.id for rule in fired]
    assert runner.ask("pediatrics", text).action == "refer"


@pytest.mark.parametrize("word", ["自己", "一样", "不肯", "患者", "feel", "properly"])
def test_words_of_the_question_frame_do_not_weigh_as_topics(word):
    assert ScopeJudge().weight(word) == FRAME_WEIGHT
