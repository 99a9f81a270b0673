import json
from collections import Counter
from pathlib import Path

import pytest
from helpers_records import bp, observation, run_import, transaction, write_json
from sqlalchemy import func, select

from careguide.privacy.consent import AccessDenied, grant
from careguide.records.models import RecordResource
from careguide.store.models import ConsentPurpose, ConsentScope, Role
from conftest import EVALS, make_person


def stored(db, person_id):
    with db.session() as session:
        rows = session.execute(select(RecordResource.resource_type, func.count())
                               .where(RecordResource.person_id == person_id)
                               .group_by(RecordResource.resource_type)).all()
    return dict(rows)


def test_transaction_bundle_is_stored_with_references_resolved(records_db, person, tmp_path):
    path = write_json(tmp_path / "b.json", transaction(observation("o1", "29463-7", 70, "kg"),
                                                       bp("o2", 128, 82, "2024-03-01T08:00:00+08:00")))
    result = run_import(records_db, person, path)
    assert result.committed and result.imported == {"Patient": 1, "Observation": 2}
    with records_db.session() as session:
        row = session.scalar(select(RecordResource).where(RecordResource.person_id == person.id,
                                                          RecordResource.resource_id == "o1"))
    assert row.document["subject"] == {"reference": "Patient/patient-1"}
    assert (row.code, row.value, row.unit) == ("29463-7", 70.0, "kg")
    assert row.effective_at.isoformat() == "2024-03-01T00:00:00+00:00"


def test_second_import_of_same_file_adds_nothing(records_db, person, tmp_path):
    path = write_json(tmp_path / "b.json", transaction(observation("o1", "8867-4", 61, "/min")))
    run_import(records_db, person, path)
    again = run_import(records_db, person, path)
    assert again.committed and again.imported == {} and again.duplicates == 2
    assert stored(records_db, person.id) == {"Patient": 1, "Observation": 1}


def test_changed_resource_with_same_id_is_an_update_not_a_twin(records_db, person, tmp_path):
    run_import(records_db, person, write_json(tmp_path / "a.json", transaction(observation("o1", "8867-4", 61, "/min"))))
    result = run_import(records_db, person, write_json(tmp_path / "b.json",
                                                       transaction(observation("o1", "8867-4", 64, "/min"))))
    assert result.updated == {"Observation": 1}
    assert stored(records_db, person.id)["Observation"] == 1


def test_truncated_bundle_keeps_nothing(records_db, person, tmp_path):
    text = json.dumps(transaction(*[observation(f"o{i}", "8867-4", 60 + i, "/min") for i in range(800)]))
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) * 3 // 4], encoding="utf-8")
    result = run_import(records_db, person, path)
    assert not result.committed and result.errors[0].code == "json_truncated"
    assert stored(records_db, person.id) == {}


def test_invalid_resource_error_names_resource_and_field_and_nothing_is_kept(records_db, person, tmp_path):
    good = [observation(f"ok{i}", "8867-4", 70, "/min") for i in range(600)]
    bad = observation("bad1", "8867-4", 70, "/min", effectiveDateTime="2024-13-45")
    result = run_import(records_db, person, write_json(tmp_path / "b.json", transaction(*good, bad)))
    assert not result.committed
    [issue] = result.errors
    assert (issue.resource, issue.field) == ("Observation/bad1", "effectiveDateTime")
    assert "Observation/bad1" in issue.message and "effectiveDateTime" in issue.message
    assert stored(records_db, person.id) == {}


def test_status_outside_required_value_set_is_refused(records_db, person, tmp_path):
    bad = observation("o1", "8867-4", 70, "/min", status="finalized")
    result = run_import(records_db, person, write_json(tmp_path / "b.json", transaction(bad)))
    assert [(e.resource, e.field, e.code) for e in result.errors] == [("Observation/o1", "status", "code_not_allowed")]


def test_wrong_unit_for_a_known_measure_is_refused(records_db, person, tmp_path):
    bad = observation("w1", "29463-7", 70, "cm")
    result = run_import(records_db, person, write_json(tmp_path / "b.json", transaction(bad)))
    assert [(e.field, e.code) for e in result.errors] == [("valueQuantity.unit", "unit_not_accepted")]
    assert stored(records_db, person.id) == {}


