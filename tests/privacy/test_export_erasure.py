"""Export and erasure: everything held about a person comes out, and after erasure no trace is left.

Two people fill every person table through the app's own routes and services; one is erased;
then every column of every table (decrypted), and the SQLite file bytes, are searched for the
erased person's known values, and the other person must be whole.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from careguide import accounts
from careguide.api.app import create_app
from careguide.api.routers import privacy as privacy_router
from careguide.config import Settings
from careguide.privacy.erasure import UNLINKED_REFERENCES, person_tables
from careguide.store.all_models import Base
from careguide.store.db import Database
from careguide.store.models import User

PASSWORD = "password-123"
# Column names that say "this is a person" (checked against foreign keys and UNLINKED_REFERENCES).
PERSONISH = {"person_id", "user_id", "actor_id", "subject_id", "grantee_id", "patient_id", "doctor_id", "started_by"}


class _NoDelivery:
    def deliver(self, job_id: int, delay: float) -> None:
        pass


@pytest.fixture
def app_client(database: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "data", default_language="en", run_scheduler=False)
    app = create_app(settings, database)
    if not any(getattr(r, "path", "") == "/api/v1/people/{person_id}/erase" for r in app.routes):
        app.include_router(privacy_router.router)
    with TestClient(app) as client:
        yield client, settings


def _fill(client: TestClient, settings: Settings, database: Database, tag: str, phone: str) -> dict[str, Any]:
    """One person's data in every person table, made through routes and services. Returns their known values."""
    username = f"erase_{tag.lower()}"
    full_name = f"Wenjuan {tag}son"
    email = f"{tag.lower()}@example.org"
    register = client.post("/api/v1/auth/register", json={"username": username, "password": PASSWORD,
                                                          "full_name": full_name, "sex": "F",
                                                          "birth_date": "1958-04-03", "city": "beijing"})
    assert register.status_code == 201, register.text
    person_id = register.json()["id"]
    assert client.post("/api/v1/auth/token", json={"username": username, "password": "wrong-pass-1"}).status_code == 401
    token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.patch(f"/api/v1/people/{person_id}/profile", json={"phone": phone}, headers=headers).status_code == 200
    with database.session() as session:
        user = session.get(User, person_id)
        assert user is not None
        user.email = email
        accounts.open_web_session(session, user, hours=1)
    # the record, through the import route
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "p1", "gender": "female",
                                               "birthDate": "1958-04-03", "name": [{"text": full_name}]},
         "request": {"method": "POST", "url": "Patient"}},
        {"fullUrl": "urn:uuid:o1", "resource": {
            "resourceType": "Observation", "id": "o1", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
            "subject": {"reference": "urn:uuid:p1"}, "effectiveDateTime": "2024-03-01T08:00:00+08:00",
            "note": [{"text": f"weighed after the {tag} clinic visit"}],
            "valueQuantity": {"value": 71.3, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}},
         "request": {"method": "POST", "url": "Observation"}}]}
    imported = client.post("/api/v1/records/import", headers=headers,
                           files={"files": ("record.json", json.dumps(bundle).encode())})
    assert imported.status_code == 200 and not imported.json().get("errors"), imported.text
    # a conversation, a triage interview, consents, via their routes
    conversation = client.post("/api/v1/chat/conversations", json={}, headers=headers)
    assert conversation.status_code == 201, conversation.text
    said = client.post(f"/api/v1/chat/conversations/{conversation.json()['id']}/messages",
                       json={"text": f"I have had a mild headache since the {tag} party"}, headers=headers)
    assert said.status_code == 200, said.text
    triage = client.post("/api/v1/triage/sessions", json={"text": f"sore throat after the {tag} trip"},
                         headers=headers)
    assert triage.status_code == 201, triage.text
    with database.session() as session:
        doctor = accounts.create_user(session, accounts.NewUser(f"doc_{tag.lower()}", PASSWORD,
                                                               accounts.Role.DOCTOR, department="general_practice"))
        doctor_id = doctor.id
    granted = client.post("/api/v1/me/consents", json={"grantee_username": f"doc_{tag.lower()}", "purpose": "care", "scope": "read"},
                          headers=headers)
    assert granted.status_code == 201, granted.text
    # the clinic queue, bookings, reminders and a staged import job, through their services
    from careguide.booking import booking, referrals, waitlist
    from careguide.booking.demo import seed_directory
    from careguide.booking.models import Organization, Slot, SlotStatus
    from careguide.clinician import queue
    from careguide.jobs.tasks_records import enqueue_import, stage_upload
    from careguide.records.reminders import plan_reminders

    now = datetime.now(UTC)
    with database.session() as session:
        seed_directory(session, date.today(), city_keys=["beijing", "shanghai"], days=3)
    with database.session() as session:
        person = session.get(User, person_id)
        assert person is not None
        referral = queue.refer(session, person, person_id, source="triage", department="general_practice",
                               urgency="routine", reason=f"sore throat after the {tag} trip",
                               triage_session_id=triage.json()["id"])
        doctor = session.get(User, doctor_id)
        assert doctor is not None
        queue.claim(session, doctor, referral.id)
        if "clinic_notes" in Base.metadata.tables:  # the doctor's consultation note (clinician notes)
            from careguide.clinician.notes_service import start_note

            start_note(session, doctor, referral.id, f"Patient reports sore throat since the {tag} trip.", "en")
        # a doctor agent's answer, sampled for the signing doctor's audit (every answer, at audit rate 1)
        from careguide.assistant import agent_governance
        from careguide.assistant.agents import AgentRunner, load_agents

        pack = load_agents()["sleep"].model_copy(update={"audit_rate": 1.0})
        agent_governance.sign(session, doctor, "sleep", pack.version, packs={"sleep": pack})
        question = f"What habits help with insomnia after the {tag} night shift?"
        reply = AgentRunner({"sleep": pack}).ask("sleep", question, "en",
                                                  signoff=agent_governance.signoff_for(session, pack))
        assert agent_governance.queue_for_audit(session, person_id, question, reply, pack, "en") is not None
        taken = {s for (s,) in session.execute(sa.text("SELECT slot_id FROM booking_appointments")).all()}
        slot = session.scalars(sa.select(Slot).where(Slot.status == SlotStatus.FREE, Slot.start > now)
                               .order_by(Slot.id)).first()
        assert slot is not None and slot.id not in taken
        booking.book(session, person, person_id, slot.id)
        waitlist.join_waitlist(session, person, person_id, "general_practice", earliest=now + timedelta(days=1),
                               latest=now + timedelta(days=5), language="en")
        hospital = session.scalars(sa.select(Organization.id).where(Organization.city != "beijing")).first()
        draft = referrals.create_referral(session, person, person_id, filing_type="referral", from_city="beijing",
                                          to_organization_id=hospital, department_id="oncology",
                                          reason=f"second opinion, {tag} family history")
        referrals.mark_document(session, person, draft.id, "referral_letter")
        plan_reminders(session, person)
        staged = stage_upload(settings.data_dir, "weights.csv", f"date,weight\n2024-01-01,70 {tag}\n".encode())
        enqueue_import(session, person, person_id, staged, backend=_NoDelivery())  # type: ignore[arg-type]
    return {"id": person_id, "headers": headers, "doctor_id": doctor_id, "staged": staged,
            "values": [username, full_name, email, phone, tag]}


