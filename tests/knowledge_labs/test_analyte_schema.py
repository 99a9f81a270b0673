"""The lab-analyte knowledge base as data: complete, consistent, bilingual and sourced."""

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from careguide.knowledge.analytes import LABS_DIR, Analyte, Text, load_analytes, loinc_check_digit_ok

DEPARTMENTS_YAML = Path(LABS_DIR).parent / "departments.yaml"
# The shared taxonomy, used only if departments.yaml is absent.
TAXONOMY = """emergency general_practice cardiology respiratory gastroenterology neurology endocrinology
nephrology rheumatology hematology infectious_disease general_surgery hepatobiliary_surgery anorectal_surgery
breast_surgery vascular_surgery orthopedics urology andrology neurosurgery thoracic_surgery cardiac_surgery
burns_plastic gynecology obstetrics pediatrics neonatology ophthalmology ent stomatology dermatology psychiatry
oncology rehabilitation geriatrics nutrition pain_medicine sleep_medicine allergy tcm occupational_toxicology""".split()
CJK = re.compile(r"[\u4e00-\u9fff]")
PANELS_REQUIRED = {"cbc", "liver", "kidney", "electrolytes", "glucose", "lipids", "thyroid", "urinalysis",
                   "coagulation", "cardiac", "inflammation", "iron", "vitamins", "hormones", "tumour_markers",
                   "serology", "stool", "immunology"}


@pytest.fixture(scope="module")
def index():
    return load_analytes()


def department_ids() -> set[str]:
    if DEPARTMENTS_YAML.exists():
        return {entry["id"] for entry in yaml.safe_load(DEPARTMENTS_YAML.read_text(encoding="utf-8"))}
    return set(TAXONOMY)


def texts_of(analyte: Analyte) -> list[tuple[str, Text]]:
    return [(field, value) for field, value in analyte if isinstance(value, Text)]


def test_at_least_150_analytes_load(index):
    assert len(index.analytes) >= 150


def test_every_required_panel_is_covered(index):
    panels = Counter(a.panel for a in index.analytes)
    assert PANELS_REQUIRED <= set(panels), PANELS_REQUIRED - set(panels)
    assert panels["cbc"] >= 20 and panels["urinalysis"] >= 12


def test_ids_are_unique(index):
    counts = Counter(a.id for a in index.analytes)
    assert [i for i, n in counts.items() if n > 1] == []


def test_loinc_codes_are_unique_across_primary_and_alternative_codes(index):
    counts = Counter(code for a in index.analytes for code in a.all_loinc)
    assert [c for c, n in counts.items() if n > 1] == []


@pytest.mark.parametrize(("code", "valid"), [("2345-7", True), ("6690-2", True), ("718-7", True),
                                               ("2345-8", False), ("53060-9", False), ("abc-1", False)])
def test_loinc_check_digit(code, valid):
    assert loinc_check_digit_ok(code) is valid


def test_primary_aliases_never_point_to_two_analytes(index):
    from careguide.knowledge.analytes import name_key

    owner: dict[str, str] = {}
    clashes = []
    for analyte in index.analytes:
        for alias in {analyte.id, analyte.name.en, analyte.name.zh, *analyte.aliases}:
            key = name_key(alias)
            if owner.setdefault(key, analyte.id) != analyte.id:
                clashes.append((alias, analyte.id, owner[key]))
    assert clashes == []


def test_every_text_has_english_and_chinese(index):
    for analyte in index.analytes:
        for field, text in texts_of(analyte):
            assert CJK.search(text.zh), f"{analyte.id}.{field}.zh has no Chinese"
            assert not CJK.search(text.en), f"{analyte.id}.{field}.en contains Chinese"


def test_names_have_aliases_in_both_languages(index):
    for analyte in index.analytes:
        names = analyte.aliases + [analyte.name.zh, analyte.name.en]
        assert any(CJK.search(n) for n in names) and any(not CJK.search(n) for n in names), analyte.id


def test_every_range_and_critical_limit_has_a_source(index):
    for analyte in index.analytes:
        assert analyte.sources, analyte.id
        for ref in analyte.ranges:
            assert len(ref.source) > 5, analyte.id
        if analyte.critical_low is not None or analyte.critical_high is not None:
            assert analyte.critical_source, analyte.id


