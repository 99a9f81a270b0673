"""Encryption at rest, end to end: one person's data goes in through the app's routes, then the
raw SQLite file (with its write-ahead log), a pg_dump of the PostgreSQL database and the uploads
folder are searched byte for byte for the health values that went in. None may be found; a value
that is meant to stay clear (the username) must be, or the scan proved nothing. Then a key
rotation re-wraps every encrypted column the schema has, and the app reads everything back."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from careguide import accounts
from careguide.api.app import create_app
from careguide.config import Settings
from careguide.privacy.crypto import key_id_of
from careguide.privacy.erasure import fold_write_ahead_log
from careguide.privacy.keys import (
    Keyring,
    count_by_key,
    encrypted_columns,
    rotate_keys,
)
from careguide.store.db import Database

PASSWORD = "password-123"
USERNAME = "enc_person_zq"
# Distinctive health values, each entered through a different feature.
CONDITION = "Hereditary angioedema with recurrent laryngeal swelling"
MEDICATION = "Icatibant 30 MG Prefilled Syringe"
OBSERVATION_NOTE = "measured during the angioedema flare at the lakeside clinic"
TRIAGE_TEXT = "左眼后方搏动性头痛三天"  # throbbing headache behind the left eye for three days
CONVERSATION = "my daughter was told she may have Kawasaki disease last spring"
REFERRAL_REASON = "second opinion on the firm thyroid nodule found by ultrasound"
CANCEL_REASON = "cancelled because the thyroid biopsy was moved forward"
NOTE_TRANSCRIPT = "Patient reports a tender goitre with hoarseness for six weeks."
UPLOADED = "date,weight\n2024-05-02,63.4 lakeside-angioedema-diary\n"
FILE_NAME = "hiv-test-results-2024.json"
AGENT_QUESTION = "What habits help with insomnia since my angioedema flare keeps me awake?"
AGENT_CORRECTION = "Ask your immunologist whether the night-time angioedema attacks need a change of plan."
SECRETS = [CONDITION, MEDICATION, OBSERVATION_NOTE, TRIAGE_TEXT, CONVERSATION, REFERRAL_REASON, CANCEL_REASON,
           NOTE_TRANSCRIPT, "lakeside-angioedema-diary", FILE_NAME, AGENT_QUESTION, AGENT_CORRECTION]


@pytest.fixture
def app_client(database: Database, tmp_path: Path, keyring: Keyring):  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "data", default_language="en", run_scheduler=False)
    with TestClient(create_app(settings, database)) as client:
        yield client, settings


def _fill(client: TestClient, settings: Settings, database: Database) -> dict[str, Any]:
    """One person's health data through the routes (and the services the routes have no body for)."""
    registered = client.post("/api/v1/auth/register", json={"username": USERNAME, "password": PASSWORD,
                                                            "city": "beijing"})
    assert registered.status_code == 201, registered.text
    person_id = registered.json()["id"]
    token = client.post("/api/v1/auth/token", json={"username": USERNAME, "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    now = datetime.now(UTC)
    subject = {"reference": "urn:uuid:p1"}
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": r} for r in [
        {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1971-02-03"},
        {"resourceType": "Condition", "id": "c1", "subject": subject,
         "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                        "code": "active"}]},
         "code": {"coding": [{"system": "http://snomed.info/sct", "code": "82966003"}], "text": CONDITION}},
        {"resourceType": "MedicationRequest", "id": "m1", "status": "active", "intent": "order", "subject": subject,
         "medicationCodeableConcept": {"text": MEDICATION},
         "dosageInstruction": [{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}}}]},
        {"resourceType": "Observation", "id": "o1", "status": "final", "subject": subject,
         "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
         "effectiveDateTime": (now - timedelta(days=2)).isoformat(), "note": [{"text": OBSERVATION_NOTE}],
         "valueQuantity": {"value": 63.4, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}},
        {"resourceType": "Observation", "id": "o2", "status": "final", "subject": subject,
         "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
         "effectiveDateTime": (now - timedelta(days=1)).isoformat(),
         "valueQuantity": {"value": 151, "unit": "mm[Hg]", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}},
    ]]}
    imported = client.post("/api/v1/records/import", headers=headers,
                           files={"files": (FILE_NAME, json.dumps(bundle).encode())})
    assert imported.status_code == 200 and not imported.json().get("errors"), imported.text
    assert client.get(f"/api/v1/records/{person_id}/reminders", headers=headers).status_code == 200
    conversation = client.post("/api/v1/chat/conversations", json={}, headers=headers)
    said = client.post(f"/api/v1/chat/conversations/{conversation.json()['id']}/messages",
                       json={"text": CONVERSATION}, headers=headers)
    assert said.status_code == 200, said.text
    triage = client.post("/api/v1/triage/sessions", json={"text": TRIAGE_TEXT, "language": "zh"}, headers=headers)
    assert triage.status_code == 201, triage.text

    from careguide.booking import booking
    from careguide.booking.demo import seed_directory
    from careguide.booking.models import Organization, Slot, SlotStatus
    from careguide.clinician import queue
    from careguide.jobs.tasks_records import stage_upload
    from careguide.records.reminders import run_due
    from careguide.store.models import User

    with database.session() as session:
        seed_directory(session, date.today(), city_keys=["beijing", "shanghai"], days=3)
        doctor = accounts.create_user(session, accounts.NewUser("enc_doctor_zq", PASSWORD, accounts.Role.DOCTOR,
                                                                department="general_practice"))
        doctor_token = accounts.issue_token(session, doctor)
        hospital = session.scalars(sa.select(Organization.id).where(Organization.city != "beijing")).first()
        slot = session.scalars(sa.select(Slot).where(Slot.status == SlotStatus.FREE, Slot.start > now)
                               .order_by(Slot.id)).first()
        assert slot is not None and hospital is not None
        slot_id = slot.id
    referral = client.post("/api/v1/booking/referrals", headers=headers, json={
        "filing_type": "referral", "to_organization_id": hospital, "department_id": "oncology",
        "reason": REFERRAL_REASON})
    assert referral.status_code == 201, referral.text
    booked = client.post("/api/v1/booking/appointments", headers=headers, json={"slot_id": slot_id})
    assert booked.status_code == 201, booked.text
    with database.session() as session:
        person = session.get(User, person_id)
        assert person is not None
        booking.cancel(session, person, booked.json()["id"], reason=CANCEL_REASON)
        sent = queue.refer(session, person, person_id, source="triage", department="general_practice",
                           urgency="routine", reason=TRIAGE_TEXT, detail={"text": TRIAGE_TEXT},
                           triage_session_id=triage.json()["id"])
        referral_id = sent.id
        run_due(session, now=now + timedelta(days=1))  # the medication reminder becomes a notification
        staged = stage_upload(settings.data_dir, "angioedema-diary.csv", UPLOADED.encode())
    doctor_headers = {"Authorization": f"Bearer {doctor_token}"}
    assert client.post(f"/api/v1/clinic/referrals/{referral_id}/claim", headers=doctor_headers).status_code == 200
    note = client.post(f"/api/v1/clinic/referrals/{referral_id}/notes", headers=doctor_headers,
                       json={"transcript": NOTE_TRANSCRIPT})
    assert note.status_code == 201, note.text
    # a doctor agent's sampled answer, audited and corrected by the doctor who signed the agent
    from careguide.assistant import agent_governance
    from careguide.assistant.agents import AgentRunner, load_agents

    pack = load_agents()["sleep"].model_copy(update={"audit_rate": 1.0})
    with database.session() as session:
        signer = session.scalars(sa.select(User).where(User.username == "enc_doctor_zq")).one()
        agent_governance.sign(session, signer, "sleep", pack.version, packs={"sleep": pack})
        reply = AgentRunner({"sleep": pack}).ask("sleep", AGENT_QUESTION, "en",
                                                  signoff=agent_governance.signoff_for(session, pack))
        item = agent_governance.queue_for_audit(session, person_id, AGENT_QUESTION, reply, pack, "en")
        assert item is not None
        agent_governance.review(session, signer, item.id, "correct", AGENT_CORRECTION)
    return {"id": person_id, "headers": headers, "staged": staged}