def _owned_tables() -> set[str]:
    """Every table whose rows belong to a person: direct, and by cascade below them."""
    owned = set(person_tables(Base.metadata))
    changed = True
    while changed:
        changed = False
        for table in Base.metadata.sorted_tables:
            if table.name not in owned and any((fk.ondelete or "").upper() == "CASCADE" and
                                               fk.column.table.name in owned for fk in table.foreign_keys):
                owned.add(table.name)
                changed = True
    return owned


def _all_text(database: Database) -> dict[str, str]:
    """Every table's rows, decrypted, as text (what someone with the key and the database could read)."""
    found = {}
    with database.session() as session:
        for table in Base.metadata.sorted_tables:
            rows = session.execute(sa.select(table)).all()
            found[table.name] = json.dumps([list(r) for r in rows], ensure_ascii=False, default=str)
    return found


def _rows_of(database: Database, table: str, person_id: int) -> int:
    columns = person_tables(Base.metadata).get(table, [])
    if not columns:
        return -1
    with database.session() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(Base.metadata.tables[table])
                                  .where(sa.or_(*(c == person_id for c in columns)))) or 0)


def test_export_holds_everything_and_erasure_leaves_no_trace(app_client, database):
    client, settings = app_client
    gone = _fill(client, settings, database, "Qzxv", "13911112222")
    kept = _fill(client, settings, database, "Kwpj", "13833334444")
    # the test fills every table a person's data lives in (a new table must be filled here too)
    counts = {name: _rows_of(database, name, gone["id"]) for name in person_tables(Base.metadata)}
    assert all(n > 0 for n in counts.values()), f"tables this test does not fill: {counts}"
    before = _all_text(database)
    empty = [name for name in _owned_tables() if before[name] == "[]"]
    assert not empty, f"person tables with no rows: {empty}"

    exported = client.get(f"/api/v1/people/{gone['id']}/export", headers=gone["headers"])
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    document = exported.json()
    assert document["record"]["resourceType"] == "Bundle" and len(document["record"]["entry"]) == 2
    assert set(document["tables"]) >= {"conversations", "triage_sessions", "clinic_referrals", "booking_appointments",
                                       "booking_waitlist", "booking_referrals", "booking_referral_documents",
                                       "notifications", "consents", "record_reminders"}
    text = json.dumps(document, ensure_ascii=False)
    assert "mild headache since the Qzxv party" in text  # the conversation, decrypted
    assert "Kwpj" not in text and "password_hash" not in text and "token_hash" not in text
    other = client.get(f"/api/v1/people/{gone['id']}/export", headers=kept["headers"])
    assert other.status_code == 403

    wrong = client.post(f"/api/v1/people/{gone['id']}/erase", json={"password": "not-my-password1"},
                        headers=gone["headers"])
    assert wrong.status_code == 403 and wrong.json()["error"]["field"] == "password"
    by_other = client.post(f"/api/v1/people/{gone['id']}/erase", json={"password": PASSWORD}, headers=kept["headers"])
    assert by_other.status_code == 403
    erased = client.post(f"/api/v1/people/{gone['id']}/erase", json={"password": PASSWORD}, headers=gone["headers"])
    assert erased.status_code == 200, erased.text
    assert erased.json()["files_removed"] == 1 and erased.json()["deleted"]["users"] == 1

    after = _all_text(database)
    traces = [f"{table}: {value!r}" for table, text in after.items() for value in gone["values"] if value in text]
    assert traces == [], "the erased person is still in the database:\n" + "\n".join(traces)
    assert all(value in "".join(after.values()) for value in kept["values"]), "the other person lost data"
    assert all(_rows_of(database, name, kept["id"]) == counts_kept
               for name, counts_kept in {n: _rows_of(database, n, kept["id"]) for n in counts}.items())
    assert not (settings.data_dir / "uploads" / gone["staged"]).exists()
    assert (settings.data_dir / "uploads" / kept["staged"]).exists()
    # the tombstone: one audit event says who erased whom; the chain still verifies
    tombstone = [e for e in json.loads(after["audit_events"]) if e[5] == "person.erase"]
    assert len(tombstone) == 1
    with database.session() as session:
        from careguide.privacy import audit

        assert audit.verify(session).ok
    # the person can no longer sign in or use their token
    assert client.get("/api/v1/me", headers=gone["headers"]).status_code == 401
    assert client.get(f"/api/v1/people/{kept['id']}/export", headers=kept["headers"]).status_code == 200
    if database.is_sqlite:
        db_file = Path(str(database.engine.url.database))
        files = [db_file, *(db_file.with_name(db_file.name + end) for end in ("-wal", "-journal"))]
        raw = b"".join(p.read_bytes() for p in files if p.exists())
        assert raw, f"nothing to scan at {db_file}: {sorted(db_file.parent.glob('*'))}"
        leaked = [v for v in gone["values"] if v.encode() in raw]
        assert leaked == [], f"the SQLite file still holds {leaked}"
        assert kept["values"][0].encode() in raw  # the scan can see clear text at all


