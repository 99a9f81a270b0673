"""Shared text understanding: negation, duration, severity, age, sex, numbers, language."""

import pytest

from careguide.language import (
    Lexicon,
    age_years,
    detect_language,
    duration_days,
    measurements,
    normalise,
    parse_number,
    segment,
    severity,
    sex,
)

LEX = Lexicon({
    "fever": {"en": ["fever", "temperature"], "zh": ["发烧", "发热", "烧"]},
    "cough": {"en": ["cough"], "zh": ["咳嗽", "咳"]},
    "chest_pain": {"en": ["chest pain", "chest ... tight"], "zh": ["胸痛", "胸...疼"]},
    "sweating": {"en": ["sweating"], "zh": ["出汗", "冒冷汗"]},
})


@pytest.mark.parametrize("text, expected", [
    ("no fever but coughing", {"fever": "negated", "cough": "present"}),
    ("I don't have a fever", {"fever": "negated"}),
    ("No fever, cough or chills", {"fever": "negated", "cough": "negated"}),
    ("chest pain and no sweating", {"chest_pain": "present", "sweating": "negated"}),
    ("no fever and my chest feels tight", {"fever": "negated", "chest_pain": "present"}),
    ("denies fever", {"fever": "negated"}),
    ("没有发烧，咳嗽三天", {"fever": "negated", "cough": "present"}),
    ("不烧，咳", {"fever": "negated", "cough": "present"}),
    ("无发热、咳嗽", {"fever": "negated", "cough": "negated"}),
    ("无明显诱因出现胸痛", {"chest_pain": "present"}),
    ("咳嗽不停", {"cough": "present"}),
    ("发烧没有", {"fever": "negated"}),
    ("胸口有点疼，冒冷汗", {"chest_pain": "present", "sweating": "present"}),
    ("如果发烧怎么办", {"fever": "hypothetical"}),
    ("family history of chest pain", {"chest_pain": "other_person"}),
    ("我 chest pain 三天了，没有发烧", {"chest_pain": "present", "fever": "negated"}),
])
def test_negation_and_context_in_english_and_chinese(text, expected):
    assert LEX.concepts(text) == expected


@pytest.mark.parametrize("text, days", [
    ("cough for 3 days", 3), ("三天了", 3), ("since yesterday", 1), ("两周", 14), ("半个月", 15),
    ("for two weeks", 14), ("一个多月", 30), ("for a few days", 3), ("糖尿病10年，咳嗽2天", 2),
    ("宝宝2个月，发烧1天", 1), ("since this morning", 0.3),
])
def test_duration_in_days(text, days):
    assert duration_days(text) == pytest.approx(days)


def test_duration_absent_when_not_stated():
    assert duration_days("my head hurts") is None


@pytest.mark.parametrize("text, level", [
    ("worst headache of my life", 10), ("疼得受不了", 10), ("有点疼", 2), ("pain 7/10", 7),
    ("severe pain", 8), ("mild sore throat", 2), ("not too bad", 2), ("不严重", 2),
])
def test_severity_from_words_and_scores(text, level):
    assert severity(text) == level


@pytest.mark.parametrize("text, years", [
    ("48-year-old woman", 48), ("a 3-month-old baby", 0.25), ("男，45岁", 45), ("I'm 34 and pregnant", 34),
    ("my 6 week old", 7 * 6 / 365), ("45M with chest pain", 45), ("三岁的孩子", 3), ("出生10天", 10 / 365),
])
def test_age_mentions(text, years):
    assert age_years(text) == pytest.approx(years, rel=1e-3)


@pytest.mark.parametrize("text, expected", [
    ("48-year-old woman", "female"), ("男，45岁", "male"), ("my husband has chest pain", "male"),
    ("孕妇，头痛", "female"), ("I have a cough", None), ("102F fever", None),
])
def test_sex_mentions(text, expected):
    assert sex(text) == expected


def test_measurements_from_vital_signs_and_units():
    assert measurements("temp 39.5, BP 80/50, HR 130, SpO2 88%") == {
        "temperature_c": 39.5, "systolic_bp": 80, "diastolic_bp": 50, "heart_rate": 130, "spo2": 88}
    assert measurements("体温38度5，血糖2.8")["temperature_c"] == 38.5
    assert measurements("glucose 450 mg/dL")["glucose_mmol"] == 25.0
    assert measurements("fever of 102F")["temperature_c"] == 38.9


@pytest.mark.parametrize("token, value", [("3", 3), ("three", 3), ("twenty five", 25), ("三十五", 35), ("两", 2), ("十", 10), ("半", 0.5)])
def test_numbers_in_digits_words_and_chinese(token, value):
    assert parse_number(token) == value


def test_normalise_full_width_and_traditional():
    assert normalise("ＦＥＶＥＲ　３９度") == "fever 39度"
    assert normalise("頭痛發燒") == "头痛发烧"


def test_language_detection():
    assert detect_language("I have a cough").language == "en"
    assert detect_language("我咳嗽三天了").language == "zh"
    guess = detect_language("我 chest pain 三天")
    assert guess.language == "zh" and guess.mixed
    assert detect_language("У меня болит голова").language == "unsupported"
    assert detect_language("😀😀").language == "empty"


def test_segmentation_keeps_medical_words_and_units_whole():
    tokens = segment("糖化血红蛋白5.6 mmol/L偏高")
    assert "糖化血红蛋白" in tokens and "5.6 mmol/L" in tokens


def test_a_negation_inside_a_gap_phrase_negates_it():
    lex = Lexicon({"lip_swelling": {"en": ["lips ... swollen"], "zh": ["嘴唇...肿"]}})
    assert lex.concepts("嘴唇不肿，喘气正常") == {"lip_swelling": "negated"}
    assert lex.concepts("her lips are not swollen") == {"lip_swelling": "negated"}
    assert lex.concepts("嘴唇有点肿") == {"lip_swelling": "present"}


def test_how_often_is_not_how_long():
    assert duration_days("a dull headache, maybe twice a week") is None
    assert duration_days("每周一次头痛") is None
    assert duration_days("最近两个月大便习惯变了") == 60


def test_negation_scope_stops_at_a_new_subject():
    lex = Lexicon({"plan": {"en": ["looking up ways"], "zh": ["查自杀方法"]}})
    assert lex.concepts("everyone would be better off without me, and I've been looking up ways") == {"plan": "present"}
