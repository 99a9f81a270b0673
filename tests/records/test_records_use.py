import json
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers_records import bp, observation, run_import, transaction, write_json
from sqlalchemy import select

from careguide.privacy.consent import AccessDenied, grant
from careguide.records.export import export_bundle
from careguide.records.insights import insights
from careguide.records.models import Reminder
from careguide.records.reminders import plan_reminders, reminders, run_due
from careguide.records.summary import summarize
from careguide.records.timeline import series, timeline
from careguide.store.models import ConsentPurpose, Notification, Role
from conftest import make_person

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def at(days_ago: float, hour: int = 8) -> str:
    return (NOW - timedelta(days=days_ago)).replace(hour=hour, minute=0).isoformat()


def load(db, user, tmp_path, *resources, name="b.json"):
    result = run_import(db, user, write_json(tmp_path / name, transaction(*resources)))
    assert result.committed, result.errors
    return result


def test_export_then_import_gives_back_the_same_record(records_db, person, tmp_path):
    load(records_db, person, tmp_path, observation("w1", "29463-7", 70, "kg"), bp("b1", 130, 85, at(1)),
         {"resourceType": "Condition", "id": "c1", "subject": {"reference": "urn:uuid:patient-1"},
          "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                         "code": "active"}]},
          "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}], "text": "Hypertension"}})
    with records_db.session() as session:
        bundle = export_bundle(session, session.merge(person), person.id)
    copy = make_person(records_db)
    assert run_import(records_db, copy, write_json(tmp_path / "export.json", bundle)).imported == {
        "Patient": 1, "Observation": 2, "Condition": 1}
    with records_db.session() as session:
        again = export_bundle(session, session.merge(copy), copy.id)
    assert again["entry"] == bundle["entry"]
    assert bundle["entry"][0]["resource"]["subject"] == {"reference": "Patient/patient-1"}
    assert run_import(records_db, person, write_json(tmp_path / "export.json", bundle)).imported == {}


def test_timeline_pages_newest_first_and_series_uses_canonical_units(records_db, person, tmp_path):
    load(records_db, person, tmp_path, *[observation(f"w{i}", "29463-7", 150 + i, "[lb_av]", at(10 - i))
                                         for i in range(5)])
    with records_db.session() as session:
        actor = session.merge(person)
        first = timeline(session, actor, person.id, limit=3)
        rest = timeline(session, actor, person.id, limit=3, before=first.next_cursor)
        weights = series(session, actor, person.id, "body_weight")
    assert [i.resource_id for i in first.items + rest.items] == ["w4", "w3", "w2", "w1", "w0"]
    assert rest.next_cursor is None
    assert weights.unit == "kg" and weights.points[0].value == pytest.approx(68.04, abs=0.01)


def test_summary_lists_active_problems_and_latest_vitals(records_db, person, tmp_path):
    condition = {"resourceType": "Condition", "id": "c1",
                 "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                                "code": "active"}]},
                 "code": {"text": "Hypertension"}, "subject": {"reference": "urn:uuid:patient-1"}}
    resolved = json.loads(json.dumps(condition) .replace('"active"', '"resolved"').replace('"c1"', '"c2"'))
    load(records_db, person, tmp_path, condition, resolved, bp("b1", 150, 95, at(3)), bp("b2", 138, 86, at(1)))
    with records_db.session() as session:
        summary = summarize(session, session.merge(person), person.id)
    assert [p.resource_id for p in summary.problems] == ["c1"]
    latest = {v.measure: v.value for v in summary.latest_vitals}
    assert latest["systolic_bp"] == 138 and latest["diastolic_bp"] == 86


def test_bp_category_is_named_by_guideline_and_cites_readings(records_db, person, tmp_path):
    load(records_db, person, tmp_path, *[bp(f"b{i}", 132, 84, at(i + 1)) for i in range(4)])
    with records_db.session() as session:
        actor = session.merge(person)
        cn = insights(session, actor, person.id, guideline="cn_2018", now=NOW, lang="zh")
        us = insights(session, actor, person.id, guideline="acc_aha_2017", now=NOW)
    cn_category = next(i for i in cn if i.kind == "bp_category")
    us_category = next(i for i in us if i.kind == "bp_category")
    assert "正常高值" in cn_category.title and "2018" in cn_category.source
    assert "stage 1" in us_category.title and "ACC/AHA" in us_category.source
    assert len(us_category.readings) == 4 and us_category.readings[0].value2 == 84
    assert any(i.kind == "bp_sustained_high" for i in us)  # 132/84 is high at home by ACC/AHA (130/80)
    assert not any(i.kind == "bp_sustained_high" for i in cn)  # but not by the Chinese home level (135/85)
    assert all(i.next_step for i in cn + us)


def test_severe_reading_is_urgent_and_names_the_emergency_number(records_db, person, tmp_path):
    load(records_db, person, tmp_path, bp("b1", 186, 112, at(0.5)))
    with records_db.session() as session:
        found = insights(session, session.merge(person), person.id, now=NOW)
    assert found[0].kind == "bp_severe" and found[0].severity == "urgent"
    assert "120" in found[0].next_step or "911" in found[0].next_step


def test_glucose_sleep_heart_rate_and_weight_insights(records_db, person, tmp_path):
    fasting = [observation(f"g{i}", "41653-7", 7.6, "mmol/L", at(i + 1, 7),
                           extension=[{"url": "https://careguide.dev/fhir/StructureDefinition/meal-context",
                                       "valueCode": "fasting"}]) for i in range(2)]
    sleep = [observation(f"s{i}", "93832-4", 330, "min", at(i + 1)) for i in range(5)]
    resting = [observation(f"r{i}", "40443-4", 58, "/min", at(i + 10)) for i in range(10)]
    resting += [observation(f"q{i}", "40443-4", 68, "/min", at(i + 1)) for i in range(4)]
    weight = [observation("w0", "29463-7", 80, "kg", at(25)), observation("w1", "29463-7", 75, "kg", at(1))]
    load(records_db, person, tmp_path, *fasting, *sleep, *resting, *weight)
    with records_db.session() as session:
        kinds = {i.kind: i for i in insights(session, session.merge(person), person.id, now=NOW)}
    assert {"glucose_fasting_high", "short_sleep", "resting_hr_rising", "weight_loss"} <= set(kinds)
    assert [r.resource_id for r in kinds["glucose_fasting_high"].readings] == ["g1", "g0"]
    assert "5.5 hours" in kinds["short_sleep"].detail


def test_insights_need_the_seniors_consent(records_db, person, tmp_path):
    stranger = make_person(records_db, role=Role.CAREGIVER)
    with records_db.sessions() as session, pytest.raises(AccessDenied):
        insights(session, session.merge(stranger), person.id, now=NOW)


def test_prevention_reminders_follow_age_sex_and_record(records_db, tmp_path):
    senior = make_person(records_db, sex="F", birth_date=date(1955, 3, 1), language="zh")
    flu = {"resourceType": "Immunization", "id": "i1", "status": "completed",
           "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140"}]},
           "patient": {"reference": "urn:uuid:patient-1"}, "occurrenceDateTime": at(100)}
    load(records_db, senior, tmp_path, flu)
    with records_db.session() as session:
        planned = {r.key: r for r in plan_reminders(session, session.merge(senior), now=NOW)}
    assert "prevention:breast_cancer_screening" in planned and "prevention:pneumococcal_vaccine" in planned
    assert "prevention:hpv_vaccine" not in planned
    assert planned["prevention:influenza_vaccine"].next_due_at.date() == date(2025, 2, 21)  # a year after 2024-02-22
    assert "USPSTF" in planned["prevention:breast_cancer_screening"].source