def test_an_admin_erases_only_with_a_reason_and_their_own_password(app_client, database):
    client, settings = app_client
    with database.session() as session:
        admin = accounts.create_user(session, accounts.NewUser("site_admin", PASSWORD, accounts.Role.ADMIN))
        admin_headers = {"Authorization": f"Bearer {accounts.issue_token(session, admin)}"}
        person = accounts.create_user(session, accounts.NewUser("leaving_person", PASSWORD))
        person_id = person.id
    url = f"/api/v1/people/{person_id}/erase"
    no_reason = client.post(url, json={"password": PASSWORD}, headers=admin_headers)
    assert no_reason.status_code == 422 and no_reason.json()["error"]["field"] == "reason"
    assert client.post(url, json={"password": "wrong-password-9", "reason": "written request of 2026-11-20"},
                       headers=admin_headers).status_code == 403
    done = client.post(url, json={"password": PASSWORD, "reason": "written request of 2026-11-20"},
                       headers=admin_headers)
    assert done.status_code == 200, done.text
    with database.session() as session:
        assert session.get(User, person_id) is None
        from careguide.store.models import AuditEvent

        event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "person.erase")).one()
        assert event.actor_id == admin.id and event.detail["reason"] == "written request of 2026-11-20"


def test_admin_is_not_entitled_to_export_without_consent(app_client, database):
    client, _ = app_client
    with database.session() as session:
        admin = accounts.create_user(session, accounts.NewUser("site_admin2", PASSWORD, accounts.Role.ADMIN))
        headers = {"Authorization": f"Bearer {accounts.issue_token(session, admin)}"}
        person_id = accounts.create_user(session, accounts.NewUser("someone_else", PASSWORD)).id
    assert client.get(f"/api/v1/people/{person_id}/export", headers=headers).status_code == 403


def test_every_column_that_names_a_person_is_known_to_erasure():
    """A new column called person_id/user_id/... needs a foreign key (CASCADE or SET NULL) or an
    entry in UNLINKED_REFERENCES, so erasure cannot silently miss it."""
    declared = {(r.table, r.column) for r in UNLINKED_REFERENCES}
    unknown = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.name not in PERSONISH:
                continue
            to_users = any(fk.column.table.name == "users" for fk in column.foreign_keys)
            if not to_users and (table.name, column.name) not in declared:
                unknown.append(f"{table.name}.{column.name}")
    assert unknown == []
    person_tables(Base.metadata)  # raises if a users foreign key has neither CASCADE nor SET NULL
