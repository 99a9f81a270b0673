"""Finding an analyte from the name, code and unit a report prints; ranges for a person."""

import pytest

from careguide.knowledge.analytes import UnitNotConvertible, load_analytes


@pytest.fixture(scope="module")
def index():
    return load_analytes()


@pytest.mark.parametrize(("printed", "analyte_id"), [
    ("WBC", "wbc"), ("白细胞计数", "wbc"), ("谷丙转氨酶", "alt"), ("ALT", "alt"), ("肌酐", "creatinine"),
    ("糖化血红蛋白", "hba1c"), ("HGB", "hgb"), ("PLT", "plt"), ("AST", "ast"), ("丙氨酸氨基转移酶", "alt"),
    ("γ-谷氨酰转移酶", "ggt"), ("总胆红素", "tbil"), ("尿素氮", "urea"), ("BUN", "urea"), ("尿酸", "uric_acid"),
    ("甘油三酯", "tg"), ("低密度脂蛋白胆固醇", "ldl"), ("促甲状腺激素", "tsh"), ("FT4", "ft4"),
    ("NT-proBNP", "nt_probnp"), ("超敏C反应蛋白", "hs_crp"), ("铁蛋白", "ferritin"), ("CA19-9", "ca199"),
    ("CA199", "ca199"), ("乙肝表面抗原", "hbsag"), ("大便隐血", "fobt"), ("INR", "inr"), ("D-二聚体", "d_dimer"),
    ("25-羟基维生素D", "vitamin_d"), ("Hemoglobin A1c", "hba1c"), ("Creatinine", "creatinine"),
])
def test_common_names_and_abbreviations_are_recognised(index, printed, analyte_id):
    found = index.lookup(printed)
    assert found is not None and found.id == analyte_id


@pytest.mark.parametrize("printed", ["alt", " A L T ", "ＡＬＴ", "Alt", "*ALT", "▲ALT", "谷丙转氨酶(ALT)",
                                     "ALT(谷丙转氨酶)", "丙氨酸氨基转移酶 (ALT)", "谷丙转氨酶（ALT）"])
def test_lookup_ignores_case_width_spacing_marks_and_brackets(index, printed):
    assert index.lookup(printed).id == "alt"


def test_unknown_name_is_not_guessed(index):
    assert index.lookup("flux capacitor level") is None
    assert index.lookup("") is None


@pytest.mark.parametrize(("code", "analyte_id"), [("2345-7", "glucose"), ("2339-0", "glucose"),
                                                  ("38483-4", "creatinine"), ("6690-2", "wbc"),
                                                  ("4548-4", "hba1c"), ("33914-3", "egfr")])
def test_loinc_codes_including_specimen_variants_resolve(index, code, analyte_id):
    assert index.by_loinc[code].id == analyte_id


@pytest.mark.parametrize(("printed", "hints", "analyte_id"), [
    ("GLU", {}, "glucose"),
    ("GLU", {"panel": "urinalysis"}, "urine_glucose"),
    ("GLU", {"qualitative": True}, "urine_glucose"),
    ("PCT", {}, "plateletcrit"),
    ("PCT", {"unit": "ng/mL"}, "procalcitonin"),
    ("WBC", {"unit": "10^9/L"}, "wbc"),
    ("WBC", {"unit": "/uL"}, "urine_wbc_count"),
    ("WBC", {"unit": "个/HP"}, "urine_wbc_hpf"),
    ("白细胞", {"panel": "urinalysis", "qualitative": True}, "urine_leukocyte_esterase"),
    ("RBC", {"unit": "×10¹²/L"}, "rbc"),
    ("中性粒细胞", {"unit": "10^9/L"}, "neut_abs"),
    ("中性粒细胞", {"unit": "%"}, "neut_pct"),
    ("RDW", {"unit": "fL"}, "rdw_sd"),
    ("FBG", {"unit": "g/L"}, "fibrinogen"),
    ("FBG", {"unit": "mmol/L"}, "glucose"),
    ("Tg", {"panel": "thyroid"}, "thyroglobulin"),
    ("TG", {}, "tg"),
])
def test_short_names_shared_between_panels_are_resolved_by_hints(index, printed, hints, analyte_id):
    assert index.lookup(printed, **hints).id == analyte_id