def test_run_due_delivers_each_reminder_once_in_the_persons_language(records_db, tmp_path):
    senior = make_person(records_db, sex="M", birth_date=date(1950, 1, 1), language="zh")
    with records_db.session() as session:
        view = reminders(session, session.merge(senior), senior.id, lang="zh", now=NOW)
    assert any("肺炎球菌" in r.title for r in view)
    with records_db.session() as session:
        first = run_due(session, NOW)
        second = run_due(session, NOW)
        notes = session.scalars(select(Notification).where(Notification.user_id == senior.id)).all()
        pneumo = session.scalar(select(Reminder).where(Reminder.person_id == senior.id,
                                                       Reminder.key == "prevention:pneumococcal_vaccine"))
    assert first >= len(notes) > 0 and second == 0
    assert any(n.title.startswith("疫苗接种提醒") for n in notes)
    assert pneumo.active is False  # a once-only vaccination is not repeated


def test_medication_and_abnormal_lab_reminders(records_db, person, tmp_path):
    med = {"resourceType": "MedicationRequest", "id": "m1", "status": "active", "intent": "order",
           "subject": {"reference": "urn:uuid:patient-1"},
           "medicationCodeableConcept": {"text": "Amlodipine 5 MG Oral Tablet"},
           "dosageInstruction": [{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}}]}
    lab = observation("l1", "2093-3", 260, "mg/dL", at(3), category=[{"coding": [{
        "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}],
        interpretation=[{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                                     "code": "H"}]}])
    load(records_db, person, tmp_path, med, lab)
    with records_db.session() as session:
        planned = {r.key: r for r in plan_reminders(session, session.merge(person), now=NOW)}
    assert planned["medication:m1"].interval_days == 1
    assert planned["lab_followup:l1"].next_due_at == datetime.fromisoformat(at(3)) + timedelta(days=14)


def test_caregiver_with_consent_sees_the_seniors_summary(records_db, person, tmp_path):
    caregiver = make_person(records_db, role=Role.CAREGIVER)
    with records_db.session() as session:
        grant(session, session.merge(person), session.merge(caregiver), purpose=ConsentPurpose.CAREGIVING)
    with records_db.session() as session:
        assert summarize(session, session.merge(caregiver), person.id).person_id == person.id


def test_scheduler_tick_plans_and_delivers_once(records_db):
    from careguide.records.scheduler import ReminderScheduler

    senior = make_person(records_db, sex="F", birth_date=date(1950, 6, 1), language="en")
    scheduler = ReminderScheduler(records_db)
    assert scheduler.tick(NOW) > 0
    assert scheduler.tick(NOW) == 0
    with records_db.session() as session:
        titles = session.scalars(select(Notification.title).where(Notification.user_id == senior.id)).all()
    assert any(title.startswith("Vaccination due") for title in titles)
