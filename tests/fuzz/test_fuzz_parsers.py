"""Every parser that takes outside input, fed generated input: it answers or refuses with its own
error type, and never crashes.

Parsers: lab report lines and whole report files (``reports.parse`` / ``reports.fields`` /
``reports.read_report``), FHIR bundles and NDJSON and device CSVs through the record's one
import path (``records.service.import_file``: sniffing, reading, validation, storage), free
text (``triage.understand``, ``careguide.language``) and claims (``factcheck.check_text``).
Inputs are both random and built from the formats' own vocabulary (FHIR resource types, device
profile columns, lab units and flags), so the parsers get past their first checks.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fuzzkit import INPUTS, fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from careguide.factcheck import FactcheckInputError, check_text
from careguide.reports import ReportError, read_report
from careguide.reports.fields import parse_flag, parse_range, parse_value
from careguide.reports.parse import parse_header, parse_line

# Text that looks like the inputs: digits, units, flags, CJK, punctuation, control characters.
LAB_TOKENS = ["WBC", "白细胞", "HbA1c", "糖化血红蛋白", "GLU", "5.6", "10^9/L", "×10⁹/L", "mmol/L", "g/dL", "↑", "↓",
              "H", "L", "阳性", "negative", "3.5-5.5", "<0.5", "男:4.0-5.5 女:3.5-5.0", "1+", "---", "2024-03-01",
              "姓名", "性别", "年龄", "Age: 45", "报告日期", "\t", "  ", "%", "(", ")", "≤", "0", "-", "."]
MEDICAL_WORDS = ["headache", "chest pain", "胸痛", "发烧", "38.5度", "three days", "三天", "no fever", "没有发烧",
                 "my mother", "我妈妈", "vomiting", "呕吐", "血压 160/100", "glucose 12", "I'm 70", "70岁", "孩子",
                 "not", "不", "suicide", "想死", "cure cancer", "包治百病", "?", "!", "。", "，"]


def _mixed(words: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=300),
        st.lists(st.one_of(st.sampled_from(words), st.text(max_size=8)), max_size=40).map(" ".join),
        st.lists(st.sampled_from(words), max_size=30).map("".join),
    )


# Lab reports -------------------------------------------------------------------------------------------


@fuzz_settings(400)
@given(_mixed(LAB_TOKENS), st.sampled_from([None, "male", "female"]))
def test_report_line_parsers_never_crash(line: str, sex: str | None) -> None:
    INPUTS["reports.parse_line"] += 1
    parse_line(line, sex)
    parse_value(line)
    parse_range(line, sex)
    parse_flag(line)
    parse_header(line.splitlines(), line)


@fuzz_settings(150)
@given(st.one_of(st.binary(max_size=2000),
                 st.lists(_mixed(LAB_TOKENS), min_size=1, max_size=25).map(lambda ls: "\n".join(ls).encode())),
       st.sampled_from([None, "report.txt", "report.pdf", "scan.png", "x.csv", "../../etc/passwd", "报告.txt"]))
def test_report_files_are_read_or_refused_with_a_report_error(data: bytes, filename: str | None) -> None:
    INPUTS["reports.read_report"] += 1
    try:
        read_report(data, filename)
    except ReportError:
        pass


# The record's import path: FHIR bundle / NDJSON, device CSV ---------------------------------------------

RESOURCE_TYPES = ["Patient", "Observation", "Condition", "MedicationStatement", "MedicationRequest", "AllergyIntolerance",
                  "Immunization", "DiagnosticReport", "Procedure", "Encounter", "Bundle", "Nonsense", ""]
FHIR_KEYS = ["resourceType", "id", "status", "code", "subject", "effectiveDateTime", "valueQuantity", "component",
             "coding", "system", "value", "unit", "reference", "entry", "resource", "fullUrl", "request", "type",
             "birthDate", "gender", "issued", "valueString", "note", "text", "medicationCodeableConcept"]
_json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                       st.text(max_size=20), st.sampled_from(["http://loinc.org", "8480-6", "kg", "final", "2024-01-01",
                                                              "urn:uuid:p", "Patient/p", "mm[Hg]", "29463-7"]))
_json = st.recursive(_json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FHIR_KEYS), inner, max_size=6)), max_leaves=30)
_resource = st.fixed_dictionaries({"resourceType": st.sampled_from(RESOURCE_TYPES), "id": st.text(max_size=12)},
                                  optional={k: _json for k in FHIR_KEYS[2:]})
_bundle = st.fixed_dictionaries({
    "resourceType": st.just("Bundle"), "type": st.sampled_from(["transaction", "collection", "batch", "document", "x"]),
    "entry": st.lists(st.fixed_dictionaries({"resource": _resource},
                                            optional={"fullUrl": st.text(max_size=20), "request": _json}), max_size=5)})


def _device_csv() -> st.SearchStrategy[bytes]:
    from careguide.records.profiles import load_profiles

    headers = [sorted({*p.match_columns, *(r.column for r in p.readings)}) for p in load_profiles().values()]
    cell = st.one_of(st.text(max_size=12), st.sampled_from(["120", "80", "5.6", "2024-03-01 08:00", "03/01/2024",
                                                            "", "-1", "1e309", "NaN", "早餐后", "1/1/1970 12:00:00 AM"]))

    def render(header: list[str], rows: list[list[str]]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")

    return st.sampled_from(headers).flatmap(
        lambda h: st.lists(st.lists(cell, min_size=len(h), max_size=len(h)), max_size=6).map(lambda rows: render(h, rows)))


@pytest.fixture(scope="module")
def record_db(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from careguide import accounts
    from careguide.store.db import Database

    db = Database(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
    db.upgrade()
    with db.session() as session:
        person = accounts.create_user(session, accounts.NewUser("fuzz_person", "password-123"))
    yield db, person
    db.dispose()


def _import(record_db: Any, tmp: Path, name: str, data: bytes) -> None:
    from careguide.records.base import FileImportResult
    from careguide.records.service import import_file

    db, person = record_db
    path = tmp / name
    path.write_bytes(data)
    with db.sessions() as session:
        result = import_file(session, person, person.id, path, lang="zh")
        session.rollback()
    assert isinstance(result, FileImportResult)
    assert result.committed or result.errors or not any(result.imported.values())


@fuzz_settings(50)  # each input runs the whole import (consent, audit, validation, storage): ~0.2 s
@given(st.one_of(_bundle.map(lambda b: json.dumps(b).encode()),
                 st.lists(_resource, max_size=4).map(lambda rs: "\n".join(json.dumps(r) for r in rs).encode()),
                 st.binary(max_size=400)),
       st.sampled_from(["bundle.json", "export.ndjson", "data", "x.xml"]))
def test_fhir_files_import_or_are_refused_with_a_named_issue(record_db: Any, tmp_path_factory: Any, data: bytes,
                                                            name: str) -> None:
    INPUTS["records.fhir_import"] += 1
    _import(record_db, tmp_path_factory.getbasetemp(), name, data)


@fuzz_settings(120)
@given(_device_csv())
def test_device_csv_files_import_or_are_refused_with_a_named_issue(record_db: Any, tmp_path_factory: Any,
                                                                  data: bytes) -> None:
    INPUTS["records.device_csv"] += 1
    _import(record_db, tmp_path_factory.getbasetemp(), "device.csv", data)


# Free text ------------------------------------------------------------------------------------------------


@fuzz_settings(200)
@given(_mixed(MEDICAL_WORDS))
def test_free_text_understanding_never_crashes(text: str) -> None:
    from careguide import language
    from careguide.knowledge import load_knowledge
    from careguide.triage.understand import understand

    INPUTS["triage.understand+language"] += 1
    understand(load_knowledge(), text)
    language.normalise(text)
    language.detect_language(text)
    language.duration_days(text)
    language.severity(text)
    language.age_years(text)
    language.sex(text)
    language.measurements(text)
    language.segment(text)
    language.parse_number(text)


@fuzz_settings(150)
@given(_mixed(MEDICAL_WORDS), st.sampled_from([None, "en", "zh", "fr", ""]))
def test_claim_checks_answer_or_refuse_with_an_input_error(text: str, lang: str | None) -> None:
    INPUTS["factcheck.check_text"] += 1
    try:
        check_text(text, lang)
    except FactcheckInputError:
        pass
