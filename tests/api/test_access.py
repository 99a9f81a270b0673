"""Who may see a person's data: themselves, or someone holding their live consent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from careguide.store.models import AuditEvent


def _denials(database, actor_id):
    with database.session() as session:
        return session.scalars(
            select(AuditEvent).where(AuditEvent.actor_id == actor_id, AuditEvent.outcome == "denied")
        ).all()


def test_patient_sees_own_profile(client, people):
    alice, alice_h = people.make("alice")
    response = client.get(f"/api/v1/people/{alice}/profile", headers=alice_h)
    assert response.status_code == 200 and response.json()["id"] == alice


def test_patient_gets_403_on_another_patients_data_and_it_is_audited(client, people, database):
    alice, _ = people.make("alice")
    bob, bob_h = people.make("bob")
    response = client.get(f"/api/v1/people/{alice}/profile", headers=bob_h)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    denied = _denials(database, bob)
    assert [(e.subject_id, e.action) for e in denied] == [(alice, "read")]


def test_doctor_sees_patient_only_while_consent_is_live(client, people, database):
    alice, alice_h = people.make("alice")
    doc, doc_h = people.make("drli", "doctor")
    assert client.get(f"/api/v1/people/{alice}/profile", headers=doc_h).status_code == 403

    granted = client.post("/api/v1/me/consents", headers=alice_h,
                          json={"grantee_username": "drli", "purpose": "care", "scope": "read"})
    assert granted.status_code == 201
    assert client.get(f"/api/v1/people/{alice}/profile", headers=doc_h).status_code == 200
    # read consent does not allow writing
    assert client.patch(f"/api/v1/people/{alice}/profile", headers=doc_h, json={"city": "X"}).status_code == 403

    client.delete(f"/api/v1/me/consents/{granted.json()['id']}", headers=alice_h)
    assert client.get(f"/api/v1/people/{alice}/profile", headers=doc_h).status_code == 403
    assert len(_denials(database, doc)) == 3


def test_expired_consent_gives_no_access(client, people):
    alice, alice_h = people.make("alice")
    _, doc_h = people.make("drwang", "doctor")
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    client.post("/api/v1/me/consents", headers=alice_h,
                json={"grantee_username": "drwang", "purpose": "care", "expires_at": past})
    assert client.get(f"/api/v1/people/{alice}/profile", headers=doc_h).status_code == 403


def test_caregiver_with_write_consent_updates_the_seniors_profile(client, people):
    senior, senior_h = people.make("grandma")
    _, son_h = people.make("son", "caregiver")
    client.post("/api/v1/me/consents", headers=senior_h,
                json={"grantee_username": "son", "purpose": "caregiving", "scope": "write"})
    response = client.patch(f"/api/v1/people/{senior}/profile", headers=son_h, json={"city": "成都"})
    assert response.status_code == 200 and response.json()["city"] == "成都"


def test_refused_write_changes_nothing(client, people):
    alice, alice_h = people.make("alice")
    _, mallory_h = people.make("mallory")
    assert client.patch(f"/api/v1/people/{alice}/profile", headers=mallory_h, json={"city": "Evil"}).status_code == 403
    assert client.get(f"/api/v1/people/{alice}/profile", headers=alice_h).json()["city"] is None


def test_anonymous_caller_gets_401(client, people):
    alice, _ = people.make("alice")
    assert client.get(f"/api/v1/people/{alice}/profile").status_code == 401


def test_only_admin_verifies_the_audit_chain(client, people):
    _, admin_h = people.make("root", "admin")
    _, alice_h = people.make("alice")
    assert client.get("/api/v1/admin/audit/verify", headers=alice_h).status_code == 403
    report = client.get("/api/v1/admin/audit/verify", headers=admin_h).json()
    assert report["ok"] is True and report["events"] >= 2
