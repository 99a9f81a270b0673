"""Schemathesis against the app's own OpenAPI schema, in process (ASGI): no generated request,
valid or not, may get a server error (5xx). Signed in as a patient with some data, so personal
routes are exercised past the 401. A fixed seed and a few examples per operation keep it inside
``make test``; ``make fuzz`` (``CAREGUIDE_FUZZ_SCALE``) runs many more."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fuzzkit import INPUTS, fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from careguide import accounts
from careguide.api.app import create_app
from careguide.config import Settings
from careguide.store.db import Database

DATA_DIR = Path(tempfile.mkdtemp(prefix="careguide-fuzz-api-"))


def _app_and_token() -> tuple[object, str]:
    data_dir = DATA_DIR
    database = Database(f"sqlite:///{data_dir / 'fuzz.db'}")
    database.upgrade()
    with database.session() as session:
        person = accounts.create_user(session, accounts.NewUser("fuzz_patient", "password-123"))
        token = accounts.issue_token(session, person)
    settings = Settings(data_dir=data_dir, default_language="en", run_scheduler=False)
    app = create_app(settings, database)
    if not any(getattr(r, "path", "") == "/api/v1/people/{person_id}/export" for r in app.routes):
        from careguide.api.routers import privacy  # until the router is listed in ROUTER_MODULES

        app.include_router(privacy.router)
    return app, token


APP, TOKEN = _app_and_token()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@fuzz_settings(3)
def test_no_generated_request_gets_a_server_error(case: schemathesis.Case) -> None:
    INPUTS["api.requests"] += 1
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"


HOSTILE_NAMES = ["../../etc/passwd", "..", ".", "", "a" * 300 + ".pdf", "报告.pdf", "x.pdf\\..\\..\\win.ini",
                 "%2e%2e%2fsecret", "report.pdf.exe", "scan.png", "export.xml", "data.csv", "bundle.json"]
UPLOADS = [("/api/v1/reports/explain", "file"), ("/api/v1/records/import", "files"), ("/api/v1/check/image", "image")]


@fuzz_settings(8)
@given(st.sampled_from(UPLOADS), st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=40)),
       st.one_of(st.binary(max_size=3000), st.sampled_from([b"%PDF-1.4\n%%EOF", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff",
                                                            b'{"resourceType": "Bundle"}', b"<HealthData>"])))
def test_uploads_with_hostile_names_and_any_bytes_never_get_a_server_error(upload: tuple[str, str], name: str,
                                                                         data: bytes) -> None:
    from fastapi.testclient import TestClient

    INPUTS["api.uploads"] += 1
    path, field = upload
    before = set(DATA_DIR.rglob("*"))
    with TestClient(APP) as client:
        response = client.post(path, files={field: (name, data)}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, f"{path} {name!r} -> {response.status_code}: {response.text[:200]}"
    created = {p for p in set(DATA_DIR.rglob("*")) - before if p.is_file()}
    assert all(p.name.endswith(("-wal", "-shm", ".db", "-journal")) for p in created), created