def _raw_database(database: Database) -> bytes:
    """What someone who copies the database without the key holds."""
    if database.engine.dialect.name == "sqlite":
        path = Path(make_url(database.url).database or "")
        wal = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "-*"))  # the log as it was
        fold_write_ahead_log(database.engine)  # and the file with the log folded in
        return path.read_bytes() + wal
    if shutil.which("pg_dump") is None:
        pytest.skip("needs pg_dump")
    url = make_url(database.url).set(drivername="postgresql").render_as_string(hide_password=False)
    return subprocess.run(["pg_dump", "--no-owner", url], capture_output=True, check=True, timeout=120).stdout


def _forms(value: str) -> list[bytes]:
    """The ways a value can sit in a file: UTF-8, JSON-escaped, and as pg_dump writes bytea (hex)."""
    plain = value.encode("utf-8")
    escaped = json.dumps(value).strip('"').encode("ascii")
    return [plain, escaped, plain.hex().encode("ascii")]


def _found(content: bytes) -> list[str]:
    return [secret for secret in SECRETS if any(form in content for form in _forms(secret))]


def test_a_copy_of_the_database_or_the_uploads_shows_no_health_data(app_client, database):
    client, settings = app_client
    person = _fill(client, settings, database)
    # the app itself reads everything back
    timeline = client.get(f"/api/v1/records/{person['id']}/timeline", headers=person["headers"]).json()
    assert CONDITION in {item["display"] for item in timeline["items"]} | {
        e["display"] for e in client.get(f"/api/v1/records/{person['id']}/summary",
                                         headers=person["headers"]).json()["problems"]}
    from careguide.jobs.tasks_records import read_staged

    assert read_staged(settings.data_dir, person["staged"]).decode() == UPLOADED
    assert "angioedema" not in person["staged"]  # the staged name keeps only the extension

    content = _raw_database(database)
    assert USERNAME.encode() in content, "positive control: the scan does not see the database's clear columns"
    assert b"82966003" in content  # a code stays clear: search needs it (docs/security.md)
    assert _found(content) == []

    uploads = list((settings.data_dir / "uploads").iterdir())
    assert [p.name for p in uploads] == [person["staged"]]
    assert _found(b"".join(p.read_bytes() for p in uploads)) == []


