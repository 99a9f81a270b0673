"""Trends compare the same LOINC code across reports after unit conversion."""

from datetime import date

from careguide.reports.interpret import interpret
from careguide.reports.parse import parse_document
from careguide.reports.text import extract_text
from careguide.reports.trend import EarlierResult, describe_trends


def test_glucose_in_mg_dl_then_mmol_l_is_compared_in_one_unit():
    report = interpret(parse_document(extract_text("Glucose 7.2 mmol/L 3.9-6.1\n")), "en")
    earlier = [EarlierResult(loinc="2345-7", value=99, unit="mg/dL", when=date(2023, 1, 5))]
    trends = describe_trends(report.results, earlier, "en", when=date(2024, 1, 5))
    assert len(trends) == 1
    trend = trends[0]
    assert trend.direction == "rising"
    assert abs(trend.points[0].value - 5.5) < 0.05
    assert "risen" in trend.text and "2023-01-05" in trend.text


def test_small_changes_are_stable_and_other_codes_are_ignored():
    report = interpret(parse_document(extract_text("钾 K 4.1 mmol/L 3.5-5.3\n")), "zh")
    earlier = [EarlierResult(loinc="2823-3", value=4.0, unit="mmol/L"),
               EarlierResult(loinc="2951-2", value=140, unit="mmol/L")]
    trends = describe_trends(report.results, earlier, "zh")
    assert [t.direction for t in trends] == ["stable"]
    assert "大致相同" in trends[0].text


def test_earlier_value_in_a_unit_that_does_not_fit_is_skipped():
    report = interpret(parse_document(extract_text("Potassium 4.1 mmol/L 3.5-5.1\n")), "en")
    trends = describe_trends(report.results, [EarlierResult(loinc="2823-3", value=4.0, unit="fL")], "en")
    assert trends == []
