"""The migrations that encrypt health columns convert the rows already stored, on SQLite and
PostgreSQL, and their downgrades give the clear values back."""

from __future__ import annotations

import json

import sqlalchemy as sa

from careguide.privacy.crypto import MAGIC
from careguide.store import migrate
from careguide.store.db import Database

# The revision of each domain before its health columns were encrypted.
BEFORE = ["records_0001", "triage_0001", "booking_0001", "clinician_0002", "core_0002"]
CONDITION = "Systemic lupus erythematosus with nephritis"
COMPLAINT = "胸口压榨样疼痛向左臂放射"  # crushing chest pain spreading to the left arm
REASON = "review of the kidney biopsy before starting cyclophosphamide"


def _clear_rows(connection: sa.Connection) -> None:
    """Rows as the application wrote them before encryption (raw SQL: the models are encrypted now)."""
    def run(sql: str, **params: object) -> None:
        connection.execute(sa.text(sql), params)

    run("INSERT INTO users (id, username, password_hash, role, full_name, senior_mode, is_active, created_at) "
        "VALUES (1, 'migrated_person', 'x', 'patient', '', false, true, CURRENT_TIMESTAMP)")
    run("INSERT INTO record_resources (id, person_id, resource_type, resource_id, code_system, code, display, "
        "source, content_hash, document, imported_at, updated_at) VALUES (1, 1, 'Condition', 'c1', "
        "'http://snomed.info/sct', '68815009', :display, 'fhir', 'h', :document, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        display=CONDITION, document=json.dumps({"resourceType": "Condition", "id": "c1", "code": {"text": CONDITION}}))
    run("INSERT INTO record_resources (id, person_id, resource_type, resource_id, source, content_hash, document, "
        "imported_at, updated_at) VALUES (2, 1, 'Patient', 'p1', 'fhir', 'h2', :document, CURRENT_TIMESTAMP, "
        "CURRENT_TIMESTAMP)", document=json.dumps({"resourceType": "Patient", "id": "p1"}))
    run("INSERT INTO record_reminders (id, person_id, key, kind, title_key, params, source, next_due_at, active, "
        "created_at) VALUES (1, 1, 'medication:m1', 'medication', 't', :params, '', CURRENT_TIMESTAMP, true, "
        "CURRENT_TIMESTAMP)", params=json.dumps({"name": "Hydroxychloroquine 200 MG"}))
    run("INSERT INTO triage_sessions (id, person_id, status, language, evidence, step, created_at, updated_at) "
        "VALUES (1, 1, 'done', 'zh', :evidence, :step, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        evidence=json.dumps({"text": COMPLAINT}), step=json.dumps({"kind": "outcome", "evidence": {"text": COMPLAINT}}))
    run("INSERT INTO notifications (id, user_id, kind, title, body, due_at, created_at) VALUES (1, 1, 'reminder', "
        "'Take Hydroxychloroquine 200 MG', :body, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", body=REASON)
    run("INSERT INTO clinic_referrals (id, person_id, source, department, urgency, urgency_rank, reason, detail, "
        "status, created_at) VALUES (1, 1, 'triage', 'cardiology', 'emergency', 1, :reason, :detail, 'open', "
        "CURRENT_TIMESTAMP)", reason=COMPLAINT, detail=json.dumps({"text": COMPLAINT}))
    run("INSERT INTO booking_organizations (id, code, name_en, name_zh, level, city, region, phone, timezone, active) "
        "VALUES (1, 'h1', 'H', 'H', 'tertiary', 'shanghai', 'CN', '', 'Asia/Shanghai', true)")
    run("INSERT INTO booking_referrals (id, person_id, filing_type, from_city, to_city, to_organization_id, "
        "department_id, reason, status, created_at, updated_at, clinic_note) VALUES (1, 1, 'referral', 'beijing', "
        "'shanghai', 1, 'nephrology', :reason, 'draft', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '')", reason=REASON)
    run("INSERT INTO booking_referral_events (id, referral_id, status, at, note) VALUES "
        "(1, 1, 'draft', CURRENT_TIMESTAMP, :note)", note=REASON)
    run("INSERT INTO booking_referral_documents (id, referral_id, kind, required, note) VALUES "
        "(1, 1, 'referral_letter', true, '')")


SEALED = {"record_resources": ["display", "document"], "record_reminders": ["params"],
          "triage_sessions": ["evidence", "step"], "notifications": ["title", "body"],
          "clinic_referrals": ["reason", "detail"], "booking_referrals": ["reason", "clinic_note"],
          "booking_referral_events": ["note"], "booking_referral_documents": ["note"]}


def _raw(database: Database) -> dict[str, list[bytes]]:
    found: dict[str, list[bytes]] = {}
    with database.engine.connect() as connection:
        for table, columns in SEALED.items():
            for column in columns:
                values = connection.execute(sa.text(f"SELECT {column} FROM {table} ORDER BY id")).scalars().all()
                found[f"{table}.{column}"] = [_as_bytes(v) for v in values]
    return found


def _as_bytes(value: object) -> bytes | None:
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dict | list):  # psycopg hands back a json column parsed
        return json.dumps(value, ensure_ascii=False).encode()
    return str(value).encode()


def test_existing_rows_are_encrypted_by_the_upgrade_and_restored_by_the_downgrade(database, keyring):
    for revision in BEFORE:
        migrate.downgrade(database, revision)
    with database.engine.begin() as connection:
        _clear_rows(connection)
    clear = _raw(database)
    assert CONDITION.encode() in clear["record_resources.display"][0]

    migrate.upgrade(database)
    sealed = _raw(database)
    assert sealed["record_resources.display"][1] is None  # NULL stays NULL
    for name, values in sealed.items():
        for value in values:
            if value is not None:
                assert value.startswith(MAGIC), f"{name} holds a value that is not sealed"
                for secret in (CONDITION, COMPLAINT, REASON, "Hydroxychloroquine"):
                    assert secret.encode() not in value

    from careguide.booking.models import Referral
    from careguide.clinician.queue_models import ClinicReferral
    from careguide.records.models import RecordResource, Reminder
    from careguide.store.models import Notification
    from careguide.store.triage import TriageSession

    with database.session() as session:
        condition = session.get(RecordResource, 1)
        assert condition is not None and condition.display == CONDITION
        assert condition.document["code"]["text"] == CONDITION
        assert session.get(RecordResource, 2).display is None  # type: ignore[union-attr]
        assert session.get(Reminder, 1).params == {"name": "Hydroxychloroquine 200 MG"}  # type: ignore[union-attr]
        assert session.get(TriageSession, 1).evidence == {"text": COMPLAINT}  # type: ignore[union-attr]
        note = session.get(Notification, 1)
        assert note is not None and note.body == REASON and note.title == "Take Hydroxychloroquine 200 MG"
        assert session.get(ClinicReferral, 1).detail == {"text": COMPLAINT}  # type: ignore[union-attr]
        referral = session.get(Referral, 1)
        assert referral is not None and referral.reason == REASON and referral.clinic_note == ""
        assert [e.note for e in referral.events] == [REASON] and [d.note for d in referral.documents] == [""]
        # the converted tables still take new rows with their constraints
        session.add(Notification(id=2, user_id=1, kind="k", title="t"))

    for revision in BEFORE:
        migrate.downgrade(database, revision)
    restored = _raw(database)
    assert restored["record_resources.display"] == clear["record_resources.display"]
    assert json.loads(restored["triage_sessions.evidence"][0]) == {"text": COMPLAINT}
    assert restored["booking_referrals.reason"] == [REASON.encode()]
    migrate.upgrade(database)  # and up again, for the fixture's teardown