def test_key_rotation_rewraps_every_encrypted_column(app_client, database, keyring):
    client, settings = app_client
    person = _fill(client, settings, database)
    old = keyring.active_id
    filled = _values_by_column(database)
    expected = {f"{table.name}.{column.name}" for table, column, _ in encrypted_columns()}
    assert set(filled) == expected, f"encrypted columns this test does not fill: {expected - set(filled)}"
    assert {kid for kids in filled.values() for kid in kids} == {old}

    new = keyring.create_key()
    report = rotate_keys(database, keyring, batch_size=7)
    assert report["left_on_old_keys"] == {} and report["rewrapped"] == sum(len(k) for k in filled.values())
    assert count_by_key(database) == {new: report["rewrapped"]}
    assert all(kids == [new] * len(kids) for kids in _values_by_column(database).values())
    keyring.retire(old)
    # everything reads back under the new key alone
    summary = client.get(f"/api/v1/records/{person['id']}/summary", headers=person["headers"]).json()
    assert CONDITION in {e["display"] for e in summary["problems"]}
    exported = client.get(f"/api/v1/people/{person['id']}/export", headers=person["headers"])
    assert exported.status_code == 200 and REFERRAL_REASON in exported.text and TRIAGE_TEXT in exported.text


def _values_by_column(database: Database) -> dict[str, list[str]]:
    """``table.column`` -> the master key id of each stored value."""
    found: dict[str, list[str]] = {}
    with database.engine.connect() as connection:
        for table, column, _ in encrypted_columns():
            raw = sa.column(column.name, sa.LargeBinary)
            blobs = connection.execute(sa.select(raw).select_from(table).where(raw.is_not(None))).scalars().all()
            if blobs:
                found[f"{table.name}.{column.name}"] = [key_id_of(bytes(b)) for b in blobs]
    return found
