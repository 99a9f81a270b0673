import pytest
from helpers_records import run_import
from sqlalchemy import select

from careguide.records.base import ImportOptions
from careguide.records.models import RecordResource
from conftest import EVALS, make_person


def docs(db, person_id):
    with db.session() as session:
        return session.execute(select(RecordResource.code, RecordResource.value, RecordResource.unit,
                                      RecordResource.document).where(RecordResource.person_id == person_id)
                               .order_by(RecordResource.effective_at)).all()


def test_bp_monitor_csv_becomes_loinc_panels_and_kpa_is_converted(records_db, person, tmp_path):
    path = tmp_path / "bp.csv"
    path.write_text("Date,Time,Systolic,Diastolic,Pulse,Unit\n"
                    "2024-05-01,07:30,128,84,66,mmHg\n2024-05-01,19:30,17.3,11.2,70,kPa\n", encoding="utf-8")
    result = run_import(records_db, person, path, ImportOptions(timezone="Asia/Shanghai"))
    assert result.committed and result.imported == {"Observation": 4}
    panels = [d for code, _, _, d in docs(records_db, person.id) if code == "85354-9"]
    second = panels[1]["component"]
    assert second[0]["code"]["coding"][0]["code"] == "8480-6"
    assert second[0]["valueQuantity"]["value"] == pytest.approx(129.76, abs=0.01)
    assert second[0]["valueQuantity"]["code"] == "mm[Hg]"
    assert panels[0]["effectiveDateTime"] == "2024-05-01T07:30:00+08:00"


def test_chinese_header_bp_csv_is_recognised(records_db, person, tmp_path):
    path = tmp_path / "血压.csv"
    path.write_text("日期,时间,收缩压,舒张压,脉搏\n2024-05-02,08:00,135,88,72\n", encoding="utf-8")
    assert run_import(records_db, person, path).imported == {"Observation": 2}


def test_glucometer_mg_dl_is_stored_in_mmol_with_meal_context(records_db, person, tmp_path):
    path = tmp_path / "glucose.csv"
    path.write_text("Date,Time,Glucose,Unit,Meal\n2024-05-01,07:00,126,mg/dL,空腹\n", encoding="utf-8")
    assert run_import(records_db, person, path).committed
    [(code, value, unit, document)] = docs(records_db, person.id)
    assert (code, unit) == ("41653-7", "mmol/L") and value == pytest.approx(6.99, abs=0.01)
    assert document["extension"][0]["valueCode"] == "fasting"


def test_unknown_unit_names_the_row_and_nothing_is_kept(records_db, person, tmp_path):
    path = tmp_path / "glucose.csv"
    path.write_text("Date,Time,Glucose,Unit,Meal\n2024-05-01,07:00,6.1,mmol/L,fasting\n"
                    "2024-05-02,07:00,110,mg,fasting\n", encoding="utf-8")
    result = run_import(records_db, person, path)
    assert not result.committed
    [issue] = result.errors
    assert (issue.where, issue.field, issue.code) == ("row 3", "Unit", "unit_not_accepted")
    assert docs(records_db, person.id) == []


def test_scale_reading_in_grams_labelled_kg_is_refused(records_db, person, tmp_path):
    path = tmp_path / "scale.csv"
    path.write_text("Date,Time,Weight,Unit,BodyFat\n2024-05-01,07:00,72500,kg,21\n", encoding="utf-8")
    result = run_import(records_db, person, path, lang="zh")
    assert result.errors[0].code == "value_not_plausible" and "row 2" in result.errors[0].message


def test_pulse_oximeter_json(records_db, person, tmp_path):
    path = tmp_path / "oximeter.json"
    path.write_text('[{"time": "2024-05-01T22:00:00", "spo2": 96, "pulse": 61}]', encoding="utf-8")
    result = run_import(records_db, person, path)
    assert result.imported == {"Observation": 2}


def test_multi_user_device_export_needs_a_choice(records_db, person, tmp_path):
    path = tmp_path / "dailySteps_merged.csv"
    path.write_text("Id,ActivityDay,StepTotal\n1,4/12/2016,100\n2,4/12/2016,200\n", encoding="utf-8")
    result = run_import(records_db, person, path)
    assert result.errors[0].code == "several_device_subjects"
    chosen = run_import(records_db, person, path, ImportOptions(device_subject="2"))
    assert chosen.imported == {"Observation": 1}
    [(code, value, _, document)] = docs(records_db, person.id)
    assert (code, value, document["effectiveDateTime"]) == ("41950-7", 200.0, "2016-04-12")


@pytest.mark.skipif(not (EVALS / "fitbit_fitabase_2016").exists(), reason="shared Fitbit data not present")
def test_fitbit_exports_import_for_one_user(records_db, tmp_path):
    user = make_person(records_db)
    results = [run_import(records_db, user, p, ImportOptions(device_subject="1503960366"))
               for p in sorted((EVALS / "fitbit_fitabase_2016").glob("*.csv"))]
    assert all(r.committed for r in results), [r.errors[:1] for r in results]
    by_file = {r.file.rsplit("/", 1)[-1]: r.imported.get("Observation", 0) for r in results}
    assert by_file["sleepDay_merged.csv"] == 25 and by_file["weightLogInfo_merged.csv"] == 5
    again = [run_import(records_db, user, p, ImportOptions(device_subject="1503960366"))
             for p in sorted((EVALS / "fitbit_fitabase_2016").glob("*.csv"))]
    assert sum(sum(r.imported.values()) for r in again) == 0