def test_candidates_list_every_reading_of_an_ambiguous_name(index):
    ids = [a.id for a in index.candidates("PCT")]
    assert ids[0] == "plateletcrit" and "procalcitonin" in ids


@pytest.mark.parametrize(("result", "normal"), [("阴性", True), ("Negative", True), ("(-)", True), ("-", True),
                                                ("+", False), ("2+", False), ("阳性", False), ("±", False)])
def test_qualitative_results_are_judged_against_normal_words(index, result, normal):
    assert index.qualitative_is_normal(index.by_id["urine_protein"], result) is normal


def test_quantitative_analyte_has_no_qualitative_normal(index):
    assert index.qualitative_is_normal(index.by_id["wbc"], "阴性") is None


def test_reference_range_by_sex(index):
    hgb = index.by_id["hgb"]
    assert (index.reference_range(hgb, "male").low, index.reference_range(hgb, "male").high) == (130, 175)
    assert (index.reference_range(hgb, "female").low, index.reference_range(hgb, "female").high) == (115, 150)


def test_reference_range_by_age(index):
    creatinine = index.by_id["creatinine"]
    assert index.reference_range(creatinine, "male", 35).high == 97
    assert index.reference_range(creatinine, "male", 70).high == 111


def test_unknown_sex_merges_the_sex_specific_ranges(index):
    merged = index.reference_range(index.by_id["hgb"], None, 40)
    assert (merged.low, merged.high) == (115, 175)
    assert "combined" in (merged.note or "")


def test_adult_only_range_is_not_applied_to_a_child(index):
    assert index.reference_range(index.by_id["alp"], "female", 10) is None


def test_one_sided_range(index):
    ldl = index.reference_range(index.by_id["ldl"], "male", 50)
    assert ldl.low is None and ldl.high == 3.4


def test_assay_specific_unit_fits_but_cannot_be_converted(index):
    lpa = index.by_id["lpa"]
    assert index.unit_fits(lpa, "nmol/L")
    with pytest.raises(UnitNotConvertible) as caught:
        index.convert(lpa, 75, "nmol/L")
    assert "nmol/L" in caught.value.message("en") and "脂蛋白" in caught.value.message("zh")


@pytest.mark.parametrize(("age", "sex", "low"), [(3, "female", 110), (8, "male", 115), (13, None, 120),
                                                 (16, "male", 130), (16, "female", 120), (30, "female", 115)])
def test_children_get_who_anaemia_thresholds_not_adult_haemoglobin_ranges(index, age, sex, low):
    assert index.reference_range(index.by_id["hgb"], sex, age).low == low


@pytest.mark.parametrize(("printed", "unit", "analyte_id"), [
    ("Bilirubin, Total", "mg/dL", "tbil"), ("Carbon Dioxide, Total", "mmol/L", "co2"),
    ("Globulin, Total", "g/dL", "glob"), ("T4,Free(Direct)", "ng/dL", "ft4"),
    ("Vitamin D, 25-Hydroxy", "ng/mL", "vitamin_d"), ("AST (SGOT)", "IU/L", "ast"),
    ("Lymphs", "%", "lymph_pct"), ("Lymphs (Absolute)", "x10E3/uL", "lymph_abs"),
    ("Neutrophils", "x10E3/uL", "neut_abs"), ("LDL Chol Calc (NIH)", "mg/dL", "ldl"),
    ("Albumin/Creatinine Ratio, Urine", "mg/g", "urine_acr"), ("Leukocytes [#/volume] in Blood by Automated count",
                                                              None, "wbc"),
])
def test_english_lab_listing_names(index, printed, unit, analyte_id):
    assert index.lookup(printed, unit=unit).id == analyte_id


def test_a_urine_test_is_never_read_as_its_blood_namesake(index):
    assert index.lookup("Creatinine, Urine", unit="mg/dL") is None
