"""The grammar of printed cells: values, ranges, flags, unit spellings."""

import pytest

from careguide.reports.fields import (
    looks_like_unit,
    normalise_unit_spelling,
    parse_flag,
    parse_range,
    parse_value,
)
from careguide.reports.models import Flag


@pytest.mark.parametrize(
    ("text", "number", "comparator"),
    [("<0.5", 0.5, "<"), (">1000", 1000.0, ">"), ("1.2E3", 1200.0, None), ("≤40", 40.0, "<="), ("5.40", 5.4, None),
     ("-2.5", -2.5, None)],
)
def test_numeric_values_keep_their_comparator(text, number, comparator):
    value, _ = parse_value(text)
    assert value.number == number
    assert value.comparator == comparator


@pytest.mark.parametrize(
    ("text", "word"),
    [("阴性", "negative"), ("阴性(-)", "negative"), ("阳性", "positive"), ("+", "1+"), ("++", "2+"), ("+++", "3+"),
     ("negative", "negative"), ("Negative", "negative"), ("trace", "trace"), ("±", "trace"), ("弱阳性(±)", "trace"),
     ("阳性(++)", "2+"), ("-", "negative"), ("微量", "trace")],
)
def test_qualitative_values_are_normalised(text, word):
    value, _ = parse_value(text)
    assert value.qualitative == word
    assert value.number is None


@pytest.mark.parametrize(("text", "flag"), [("6.5↑", Flag.HIGH), ("3.1↓", Flag.LOW), ("12.0H", Flag.HIGH),
                                             ("↑7.2", Flag.HIGH), ("8.8*", Flag.ABNORMAL), ("1.0(L)", Flag.LOW)])
def test_flags_glued_to_values_are_split_off(text, flag):
    value, glued = parse_value(text)
    assert value.number is not None
    assert glued is flag


@pytest.mark.parametrize(("text", "flag"), [("H", Flag.HIGH), ("L", Flag.LOW), ("↑", Flag.HIGH), ("↓", Flag.LOW),
                                             ("*", Flag.ABNORMAL), ("偏高", Flag.HIGH), ("偏低", Flag.LOW),
                                             ("HH", Flag.CRITICAL_HIGH), ("N", Flag.NORMAL)])
def test_flag_words(text, flag):
    assert parse_flag(text) is flag


def test_words_that_are_not_values_are_rejected():
    for text in ("WBC", "mmol/L", "45岁", "2024-01-05", ""):
        assert parse_value(text) is None


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("3.5-5.5", 3.5, 5.5), ("3.5～5.5", 3.5, 5.5), ("3.5--5.5", 3.5, 5.5), ("3.5 - 5.5", 3.5, 5.5),
     ("3.5~5.5", 3.5, 5.5), ("3.5 to 5.5", 3.5, 5.5), ("<5.2", None, 5.2), ("≤40", None, 40.0), (">1.04", 1.04, None),
     ("0-10.0", 0.0, 10.0), ("(3.5-5.5)", 3.5, 5.5), ("-2.0-3.0", -2.0, 3.0)],
)
def test_range_formats(text, low, high):
    parsed = parse_range(text)
    assert (parsed.low, parsed.high) == (low, high)
    assert not parsed.inverted


def test_inverted_range_is_detected():
    parsed = parse_range("46-38")
    assert parsed.inverted
    assert (parsed.low, parsed.high) == (46.0, 38.0)


def test_by_sex_range_picks_the_persons_sex_or_spans_both():
    text = "男:130-175 女:115-150"
    assert (parse_range(text, sex="male").low, parse_range(text, sex="male").high) == (130.0, 175.0)
    assert (parse_range(text, sex="female").low, parse_range(text, sex="female").high) == (115.0, 150.0)
    both = parse_range(text)
    assert (both.low, both.high) == (115.0, 175.0)
    english = parse_range("M:13.0-17.0; F:12.0-15.5", sex="female")
    assert (english.low, english.high) == (12.0, 15.5)


def test_qualitative_range():
    assert parse_range("阴性").qualitative == "negative"
    assert parse_range("Negative").qualitative == "negative"


@pytest.mark.parametrize(
    ("printed", "normal"),
    [("×10⁹/L", "10^9/L"), ("X10E9/L", "10^9/L"), ("10*9/L", "10^9/L"), ("x10^9/L", "10^9/L"), ("μmol/L", "umol/L"),
     ("µmol/L", "umol/L"), ("mmol/l", "mmol/L"), ("×109/L", "10^9/L"), ("fl", "fL"), ("K/uL", "10^3/uL"), ("mmol/I", "mmol/L"), ("秒", "s")],
)
def test_unit_spellings(printed, normal):
    assert normalise_unit_spelling(printed) == normal
    assert looks_like_unit(printed)


def test_non_units_are_not_units():
    for text in ("WBC", "阴性", "5.4", "Glucose", "H"):
        assert not looks_like_unit(text)
