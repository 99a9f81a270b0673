"""Text is read aloud the way people say it: numbers, units, dates, blood pressures, phone numbers."""

from careguide.voice import for_speech
from careguide.voice.number_words import en_integer, en_ordinal, zh_integer


def test_blood_pressure_is_read_as_over_in_english():
    assert for_speech("BP 120/80", "en") == "blood pressure one hundred and twenty over eighty"


def test_blood_pressure_is_read_as_high_and_low_pressure_in_chinese():
    assert for_speech("血压120/80", "zh") == "血压高压一百二十，低压八十"
    assert for_speech("135/85 mmHg", "zh") == "高压一百三十五，低压八十五毫米汞柱"


def test_a_fraction_outside_blood_pressure_ranges_is_not_a_blood_pressure():
    assert "over" not in for_speech("1/2", "en")
    assert "高压" not in for_speech("80/120", "zh")


def test_lab_units_and_reference_ranges_are_spoken_in_words():
    assert for_speech("Glucose 5.6 mmol/L (3.9-6.1 mmol/L)", "en") == (
        "Glucose five point six millimoles per litre (three point nine to six point one millimoles per litre)")
    assert for_speech("空腹血糖5.6 mmol/L，参考范围3.9-6.1 mmol/L", "zh") == (
        "空腹血糖五点六毫摩尔每升，参考范围三点九到六点一毫摩尔每升")


def test_one_takes_the_singular_unit():
    assert for_speech("1 mg", "en") == "one milligram"
    assert for_speech("2 mg", "en") == "two milligrams"


def test_percent_comes_first_in_chinese():
    assert for_speech("糖化血红蛋白6.5%", "zh") == "糖化血红蛋白百分之六点五"
    assert for_speech("HbA1c 6.5%", "en") == "H B A one C six point five percent"


def test_dates_and_times():
    assert for_speech("on 2024-03-05 at 08:30", "en") == "on March fifth, twenty twenty-four at eight thirty"
    assert for_speech("2024年3月5日上午8:30复诊", "zh") == "二零二四年三月五日上午八点三十分复诊"
    assert for_speech("2:00吃药", "zh") == "两点吃药"


def test_emergency_and_phone_numbers_are_read_digit_by_digit():
    assert for_speech("Call 911 now", "en") == "Call nine one one now"
    assert for_speech("马上拨打120", "zh") == "马上拨打幺二零"
    assert for_speech("13812345678", "zh") == "幺三八幺二三四五六七八"


def test_two_before_a_measure_word_is_liang():
    assert for_speech("每天吃2片", "zh") == "每天吃两片"
    assert for_speech("体温38.5℃，已经3天了", "zh") == "体温三十八点五摄氏度，已经三天了"


def test_number_words():
    assert en_integer(1005) == "one thousand and five"
    assert en_ordinal(21) == "twenty-first"
    assert [zh_integer(n) for n in (10, 15, 105, 110, 10010)] == ["十", "十五", "一百零五", "一百一十", "一万零一十"]
