"""Signs as sellers actually say them (spoken word order, live-selling and lecture lures, borrowed names for
drugs), and the notices that report such claims without making them, in both languages."""

import pytest

from careguide.factcheck import Verdict, check_text


def _ids(result):
    return {hit.id for hit in result.patterns}


@pytest.mark.parametrize(("text", "pattern"), [
    ("我爸的降糖药早就停了，现在全靠这个茶。", "stop_medication"),
    ("Quit poisoning yourselves with statins, ladies.", "stop_medication"),
    ("I use apple cider vinegar instead of my blood pressure pills.", "replaces_medicine"),
    ("这个茶副作用一点都没有，老人孩子都能喝。", "no_side_effects"),
    ("比你吃什么降糖药都强。", "comparison_with_drugs"),
    ("大蒜是天然抗生素，感冒了嚼两瓣就行。", "comparison_with_drugs"),
    ("Berberine is nature's Ozempic.", "comparison_with_drugs"),
])
def test_spoken_word_orders_and_borrowed_drug_names_are_found(text, pattern):
    result = check_text(text)
    assert pattern in _ids(result)
    assert result.verdict == Verdict.MISLEADING


@pytest.mark.parametrize(("text", "pattern"), [
    ("Skip the ER: rub this oil on your chest when it feels tight.", "avoid_medical_care"),
    ("Before you spend a fortune at the hospital, try this tea.", "avoid_medical_care"),
    ("喝了这个汤，原来要做的搭桥手术都不用做了。", "avoid_medical_care"),
    ("Food-grade hydrogen peroxide (a few drops) knocks out pneumonia.", "dangerous_substance"),
    ("This handheld analyzer scans for over 300 diseases in one minute.", "unapproved_device"),
    ("这台仪器握一握就能检测出上百种疾病。", "unapproved_device"),
    ("Cancer can't live in an alkaline body.", "acid_alkaline_myth"),
    ("Drink our ionized water and watch your gout vanish.", "remedy_cures_disease"),
    ("Get the protocol that's curing stage 4 cancers.", "cancer_cure"),
])
def test_dangerous_signs_in_everyday_wording_are_found(text, pattern):
    result = check_text(text)
    assert pattern in _ids(result)
    assert result.verdict == Verdict.MISLEADING


@pytest.mark.parametrize(("text", "pattern"), [
    ("知名主持人某某每天都在喝这款酵素。", "celebrity_endorsement"),
    ("长寿知识课，听课就送大米，名额有限。", "free_lecture_elderly"),
    ("Join our wellness seminar at the Grand Hotel, free lunch for everyone over 60!", "free_lecture_elderly"),
    ("宝宝喝了这款奶粉，蹿个特别快。", "child_growth_intelligence"),
    ("Our chewables add 2 inches to your child's height.", "child_growth_intelligence"),
    ("These gummies boost your kid's IQ.", "child_growth_intelligence"),
    ("吃了半年，血管年轻了十岁。", "reverse_aging"),
    ("This serum reverses your biological age.", "reverse_aging"),
])
def test_famous_names_sales_meeting_lures_and_growth_or_youth_promises_are_found(text, pattern):
    assert pattern in _ids(check_text(text))


@pytest.mark.parametrize("text", [
    "反诈提醒：骗子以“免费体检”为名推销保健品，声称能治好糖尿病。",
    "市场监管部门通报：某“降压茶”被检出非法添加药物，已责令下架。",
    "Voluntary recall: the 'herbal' male enhancement capsules were found to contain undeclared tadalafil.",
    "In the trial, the vaccine was 85% effective against severe illness.",
    "该疫苗在三期试验中的有效率为79%。",
    "黄体酮是一种天然激素，可用于治疗某些月经问题。",
    "Vitamin C can't cure cancer; keep to your oncologist's plan.",
    "医生评估后认为，坚持服药控制得好，暂时不用放支架。",
    "Never skip the ER if you have chest pain: call 911.",
])
def test_fraud_warnings_recalls_and_trial_figures_are_not_misleading(text):
    assert check_text(text).verdict != Verdict.MISLEADING
