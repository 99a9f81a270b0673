"""The triage interview, read as its specification."""

from careguide.knowledge import Disposition
from careguide.triage import Answer, Profile, answer, check_back, start


def run(text, profile=None, reply="no", limit=20):
    """Answer every question the same way until an outcome (or give up after `limit`)."""
    step = start(profile or Profile(), text)
    for _ in range(limit):
        if step.kind != "question":
            break
        choice = reply if step.question.kind == "findings" else "dont_know"
        step = answer(step.evidence, choice)
    return step


def test_chest_pain_with_sweating_is_ambulance_at_once():
    step = start(Profile(age_years=55, sex="male"), "I have had chest pain for 20 minutes and I'm sweating a lot")
    assert step.kind == "outcome"
    assert step.outcome.disposition is Disposition.AMBULANCE
    assert step.outcome.emergency_number == "120"
    assert "120" in step.outcome.instruction
    assert any(r.kind == "red_flag" and r.source for r in step.outcome.red_flags)


def test_chinese_chest_pain_with_cold_sweat_is_ambulance():
    step = start(Profile(age_years=62), "胸口压榨样疼了半小时，还冒冷汗")
    assert step.outcome is not None and step.outcome.disposition is Disposition.AMBULANCE
    assert step.outcome.label == "立即呼叫救护车"


def test_infant_under_three_months_with_fever_is_emergency():
    step = run("My 6-week-old baby has a fever of 38.3", Profile())
    assert step.outcome.disposition in (Disposition.EMERGENCY, Disposition.AMBULANCE)
    assert step.evidence.profile.age_years < 0.25


def test_infant_fever_in_chinese_is_emergency():
    step = run("宝宝2个月，发烧38度5", Profile())
    assert step.outcome.disposition is Disposition.EMERGENCY
    assert step.outcome.departments[0].id == "emergency"


def test_mild_sore_throat_for_two_days_is_self_care_with_advice_and_safety_net():
    step = run("I've had a mild sore throat for 2 days, no fever", Profile(age_years=30, sex="female"))
    outcome = step.outcome
    assert outcome.disposition is Disposition.SELF_CARE
    assert outcome.self_care and any("7 days" in a for a in outcome.self_care)
    assert outcome.seek_care_if
    assert outcome.check_back is not None and outcome.check_back.after_hours == 72
    assert outcome.departments[0].id in ("ent", "general_practice")


def test_negated_fever_is_recorded_absent_in_both_languages():
    en = start(Profile(age_years=30), "sore throat, no fever")
    zh = start(Profile(age_years=30), "嗓子疼，没有发烧")
    assert en.evidence.findings["fever"] == "absent"
    assert zh.evidence.findings["fever"] == "absent"
    assert "fever_adult" not in en.evidence.protocols


def test_red_flag_questions_come_first():
    step = start(Profile(age_years=40), "I have a headache")
    assert step.kind == "question"
    assert step.question.rationale and step.question.source
    first_rule = step.question.rule
    assert first_rule.startswith("ha_thunderclap")


def test_disposition_never_goes_down_once_a_red_flag_is_present():
    step = start(Profile(age_years=70), "sudden weakness in my left arm and slurred speech, no headache")
    assert step.outcome.disposition is Disposition.AMBULANCE


def test_a_yes_answer_to_a_red_flag_question_escalates():
    step = start(Profile(age_years=40), "I have a headache")
    step = answer(step.evidence, "yes")
    assert step.kind == "outcome" and step.outcome.disposition is Disposition.AMBULANCE


def test_emergency_number_follows_the_region():
    for region, number in (("HK", "999"), ("US", "911"), ("GB", "999"), ("DE", "112")):
        step = start(Profile(age_years=50, region=region), "crushing chest pain and sweating")
        assert step.outcome.emergency_number == number
    override = start(Profile(age_years=50, emergency_number="000"), "crushing chest pain and sweating")
    assert override.outcome.emergency_number == "000"


def test_empty_text_asks_for_a_description_instead_of_an_outcome():
    step = start(Profile(language="zh"), "   ")
    assert step.kind == "question" and step.question.kind == "free_text"
    assert "不舒服" in step.message or "描述" in step.message


def test_emoji_only_is_not_silently_self_care():
    step = start(Profile(), "😀😀😀")
    assert step.kind == "question"


def test_gibberish_twice_gives_a_cautious_outcome_not_self_care():
    step = start(Profile(), "asdkjh qwpoeiru zxmcnv")
    assert step.kind == "question" and step.question.kind == "free_text"
    step = answer(step.evidence, "blorp flibber")
    assert step.kind == "outcome"
    assert step.outcome.disposition is not Disposition.SELF_CARE


def test_free_text_answer_restarts_from_the_description():
    step = start(Profile(age_years=30), "")
    step = answer(step.evidence, "crushing chest pain and sweating")
    assert step.outcome.disposition is Disposition.AMBULANCE


def test_ten_thousand_character_message_does_not_crash():
    step = start(Profile(age_years=30), "my back hurts " + "blah " * 2000)
    assert step.kind in ("question", "outcome")


def test_unsupported_language_gets_a_bilingual_message():
    step = start(Profile(), "У меня болит голова")
    assert step.kind == "question"
    assert "English" in step.message and "中文" in step.message


def test_an_invalid_answer_repeats_the_question_with_a_message():
    step = start(Profile(age_years=40, language="en"), "I have a headache")
    again = answer(step.evidence, "purple")
    assert again.kind == "question" and again.question.id == step.question.id
    assert again.message


def test_contradicting_the_text_takes_the_latest_answer():
    step = start(Profile(age_years=30), "mild sore throat, no fever")
    assert step.evidence.findings["fever"] == "absent"
    step = answer(step.evidence, Answer(question_id=step.question.id, value="dont_know")) if step.kind == "question" else step
    assert step.kind in ("question", "outcome")


def test_answer_with_nothing_pending_is_a_message():
    step = run("I've had a mild sore throat for 2 days, no fever", Profile(age_years=30))
    assert answer(step.evidence, "yes").kind == "message"


def test_questions_stay_within_the_limit():
    step = run("fever, cough, headache, stomach ache, back pain and a rash", Profile(age_years=40), reply="dont_know")
    assert step.kind == "outcome"
    assert step.outcome.questions_asked <= 12


def test_worse_at_check_back_reruns_one_level_more_cautious():
    step = run("I've had a mild sore throat for 2 days, no fever", Profile(age_years=30))
    assert step.outcome.disposition is Disposition.SELF_CARE
    again = check_back(step.evidence, "worse")
    while again.kind == "question":
        again = answer(again.evidence, "no" if again.question.kind == "findings" else "dont_know")
    assert again.outcome.disposition is Disposition.ROUTINE
    assert any(r.kind == "floor" for r in again.outcome.why)


def test_every_outcome_says_why_and_what_next():
    step = run("肚子疼两天了，有点拉肚子", Profile(age_years=28))
    outcome = step.outcome
    assert outcome.instruction and outcome.seek_care_if and outcome.why and outcome.disclaimer
    assert all(r.text for r in outcome.why)
