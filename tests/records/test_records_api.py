from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers_records import bp, observation, transaction, write_json

from careguide import accounts
from careguide.api.app import ROUTER_MODULES, create_app
from careguide.api.routers import records as records_router
from careguide.config import Settings
from careguide.store.models import Role


@pytest.fixture
def api(records_db, tmp_path):
    app = create_app(Settings(data_dir=tmp_path, default_language="en"), records_db)
    if "careguide.api.routers.records" not in ROUTER_MODULES:
        app.include_router(records_router.router)
    with TestClient(app) as client:
        yield client


def account(db, role=Role.PATIENT):
    import uuid

    with db.session() as session:
        user = accounts.create_user(session, accounts.NewUser(f"api-{uuid.uuid4().hex[:8]}", "password-123", role))
        return user.id, {"Authorization": f"Bearer {accounts.issue_token(session, user)}"}


def test_upload_then_read_timeline_summary_insights_and_chart(api, records_db, tmp_path):
    person, headers = account(records_db)
    bundle = write_json(tmp_path / "b.json", transaction(bp("b1", 150, 95, "2024-05-01T08:00:00+00:00"),
                                                         observation("w1", "29463-7", 70, "kg")))
    with Path(bundle).open("rb") as handle:
        response = api.post("/api/v1/records/import", headers=headers, files={"files": ("b.json", handle)})
    assert response.status_code == 200, response.text
    assert response.json()["imported"] == {"Patient": 1, "Observation": 2}
    timeline = api.get(f"/api/v1/records/{person}/timeline", headers=headers).json()
    assert [i["resource_id"] for i in timeline["items"]] == ["b1", "w1"]  # newest first
    summary = api.get(f"/api/v1/records/{person}/summary", headers=headers).json()
    assert {v["measure"] for v in summary["latest_vitals"]} >= {"systolic_bp", "body_weight"}
    chart = api.get(f"/api/v1/records/{person}/charts/blood_pressure.svg", headers=headers)
    assert chart.headers["content-type"].startswith("image/svg+xml") and "<path" in chart.text
    assert api.get(f"/api/v1/records/{person}/insights", headers=headers).status_code == 200
    exported = api.get(f"/api/v1/records/{person}/export", headers=headers).json()
    assert len(exported["entry"]) == 3


def test_another_person_cannot_read_the_record(api, records_db):
    person, _ = account(records_db)
    _, stranger = account(records_db)
    assert api.get(f"/api/v1/records/{person}/summary", headers=stranger).status_code == 403


def test_broken_upload_reports_the_problem_in_chinese(api, records_db):
    _, headers = account(records_db)
    response = api.post("/api/v1/records/import", headers={**headers, "Accept-Language": "zh-CN"},
                        files={"files": ("export.xml", b"<HealthData><Record type='x'")})
    body = response.json()
    assert response.status_code == 200 and body["errors"][0]["code"] == "xml_broken"
    assert "此文件的内容均未保存" in body["errors"][0]["message"]
