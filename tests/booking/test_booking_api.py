"""The booking routes, on the session's seeded SQLite directory, through the real app and auth."""

import pytest
from booking_testkit import free_slots

from careguide import accounts
from careguide.store.db import Database
from careguide.store.models import Role


@pytest.fixture
def api(sqlite_db: Database, tmp_path):
    from fastapi.testclient import TestClient

    from careguide.api.app import create_app
    from careguide.api.routers.booking import router
    from careguide.config import Settings

    app = create_app(Settings(data_dir=tmp_path, default_language="en"), sqlite_db)
    if not any(getattr(r, "path", "").startswith("/api/v1/booking") for r in app.routes):
        app.include_router(router)
    with TestClient(app) as client:
        yield client


def _login(db: Database, language: str = "en") -> tuple[int, dict[str, str]]:
    import secrets

    with db.session() as s:
        user = accounts.create_user(
            s, accounts.NewUser(f"api_{secrets.token_hex(4)}", "password-123", Role.PATIENT)
        )
        user.language, user.city = language, "beijing"
        token = accounts.issue_token(s, user)
        return user.id, {"Authorization": f"Bearer {token}"}


def test_from_a_triage_outcome_to_three_proposals_to_a_confirmed_booking_in_my_appointments(api, sqlite_db):
    person_id, auth = _login(sqlite_db)
    proposals = api.post(
        "/api/v1/booking/match", json={"disposition": "routine", "department_ids": ["ent"]}, headers=auth
    )
    assert proposals.status_code == 200, proposals.text
    options = proposals.json()["proposals"]
    assert len(options) == 3 and options[0]["why"]["en"]
    held = api.post("/api/v1/booking/holds", json={"slot_id": options[0]["slot_id"]}, headers=auth)
    assert held.status_code == 201 and held.json()["status"] == "held"
    confirmed = api.post(f"/api/v1/booking/appointments/{held.json()['id']}/confirm", headers=auth)
    assert confirmed.json()["status"] == "booked"
    mine = api.get(f"/api/v1/booking/people/{person_id}/appointments", headers=auth).json()
    assert [a["id"] for a in mine] == [held.json()["id"]]
    guide = api.get(f"/api/v1/booking/appointments/{held.json()['id']}/guide", headers=auth)
    assert [s["kind"] for s in guide.json()["steps"]][:3] == ["bring", "fasting", "arrive"]


def test_an_emergency_outcome_returns_the_number_and_no_proposals(api, sqlite_db):
    _, auth = _login(sqlite_db)
    body = api.post(
        "/api/v1/booking/match",
        json={"disposition": "ambulance", "department_ids": ["cardiology"]},
        headers=auth,
    ).json()
    assert body["book"] is False and body["proposals"] == [] and body["emergency_number"]
    assert body["emergency_departments"]


def test_a_taken_slot_is_a_409_with_a_message_in_the_callers_language(api, sqlite_db):
    _, first = _login(sqlite_db)
    _, second = _login(sqlite_db, language="zh")
    [slot_id] = free_slots(sqlite_db)
    assert (
        api.post("/api/v1/booking/appointments", json={"slot_id": slot_id}, headers=first).status_code == 201
    )
    refused = api.post("/api/v1/booking/appointments", json={"slot_id": slot_id}, headers=second)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "error_slot_taken"
    assert "已被他人预约" in refused.json()["error"]["message"]


def test_an_unknown_doctor_is_a_404_and_another_persons_appointments_are_forbidden(api, sqlite_db):
    _, auth = _login(sqlite_db)
    other_id, _ = _login(sqlite_db)
    [slot_id] = free_slots(sqlite_db)
    unknown = api.post(
        "/api/v1/booking/appointments", json={"slot_id": slot_id, "practitioner_id": 777777}, headers=auth
    )
    assert unknown.status_code == 404 and "777777" in unknown.json()["error"]["message"]
    assert api.get(f"/api/v1/booking/people/{other_id}/appointments", headers=auth).status_code == 403
