"""Unit spellings and conversions of the lab-analyte knowledge base."""

import pytest

from careguide.knowledge.analytes import UnitMismatch, load_analytes


@pytest.fixture(scope="module")
def index():
    return load_analytes()


@pytest.mark.parametrize("printed", ["10^9/L", "×10⁹/L", "10*9/L", "10E9/L", "X10E9/L", "x10^9/l", "×109/L", " 10 ^ 9 / L "])
def test_cell_count_unit_spellings_normalise_to_10e9_per_litre(index, printed):
    assert index.normalise_unit(printed) == "10^9/L"


@pytest.mark.parametrize("printed", ["μmol/L", "µmol/L", "umol/L", "UMOL/L", "微摩尔/升", "μmol/l"])
def test_micromole_spellings_normalise(index, printed):
    assert index.normalise_unit(printed) == "umol/L"


@pytest.mark.parametrize(("printed", "canonical"), [
    ("×10¹²/L", "10^12/L"), ("fl", "fL"), ("秒", "s"), ("mg/dl", "mg/dL"), ("u/l", "U/L"),
    ("个/HP", "/HPF"), ("mm/hr", "mm/h"), ("K/uL", "10^3/uL"), ("ｍｍｏｌ／Ｌ", "mmol/L"), ("", ""),
])
def test_other_unit_spellings(index, printed, canonical):
    assert index.normalise_unit(printed) == canonical


def test_unknown_unit_is_cleaned_not_guessed(index):
    assert index.normalise_unit("  furlongs/fortnight ") == "furlongs/fortnight"


def test_us_style_white_count_converts_one_to_one(index):
    wbc = index.by_id["wbc"]
    assert index.convert(wbc, 7.2, "10*3/uL") == pytest.approx(7.2)
    assert index.convert(wbc, 7.2, "×10⁹/L") == pytest.approx(7.2)


def test_haemoglobin_in_grams_per_decilitre_becomes_grams_per_litre(index):
    assert index.convert(index.by_id["hgb"], 13.5, "g/dL") == pytest.approx(135)


def test_missing_unit_is_read_as_canonical(index):
    assert index.convert(index.by_id["plt"], 210, None) == 210
    assert index.convert(index.by_id["plt"], 210, "") == 210


def test_wrong_unit_raises_unit_mismatch_with_message_in_both_languages(index):
    wbc = index.by_id["wbc"]
    with pytest.raises(UnitMismatch) as caught:
        index.convert(wbc, 5.0, "mmol/L")
    assert caught.value.analyte_id == "wbc"
    assert "mmol/L" in caught.value.message("en") and "白细胞计数" in caught.value.message("zh")


@pytest.mark.parametrize(("analyte_id", "value", "unit", "expected"), [
    ("glucose", 100, "mg/dL", 5.55),
    ("creatinine", 1, "mg/dL", 88.4),
    ("tc", 200, "mg/dL", 5.17),
    ("ldl", 130, "mg/dL", 3.36),
    ("tg", 150, "mg/dL", 1.69),
    ("tbil", 1, "mg/dL", 17.1),
    ("uric_acid", 6, "mg/dL", 357),
    ("urea", 14, "mg/dL", 5.0),
    ("calcium", 10, "mg/dL", 2.50),
    ("iron", 100, "ug/dL", 17.9),
    ("ft4", 1.2, "ng/dL", 15.4),
    ("testosterone", 500, "ng/dL", 17.3),
    ("vitamin_d", 50, "nmol/L", 20.0),
    ("vitamin_b12", 400, "pg/mL", 295),
    ("hba1c", 48, "mmol/mol", 6.54),
    ("insulin", 60, "pmol/L", 10.0),
    ("alt", 1, "ukat/L", 60),
    ("tsh", 2.5, "mIU/L", 2.5),
    ("hgb", 8.7, "mmol/L", 140),
    ("potassium", 4.0, "mEq/L", 4.0),
    ("calcium", 5.0, "mEq/L", 2.5),
    ("urine_acr", 3, "mg/mmol", 26.5),
])
def test_conversions_match_textbook_factors(index, analyte_id, value, unit, expected):
    assert index.convert(index.by_id[analyte_id], value, unit) == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize(("analyte_id", "unit"), [("glucose", "10^9/L"), ("plt", "%"), ("alt", "mmol/L"),
                                                  ("hba1c", "mg/dL"), ("lpa", "U/L"), ("sodium", "U/L")])
def test_units_of_another_kind_raise(index, analyte_id, unit):
    with pytest.raises(UnitMismatch):
        index.convert(index.by_id[analyte_id], 1.0, unit)


@pytest.mark.parametrize(("printed", "canonical"), [
    ("μIU/mL", "uIU/mL"), ("µIU/ml", "uIU/mL"), ("mIU/l", "mIU/L"), ("μg/L", "ug/L"), ("IU/ml", "IU/mL"),
    ("s/co", "S/CO"), ("/LP", "/LPF"), ("个/μL", "/uL"), ("cells/uL", "/uL"), ("mL/min/1.73m²", "mL/min/1.73m^2"),
    ("ml/min/1.73㎡", "mL/min/1.73m^2"), ("10³/μL", "10^3/uL"), ("×10⁶/μL", "10^6/uL"), ("x10E12/L", "10^12/L"),
    ("％", "%"), ("mg/L FEU", "mg/L"), ("μg/mL(FEU)", "ug/mL"), ("拷贝/mL", "copies/mL"), ("meq/l", "mEq/L"),
])
def test_unit_spellings_seen_on_chinese_and_english_reports(index, printed, canonical):
    assert index.normalise_unit(printed) == canonical


def test_d_dimer_in_ng_per_ml_feu_converts_to_mg_per_l(index):
    assert index.convert(index.by_id["d_dimer"], 550, "ng/mL FEU") == pytest.approx(0.55)


def test_d_dimer_in_ddu_is_not_silently_treated_as_feu(index):
    with pytest.raises(UnitMismatch):
        index.convert(index.by_id["d_dimer"], 250, "ng/mL DDU")
