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
