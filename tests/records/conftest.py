"""Records fixtures: one migrated database per backend for the whole test session (SQLite
always; PostgreSQL when CAREGUIDE_TEST_DATABASE_URL is set or 127.0.0.1:5432 answers), and a
fresh person per test, so tests are isolated without paying for a database each."""

from __future__ import annotations

import itertools
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from careguide.store.db import Database
from careguide.store.models import Role, User

EVALS = Path(__file__).resolve().parents[2].parent / "shared" / "evals" / "records"
_counter = itertools.count()


def _postgres_admin_url() -> str | None:
    url = os.environ.get("CAREGUIDE_TEST_DATABASE_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    except OSError:
        return None


_BACKENDS = ["sqlite"] + (["postgresql"] if _postgres_admin_url() else [])


@pytest.fixture(scope="session", params=_BACKENDS)
def records_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path_factory.mktemp('records') / 'records.db'}")
        db.upgrade()
        yield db
        db.dispose()
        return
    admin_url = _postgres_admin_url()
    assert admin_url
    name = f"careguide_test_records_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(make_url(admin_url).set(database=name).render_as_string(hide_password=False))
    try:
        db.upgrade()
        yield db
    finally:
        db.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_person(db: Database, *, role: Role = Role.PATIENT, **fields: object) -> User:
    with db.session() as session:
        user = User(username=f"rec-{next(_counter)}-{uuid.uuid4().hex[:6]}", password_hash="!", role=role, **fields)
        session.add(user)
        session.flush()
        session.expunge(user)
    return user


@pytest.fixture
def person(records_db: Database) -> User:
    return make_person(records_db)
