"""Signs built from word classes rather than fixed phrases, and the rebuttal frame, in both languages."""

import pytest

from careguide.factcheck import Verdict, check_text
from careguide.knowledge.claims import load_claims


def _ids(result):
    return {hit.id for hit in result.patterns}


@pytest.mark.parametrize("text", [
    "这款足浴粉泡了两个月，我爸的静脉曲张全好了。",
    "推拿理疗专调痛风和颈椎病，一次见效。",
    "My aunt rubbed the balm on every night and her psoriasis cleared up.",
    "Our copper bracelet gets rid of joint pain and gout.",
])
def test_a_product_or_therapy_said_to_make_a_disease_go_away_is_misleading(text):
    result = check_text(text)
    assert "remedy_cures_disease" in _ids(result)
    assert result.verdict == Verdict.MISLEADING


@pytest.mark.parametrize("text", [
    "坚持吃了三个月，她的子宫肌瘤不见了。",
    "After six weeks on it, his kidney stones were gone.",
])
def test_a_story_of_keeping_at_a_remedy_counts_even_when_the_remedy_is_named_earlier(text):
    assert "remedy_cures_disease" in _ids(check_text(text))


@pytest.mark.parametrize("text", [
    "本品为保健食品，不能代替药物，不能治好糖尿病。",
    "钙片治不了骨质疏松，要按医生开的药治疗。",
    "This supplement may support joint comfort; it is not intended to cure arthritis.",
    "No tea can cure high blood pressure; keep taking your tablets.",
])
def test_labels_hedges_and_denials_are_not_cure_promises(text):
    assert "remedy_cures_disease" not in _ids(check_text(text))


@pytest.mark.parametrize("text", [
    "喝了这个茶，他的降压药都减量了。",
    "跟着我的方法，西药慢慢就能减掉。",
    "I don't need my lisinopril anymore since I started the juice.",
    "You can lower your warfarin once you are on our capsules.",
])
def test_tapering_or_dropping_prescribed_medicine_is_stopping_it(text):
    result = check_text(text)
    assert "stop_medication" in _ids(result)
    assert result.verdict == Verdict.MISLEADING


@pytest.mark.parametrize("text", [
    "Your doctor may lower your metformin dose if your readings stay low.",
    "医生说可以把降糖药减量，您按新的剂量吃。",
])
def test_a_doctor_changing_the_dose_is_care_not_a_rumour(text):
    assert "stop_medication" not in _ids(check_text(text))


@pytest.mark.parametrize("text", [
    "Some say garlic water cures the flu. It doesn't. Rest, fluids and a doctor if you get worse.",
    "网上有人转：生姜水能治好感冒。这种说法没有科学依据，感冒多数能自愈。",
    "A post claiming that cherry juice cures gout is going round. Gout needs the treatment your doctor set.",
])
def test_a_claim_denied_by_the_next_sentence_or_reported_as_a_post_is_not_made(text):
    result = check_text(text)
    assert result.verdict != Verdict.MISLEADING, [p.id for p in result.patterns]


def test_a_sentence_starting_with_a_word_that_begins_with_wrong_is_no_rebuttal():
    # "错诊" (misdiagnosis) opens the sentence but denies nothing.
    result = check_text("这款茶专治痛风。错诊会耽误治疗。")
    assert "remedy_cures_disease" in _ids(result)


@pytest.mark.parametrize("text", [
    "最新研究发现，吃这种野菜能增强免疫力，赶紧吃起来！",
    "Studies show it lowers cholesterol. Hurry and try it tonight!",
])
def test_hurry_calls_add_to_other_weak_signs(text):
    result = check_text(text)
    assert "hurry_call" in _ids(result)
    assert result.verdict == Verdict.MISLEADING


def test_being_told_to_go_to_hospital_at_once_is_not_a_hurry_call():
    result = check_text("出现胸痛、出冷汗，要赶紧去医院或拨打120。")
    assert "hurry_call" not in _ids(result)
    assert result.verdict != Verdict.MISLEADING


@pytest.mark.parametrize("text", [
    "The booster contains a tracking chip, tell your family.",
    "加强针里植入了追踪芯片，千万别打。",
])
def test_implant_myths_about_any_vaccine_word_are_anti_vaccine(text):
    assert "anti_vaccine" in _ids(check_text(text))


def test_the_lexicons_behind_the_crossed_pattern_are_bilingual():
    lexicons = load_claims().lexicons
    for name in ("therapy", "cure_verb", "cure_outcome", "disease", "product", "medicine"):
        assert lexicons[name].en and lexicons[name].zh, name


@pytest.mark.parametrize("text", [
    "据专家研究，每天吃一把南瓜子就能预防前列腺问题，赶紧吃起来。",
    "According to experts, this root flushes the liver. Hurry and try it tonight.",
])
def test_a_nameless_expert_and_a_hurry_call_add_up(text):
    result = check_text(text)
    assert {"vague_expert_source", "hurry_call"} <= _ids(result)
    assert result.verdict == Verdict.MISLEADING


@pytest.mark.parametrize("text", [
    "经过多年的研究，他们证实了喝米汤能养胃，这个方法百试百灵。",
    "After years of research they confirmed it heals the gut, and it works every time.",
])
def test_unnamed_long_research_and_a_promise_for_everyone_add_up(text):
    result = check_text(text)
    assert {"unverifiable_research", "certainty_overgeneralised"} <= _ids(result)
    assert result.verdict == Verdict.MISLEADING


def test_one_weak_sign_alone_is_only_unsupported():
    result = check_text("Experts believe beetroot helps the liver.")
    assert result.verdict == Verdict.UNSUPPORTED
