"""Schemathesis against the app's own OpenAPI schema, in process (ASGI): no generated request,
valid or not, may get a server error (5xx). Signed in as a patient with some data, so personal
routes are exercised past the 401. A fixed seed and a few examples per operation keep it inside
``make test``; ``make fuzz`` (``CAREGUIDE_FUZZ_SCALE``) runs many more."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fuzzkit import INPUTS, fuzz_settings

from careguide import accounts
from careguide.api.app import create_app
from careguide.config import Settings
from careguide.store.db import Database


def _app_and_token() -> tuple[object, str]:
    data_dir = Path(tempfile.mkdtemp(prefix="careguide-fuzz-api-"))
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