APPLE = """<?xml version="1.0" encoding="UTF-8"?>
<HealthData locale="en_US">
 <ExportDate value="2024-06-01 08:10:05 +0200"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" startDate="2024-01-01 01:01:36 +0200" endDate="2024-01-01 01:01:36 +0200" value="74"/>
 <Record type="HKQuantityTypeIdentifierOxygenSaturation" sourceName="Watch" unit="%" startDate="2024-01-01 02:00:00 +0200" endDate="2024-01-01 02:00:00 +0200" value="0.97"/>
 <Record type="HKQuantityTypeIdentifierBloodGlucose" sourceName="Meter" unit="mg/dL" startDate="2024-01-01 07:00:00 +0200" endDate="2024-01-01 07:00:00 +0200" value="180">
  <MetadataEntry key="HKBloodGlucoseMealTime" value="2"/>
 </Record>
 <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Cuff" startDate="2024-01-01 08:00:00 +0200" endDate="2024-01-01 08:00:00 +0200">
  <Record type="HKQuantityTypeIdentifierBloodPressureSystolic" sourceName="Cuff" unit="mmHg" startDate="2024-01-01 08:00:00 +0200" endDate="2024-01-01 08:00:00 +0200" value="142"/>
  <Record type="HKQuantityTypeIdentifierBloodPressureDiastolic" sourceName="Cuff" unit="mmHg" startDate="2024-01-01 08:00:00 +0200" endDate="2024-01-01 08:00:00 +0200" value="91"/>
 </Correlation>
 <Record type="HKQuantityTypeIdentifierBloodPressureSystolic" sourceName="Cuff" unit="mmHg" startDate="2024-01-01 08:00:00 +0200" endDate="2024-01-01 08:00:00 +0200" value="142"/>
 <Record type="HKQuantityTypeIdentifierBloodPressureDiastolic" sourceName="Cuff" unit="mmHg" startDate="2024-01-01 08:00:00 +0200" endDate="2024-01-01 08:00:00 +0200" value="91"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" startDate="2024-01-01 00:00:00 +0200" endDate="2024-01-01 06:00:00 +0200" value="HKCategoryValueSleepAnalysisAsleepCore"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="30" startDate="2024-01-01 09:00:00 +0200" endDate="2024-01-01 09:30:00 +0200"/>
</HealthData>
"""


def test_apple_health_types_map_to_loinc_and_bp_twins_are_one_reading(records_db, person, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(APPLE, encoding="utf-8")
    result = run_import(records_db, person, path)
    assert result.committed
    assert result.imported == {"Observation": 5} and result.duplicates == 1
    assert result.skipped == {"Workout": 1}
    stored = {code: (value, unit) for code, value, unit, _ in docs(records_db, person.id)}
    assert stored["8867-4"] == (74.0, "/min")
    assert stored["59408-5"] == (97.0, "%")
    assert stored["15074-8"][1] == "mmol/L" and stored["15074-8"][0] == pytest.approx(9.99, abs=0.01)
    assert stored["93830-8"] == (360.0, "min")
    assert "85354-9" in stored


def test_truncated_apple_export_keeps_nothing(records_db, person, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(APPLE[: len(APPLE) * 2 // 3], encoding="utf-8")
    result = run_import(records_db, person, path)
    assert not result.committed and result.errors[0].code == "xml_broken"
    assert docs(records_db, person.id) == []


@pytest.mark.skipif(not (EVALS / "apple_health_export_sample").exists(), reason="shared Apple sample not present")
def test_apple_health_sample_export_imports(records_db, person):
    result = run_import(records_db, person, EVALS / "apple_health_export_sample" / "export.xml")
    assert result.committed and result.imported == {"Observation": 6}
    assert result.skipped == {"HKQuantityTypeIdentifierAppleStandTime": 1,
                              "HKCategoryTypeIdentifierSleepAnalysis:HKCategoryValueSleepAnalysisInBed": 1}


def test_observations_built_from_device_readings_are_valid_fhir(records_db, person, tmp_path):
    from fhir.resources.R4B.observation import Observation

    path = tmp_path / "export.xml"
    path.write_text(APPLE, encoding="utf-8")
    csv_path = tmp_path / "bp.csv"
    csv_path.write_text("Date,Time,Systolic,Diastolic,Pulse,Unit\n2024-05-01,07:30,128,84,66,mmHg\n", encoding="utf-8")
    run_import(records_db, person, path)
    run_import(records_db, person, csv_path)
    documents = [d for *_, d in docs(records_db, person.id)]
    assert len(documents) == 7
    for document in documents:
        Observation.model_validate(document)