def test_glucose_in_mmol_labelled_mg_dl_is_refused_and_message_is_chinese(records_db, person, tmp_path):
    ok = run_import(records_db, person, write_json(tmp_path / "ok.json",
                                                   transaction(observation("g0", "2339-0", 101, "mg/dL"))))
    assert ok.committed
    with records_db.session() as session:
        value = session.scalar(select(RecordResource.value).where(RecordResource.resource_id == "g0",
                                                                  RecordResource.person_id == person.id))
    assert value == pytest.approx(5.61, abs=0.01)  # stored in mmol/L
    mislabelled = observation("g1", "2339-0", 5.6, "mg/dL")  # a mmol/L reading with the wrong unit
    result = run_import(records_db, person, write_json(tmp_path / "b.json", transaction(mislabelled)), lang="zh")
    assert result.errors[0].code == "value_not_plausible" and "不合理" in result.errors[0].message


def test_ndjson_import_and_cut_last_line(records_db, person, tmp_path):
    lines = [json.dumps(observation(f"n{i}", "8867-4", 70, "/min")) for i in range(5)]
    path = tmp_path / "Observation.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_import(records_db, person, path).imported == {"Observation": 5}
    other = make_person(records_db)
    path.write_text("\n".join(lines)[:-20], encoding="utf-8")
    result = run_import(records_db, other, path)
    assert result.errors[0].code == "ndjson_truncated" and stored(records_db, other.id) == {}


def test_unknown_format_is_a_clear_error(records_db, person, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    result = run_import(records_db, person, path)
    assert result.errors[0].code == "format_unknown" and "notes.txt" in result.errors[0].message


def test_caregiver_imports_only_with_the_seniors_write_consent(records_db, person, tmp_path):
    caregiver = make_person(records_db, role=Role.CAREGIVER)
    path = write_json(tmp_path / "b.json", transaction(observation("o1", "8867-4", 61, "/min")))
    with pytest.raises(AccessDenied):
        run_import(records_db, person, path, actor=caregiver)
    with records_db.session() as session:
        grant(session, session.merge(person), session.merge(caregiver), purpose=ConsentPurpose.CAREGIVING,
              scope=ConsentScope.WRITE)
    assert run_import(records_db, person, path, actor=caregiver).committed


@pytest.mark.skipif(not (EVALS / "synthea_fhir_r4").exists(), reason="shared Synthea bundles not present")
def test_synthea_bundles_into_one_record_dedupe_shared_organizations(records_db, tmp_path):
    index = json.loads((EVALS / "synthea_fhir_r4" / "bundles_index.json").read_text())
    chosen = index[:4]
    user = make_person(records_db)
    expected: Counter[str] = Counter()
    duplicates = 0
    shared = set()
    for item in chosen:
        bundle = json.loads((EVALS / "synthea_fhir_r4" / "bundles" / item["file"]).read_text())
        keys = {(e["resource"]["resourceType"], e["resource"]["id"]) for e in bundle["entry"]}
        duplicates += len(keys & shared)
        shared |= keys
        expected.update(item["resource_counts"])
    results = [run_import(records_db, user, EVALS / "synthea_fhir_r4" / "bundles" / i["file"]) for i in chosen]
    assert all(r.committed for r in results)
    assert sum(r.duplicates for r in results) == duplicates
    assert sum(stored(records_db, user.id).values()) == sum(expected.values()) - duplicates
    assert Counter(stored(records_db, user.id)) + Counter({k: 0 for k in expected}) <= expected


def test_file_paths_are_reported(records_db, person, tmp_path):
    path = write_json(tmp_path / "b.json", transaction(observation("w1", "29463-7", 70, "cm")))
    assert run_import(records_db, person, path).errors[0].file == str(Path(path))


def test_single_resource_json_and_bad_bytes_and_bad_time_zone(records_db, person, tmp_path):
    from careguide.records.base import ImportOptions

    single = write_json(tmp_path / "Patient.json", {"resourceType": "Patient", "id": "solo", "gender": "male"})
    assert run_import(records_db, person, single).imported == {"Patient": 1}
    garbage = tmp_path / "broken.json"
    garbage.write_bytes(b'{"resourceType": "Bundle", "type": "collection", "entry": [\xff\xfe')
    result = run_import(records_db, person, garbage)
    assert not result.committed and result.errors[0].message
    csv_path = tmp_path / "bp.csv"
    csv_path.write_text("Date,Time,Systolic,Diastolic,Pulse,Unit\n2024-05-01,07:30,128,84,66,mmHg\n", encoding="utf-8")
    zoned = run_import(records_db, person, csv_path, ImportOptions(timezone="Mars/Olympus"))
    assert "Mars/Olympus" in zoned.errors[0].message
