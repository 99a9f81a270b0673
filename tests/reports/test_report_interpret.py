"""Judging rows: printed range first, knowledge base second, critical values first, nothing dropped."""

from careguide.reports.interpret import interpret
from careguide.reports.models import Flag
from careguide.reports.parse import parse_document
from careguide.reports.text import extract_text


def explain(text: str, lang: str = "en", **kwargs):
    return interpret(parse_document(extract_text(text)), lang, **kwargs)


def test_potassium_above_critical_limit_puts_an_urgent_banner_first():
    report = explain("Sodium 140 mmol/L 136-145\nPotassium 6.8 mmol/L 3.5-5.1\n")
    assert report.banner is not None and report.banner.startswith("URGENT")
    assert [r.name for r in report.critical] == ["Potassium"]
    assert report.critical[0].flag is Flag.CRITICAL_HIGH
    assert report.explanations[0].startswith("Potassium")
    assert report.departments[0] == "Emergency Department"


def test_critical_low_glucose_in_mg_dl_is_converted_before_the_critical_check():
    report = explain("Glucose 45 mg/dL 70-99\n")  # 45 mg/dL = 2.5 mmol/L, below the 2.8 mmol/L limit
    assert report.results[0].flag is Flag.CRITICAL_LOW
    assert report.results[0].canonical_value is not None and abs(report.results[0].canonical_value - 2.5) < 0.05


def test_haemoglobin_55_g_l_is_critical_in_chinese_too():
    report = explain("血红蛋白 HGB 55 g/L 130-175\n", "zh")
    assert report.banner is not None and report.banner.startswith("紧急")
    assert report.results[0].flag is Flag.CRITICAL_LOW


def test_printed_range_wins_over_the_knowledge_base():
    report = explain("ALT 45 U/L 0-40\n")  # knowledge base adult range reaches 50 U/L for men
    result = report.results[0]
    assert (result.flag, result.range_source, result.range_high) == (Flag.HIGH, "report", 40.0)


def test_knowledge_base_range_is_used_when_none_is_printed_and_shown_in_the_printed_unit():
    report = explain("性别：男\n血红蛋白 HGB 11.0 g/dL\n", "zh")
    result = report.results[0]
    assert result.range_source == "knowledge"
    assert result.flag is Flag.LOW  # 110 g/L is below the male range of 130 g/L
    assert abs(result.range_low - 13.0) < 0.01


def test_inverted_printed_range_is_reported_and_not_used():
    report = explain("Hematocrit 43 % 46-38\n")
    result = report.results[0]
    assert result.range_source == "knowledge"
    assert any("lower limit above its upper limit" in p for p in result.problems)
    assert report.warnings


def test_unrecognised_row_is_kept_and_marked():
    report = explain("WBC 6.0 10^9/L 3.5-9.5\nZorblax factor 12 U/mL 0-20\n")
    assert len(report.results) == 2
    assert [r.printed_name for r in report.unrecognised] == ["Zorblax factor"]
    assert report.unrecognised[0].loinc is None
    assert report.unrecognised[0].flag is Flag.NORMAL  # still judged against its printed range
    assert "not recognised" in report.summary


def test_negative_count_is_not_interpreted():
    report = explain("WBC -3.2 10^9/L 3.5-9.5\n")
    result = report.results[0]
    assert result.flag is Flag.UNKNOWN
    assert any("cannot be right" in p for p in result.problems)


def test_unit_that_does_not_fit_the_analyte_is_reported():
    report = explain("Potassium 4.1 10^9/L\n")  # a cell count unit for an electrolyte
    result = report.results[0]
    assert result.flag is Flag.UNKNOWN
    assert result.problems


def test_positive_urine_protein_is_abnormal_and_negative_is_normal():
    report = explain("尿蛋白 PRO 阳性(++) 阴性\n尿糖 GLU 阴性 阴性\n", "zh")
    assert [r.flag for r in report.results] == [Flag.ABNORMAL, Flag.NORMAL]


def test_values_below_detection_limit_are_normal_against_an_upper_limit():
    report = explain("CRP <0.5 mg/L 0-10\n")
    assert report.results[0].flag is Flag.NORMAL


def test_summary_counts_abnormal_values_and_names_them():
    report = explain("ALT 80 U/L 9-50\nAST 60 U/L 15-40\nSodium 140 mmol/L 136-145\nPotassium 4.0 mmol/L 3.5-5.1\n")
    assert report.summary.startswith("2 of 4 values outside the reference range")
    assert "high" in report.summary
    assert report.questions and report.next_steps
    assert report.departments


def test_all_normal_report_says_so_and_still_gives_next_steps():
    report = explain("Sodium 140 mmol/L 136-145\n", "zh")
    assert report.banner is None
    assert "均在参考范围内" in report.summary
    assert report.next_steps
    assert report.disclaimer


def test_explanations_never_state_a_diagnosis_as_fact():
    report = explain("Glucose 9.8 mmol/L 3.9-6.1\nHbA1c 7.9 % 4.0-6.0\n")
    text = " ".join(report.explanations).lower()
    assert "you have diabetes" not in text
    assert report.next_steps


def test_value_far_beyond_anything_human_asks_to_check_the_unit_but_keeps_the_flag():
    report = explain("Potassium 4.1 g/L\n")  # grams, not millimoles: 105 mmol/L after conversion
    result = report.results[0]
    assert result.flag is Flag.CRITICAL_HIGH  # never hidden
    assert any("check that the value and the unit" in p for p in result.problems)


def test_lab_flag_stands_when_the_lab_printed_no_range():
    report = explain("ALT 48 H U/L\n")  # within the knowledge base's 9-50, but the lab said high
    assert report.results[0].flag is Flag.HIGH