def test_quantitative_analytes_have_ranges_and_qualitative_ones_have_normal_results(index):
    for analyte in index.analytes:
        if analyte.kind == "quantitative":
            assert analyte.ranges, analyte.id
        else:
            assert analyte.normal_qualitative, analyte.id


def test_critical_limits_lie_outside_every_reference_range(index):
    for analyte in index.analytes:
        for ref in analyte.ranges:
            if analyte.critical_low is not None and ref.low is not None:
                assert analyte.critical_low < ref.low, analyte.id
            if analyte.critical_high is not None and ref.high is not None:
                assert analyte.critical_high > ref.high, analyte.id


def test_every_abnormal_direction_has_a_meaning_and_a_next_step(index):
    for analyte in index.analytes:
        if analyte.panel == "blood_group":  # a type, never abnormal
            continue
        can_be_high = analyte.kind == "qualitative" or any(r.high is not None for r in analyte.ranges)
        can_be_low = any(r.low not in (None, 0) for r in analyte.ranges)
        if can_be_high:
            assert analyte.meaning_high and analyte.next_steps_high, f"{analyte.id}: high/abnormal"
        if can_be_low:
            assert analyte.meaning_low and analyte.next_steps_low, f"{analyte.id}: low"


def test_meanings_do_not_state_a_diagnosis_as_fact(index):
    forbidden_en = re.compile(r"(?<!if )\b(you have|you are suffering|this confirms|diagnosis of)\b", re.IGNORECASE)
    forbidden_zh = re.compile(r"(你患有|您患有|确诊为|确诊|肯定是)")
    for analyte in index.analytes:
        for field in ("meaning_high", "meaning_low"):
            text = getattr(analyte, field)
            if text is None:
                continue
            assert not forbidden_en.search(text.en), f"{analyte.id}.{field}"
            assert not forbidden_zh.search(text.zh), f"{analyte.id}.{field}"


def test_every_department_is_in_the_shared_taxonomy(index):
    known = department_ids()
    assert {a.department for a in index.analytes} <= known


def test_written_conversion_factors_agree_with_the_unit_tables(index):
    """A factor written in the YAML must match the one the molecular weight and unit tables
    give, wherever both exist (catches a mistyped factor or molecular weight)."""
    checked = 0
    for path in Path(LABS_DIR).glob("[!_]*.yaml"):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["analytes"]:
            analyte = index.by_id[entry["id"]]
            for unit, factor in (entry.get("conversions") or {}).items():
                derived = index.derived_factor(analyte, unit)
                if derived is not None:
                    checked += 1
                    assert derived == pytest.approx(factor, rel=0.01), (analyte.id, unit)
    assert checked >= 5


def test_a_broken_entry_is_rejected_with_its_file_and_id(tmp_path):
    shutil.copy(Path(LABS_DIR) / "_units.yaml", tmp_path / "_units.yaml")
    entry = yaml.safe_load((Path(LABS_DIR) / "cbc.yaml").read_text(encoding="utf-8"))["analytes"][0]
    entry["loinc"] = "6690-3"  # wrong check digit
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump({"analytes": [entry]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=r"(?s)bad\.yaml: analyte wbc: .*check digit"):
        load_analytes.__wrapped__(str(tmp_path))


def test_a_range_without_a_source_is_rejected(tmp_path):
    shutil.copy(Path(LABS_DIR) / "_units.yaml", tmp_path / "_units.yaml")
    entry = yaml.safe_load((Path(LABS_DIR) / "cbc.yaml").read_text(encoding="utf-8"))["analytes"][0]
    entry["ranges"] = [{"low": 3.5, "high": 9.5}]
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump({"analytes": [entry]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="source"):
        load_analytes.__wrapped__(str(tmp_path))


def test_every_alias_finds_its_own_analyte(index):
    for analyte in index.analytes:
        for alias in analyte.aliases:
            assert index.lookup(alias).id == analyte.id, (alias, analyte.id)
        for alias in analyte.context_aliases:
            hinted = index.lookup(alias, panel=analyte.panel, specimen=analyte.specimen, unit=analyte.unit or None,
                                  qualitative=analyte.kind == "qualitative")
            assert hinted.id == analyte.id, (alias, analyte.id)


def test_canonical_units_are_spelled_canonically(index):
    for analyte in index.analytes:
        assert index.normalise_unit(analyte.unit) == analyte.unit, analyte.id
        assert analyte.unit not in analyte.conversions, analyte.id
