"""Schema checks for the team's own evaluation files in `evals/`.

These files are the yardstick for triage, routing and the safety layer, so a
malformed line, a duplicated id or a gold label outside the allowed scale would
silently skew every figure computed from them.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EVALS = ROOT / "evals"
DEPARTMENTS_YAML = ROOT / "src" / "careguide" / "knowledge" / "data" / "departments.yaml"

# The shared department taxonomy (/tmp/departments.md), used only until the
# knowledge base's departments.yaml exists.
FALLBACK_DEPARTMENT_IDS = frozenset(
    """
    emergency general_practice cardiology respiratory gastroenterology neurology endocrinology
    nephrology rheumatology hematology infectious_disease general_surgery hepatobiliary_surgery
    anorectal_surgery breast_surgery vascular_surgery orthopedics urology andrology neurosurgery
    thoracic_surgery cardiac_surgery burns_plastic gynecology obstetrics pediatrics neonatology
    ophthalmology ent stomatology dermatology psychiatry oncology rehabilitation geriatrics
    nutrition pain_medicine sleep_medicine allergy tcm occupational_toxicology
    """.split()
)

# Every chief-complaint protocol named in issue 3 ("Symptom triage"), in its order.
ISSUE3_PROTOCOLS = (
    "chest_pain", "shortness_of_breath", "palpitations", "fainting", "stroke_signs", "headache",
    "dizziness", "confusion", "seizure", "fever_adult", "fever_child", "fever_infant", "cough",
    "sore_throat", "ear_pain", "eye_problem", "toothache", "abdominal_pain", "vomiting", "diarrhoea",
    "constipation", "gi_bleeding", "urinary_symptoms", "haematuria", "back_pain", "joint_pain",
    "leg_swelling", "rash", "itching", "allergic_reaction", "bites", "burns", "cuts", "head_injury",
    "elderly_fall", "poisoning_overdose", "pregnancy_problem", "vaginal_bleeding_discharge",
    "testicular_pain", "suicidal_thoughts", "anxiety_panic", "low_mood", "insomnia", "fatigue",
    "weight_loss", "high_blood_pressure", "blood_sugar", "medication_side_effects",
)  # fmt: skip

TRIAGE5_TO_3 = {
    "ambulance": "emergency",
    "emergency": "emergency",
    "urgent": "non_emergency",
    "routine": "non_emergency",
    "self_care": "self_care",
}
LANGUAGES = {"zh", "en"}
INTENTS = (
    "health_question", "symptoms", "lab_report", "my_record", "booking", "claim_check", "app_help",
    "out_of_scope", "emergency", "diagnosis_request", "prescription_request",
)  # fmt: skip
SAFETY_EXPECTED = (
    "emergency", "self_harm", "refuse_diagnosis", "refuse_prescription", "refuse_dose_change",
    "answer", "answer_with_correction",
)  # fmt: skip

TRIAGE_FILE = EVALS / "triage_cases.jsonl"
ROUTING_FILE = EVALS / "routing_messages.jsonl"
SAFETY_FILE = EVALS / "safety_prompts.jsonl"

MIN_ROWS = {TRIAGE_FILE.name: 160, ROUTING_FILE.name: 300, SAFETY_FILE.name: 300}
REQUIRED_STR_FIELDS = {
    TRIAGE_FILE.name: (
        "id", "text", "language", "sex", "gold_triage3", "gold_triage", "gold_department", "protocol", "source",
    ),
    ROUTING_FILE.name: ("id", "language", "text", "intent"),
    SAFETY_FILE.name: ("id", "language", "text", "category", "expected", "note"),
}  # fmt: skip
ALL_FILES = (TRIAGE_FILE, ROUTING_FILE, SAFETY_FILE)


def department_ids() -> frozenset[str]:
    if not DEPARTMENTS_YAML.exists():
        return FALLBACK_DEPARTMENT_IDS
    entries = yaml.safe_load(DEPARTMENTS_YAML.read_text(encoding="utf-8"))
    return frozenset(entry["id"] for entry in entries)


def read_rows(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{path.name}:{number} is an empty line"
        row = json.loads(line)
        assert isinstance(row, dict), f"{path.name}:{number} is not a JSON object"
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def triage_rows() -> list[dict[str, Any]]:
    return read_rows(TRIAGE_FILE)


@pytest.fixture(scope="module")
def routing_rows() -> list[dict[str, Any]]:
    return read_rows(ROUTING_FILE)


@pytest.fixture(scope="module")
def safety_rows() -> list[dict[str, Any]]:
    return read_rows(SAFETY_FILE)


# --- every file ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_every_line_is_a_json_object_with_the_required_text_fields(path: Path) -> None:
    for row in read_rows(path):
        for field in REQUIRED_STR_FIELDS[path.name]:
            value = row.get(field)
            assert isinstance(value, str) and value.strip(), f"{path.name} {row.get('id')}: bad {field!r}"
        assert row["language"] in LANGUAGES, f"{path.name} {row['id']}: language {row['language']!r}"


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_ids_and_texts_are_unique(path: Path) -> None:
    rows = read_rows(path)
    ids = Counter(row["id"] for row in rows)
    assert [i for i, n in ids.items() if n > 1] == []
    texts = Counter(row["text"].strip().lower() for row in rows)
    assert [t for t, n in texts.items() if n > 1] == []


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_file_has_at_least_the_stated_number_of_rows(path: Path) -> None:
    assert len(read_rows(path)) >= MIN_ROWS[path.name]


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_half_of_each_file_is_chinese(path: Path) -> None:
    rows = read_rows(path)
    share = sum(row["language"] == "zh" for row in rows) / len(rows)
    assert 0.4 <= share <= 0.6, f"{path.name}: {share:.0%} zh"


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_chinese_rows_are_written_in_chinese_and_english_rows_in_english(path: Path) -> None:
    for row in read_rows(path):
        has_han = any("\u4e00" <= ch <= "\u9fff" for ch in row["text"])
        if row["language"] == "zh":
            assert has_han, f"{path.name} {row['id']}: labelled zh without Chinese characters"


def test_readme_counts_are_the_ones_stats_py_renders() -> None:
    spec = importlib.util.spec_from_file_location("evals_stats", EVALS / "stats.py")
    assert spec is not None and spec.loader is not None
    stats = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stats)
    assert stats.readme_block() == stats.render().strip(), "run: python evals/stats.py --write"


# --- triage cases ----------------------------------------------------------------------------


def test_triage_gold_labels_use_the_allowed_scales(triage_rows: list[dict[str, Any]]) -> None:
    for row in triage_rows:
        assert row["gold_triage"] in TRIAGE5_TO_3, row["id"]
        assert row["gold_triage3"] in set(TRIAGE5_TO_3.values()), row["id"]


def test_triage_three_level_gold_agrees_with_five_level_gold(triage_rows: list[dict[str, Any]]) -> None:
    wrong = [r["id"] for r in triage_rows if TRIAGE5_TO_3[r["gold_triage"]] != r["gold_triage3"]]
    assert wrong == []


def test_triage_age_and_sex_are_plausible(triage_rows: list[dict[str, Any]]) -> None:
    for row in triage_rows:
        age = row["age"]
        assert isinstance(age, int | float) and not isinstance(age, bool), row["id"]
        assert 0 <= age <= 110, row["id"]
        assert row["sex"] in {"F", "M"}, row["id"]


def test_triage_gold_department_is_a_known_department_id(triage_rows: list[dict[str, Any]]) -> None:
    known = department_ids()
    unknown = sorted({r["gold_department"] for r in triage_rows} - known)
    assert unknown == []


def test_triage_covers_every_protocol_of_issue_3(triage_rows: list[dict[str, Any]]) -> None:
    used = {row["protocol"] for row in triage_rows}
    assert sorted(set(ISSUE3_PROTOCOLS) - used) == []
    assert sorted(used - set(ISSUE3_PROTOCOLS)) == []


def test_triage_covers_every_disposition_in_both_languages(triage_rows: list[dict[str, Any]]) -> None:
    for language in LANGUAGES:
        levels = {r["gold_triage"] for r in triage_rows if r["language"] == language}
        assert levels == set(TRIAGE5_TO_3), language


def test_triage_mix_resembles_published_vignette_sets(triage_rows: list[dict[str, Any]]) -> None:
    # Roughly 30% emergency / 40% non-emergency / 30% self-care, as in Semigran et al. (BMJ 2015).
    shares = Counter(r["gold_triage3"] for r in triage_rows)
    total = len(triage_rows)
    assert 0.2 <= shares["emergency"] / total <= 0.4
    assert 0.3 <= shares["non_emergency"] / total <= 0.5
    assert 0.2 <= shares["self_care"] / total <= 0.4


def test_triage_has_both_styles_and_mixed_language_text(triage_rows: list[dict[str, Any]]) -> None:
    clinician = [r for r in triage_rows if re.search(r"\d+-year-old|\d+岁(男|女)性", r["text"])]
    mixed = [r for r in triage_rows if r["language"] == "zh" and re.search(r"[A-Za-z]{3,}", r["text"])]
    assert len(clinician) >= 20
    assert len(mixed) >= 5


def test_pregnancy_and_infant_cases_name_age_and_sex_consistently(triage_rows: list[dict[str, Any]]) -> None:
    for row in triage_rows:
        if row["protocol"] in {"pregnancy_problem", "vaginal_bleeding_discharge"}:
            assert row["sex"] == "F", row["id"]
        if row["protocol"] == "testicular_pain":
            assert row["sex"] == "M", row["id"]
        if row["protocol"] == "fever_infant":
            assert row["age"] < 0.25, row["id"]  # under 3 months
        if row["protocol"] == "fever_child":
            assert 0.25 <= row["age"] < 18, row["id"]


# --- routing messages ------------------------------------------------------------------------


def test_routing_intents_are_allowed(routing_rows: list[dict[str, Any]]) -> None:
    assert sorted({r["intent"] for r in routing_rows} - set(INTENTS)) == []


def test_routing_is_balanced_across_intents_and_languages(routing_rows: list[dict[str, Any]]) -> None:
    per_intent = Counter(r["intent"] for r in routing_rows)
    fair_share = len(routing_rows) / len(INTENTS)
    for intent in INTENTS:
        assert per_intent[intent] >= 0.7 * fair_share, (intent, per_intent[intent])
        for language in LANGUAGES:
            n = sum(r["intent"] == intent and r["language"] == language for r in routing_rows)
            assert n >= 10, (intent, language, n)


# --- safety prompts --------------------------------------------------------------------------


def test_safety_expected_behaviours_are_allowed(safety_rows: list[dict[str, Any]]) -> None:
    assert sorted({r["expected"] for r in safety_rows} - set(SAFETY_EXPECTED)) == []


def test_safety_covers_every_behaviour_in_both_languages(safety_rows: list[dict[str, Any]]) -> None:
    for expected in SAFETY_EXPECTED:
        for language in LANGUAGES:
            n = sum(r["expected"] == expected and r["language"] == language for r in safety_rows)
            assert n >= 8, (expected, language, n)


def test_safety_has_benign_controls_that_must_not_be_refused(safety_rows: list[dict[str, Any]]) -> None:
    answered = sum(r["expected"] in {"answer", "answer_with_correction"} for r in safety_rows)
    assert answered / len(safety_rows) >= 0.2


def test_safety_covers_the_attack_categories_of_issue_6(safety_rows: list[dict[str, Any]]) -> None:
    categories = {r["category"] for r in safety_rows}
    required = {
        "indirect_emergency", "self_harm", "dose_request", "stop_medicine", "diagnosis_demand",
        "jailbreak", "prompt_injection", "misinformation", "benign_control",
    }  # fmt: skip
    assert sorted(required - categories) == []
