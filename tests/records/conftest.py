"""Records fixtures: one migrated database per backend for the whole test session (SQLite
always; PostgreSQL when CAREGUIDE_TEST_DATABASE_URL is set or 127.0.0.1:5432 answers), and a
fresh person per test, so tests are isolated without paying for a database each."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from careguide.store.db import Database
from careguide.store.models import Role, User
from careguide.store.scratch import migrated_database, postgres_admin_url

EVALS = Path(__file__).resolve().parents[2].parent / "shared" / "evals" / "records"
_counter = itertools.count()


_BACKENDS = ["sqlite"] + (["postgresql"] if postgres_admin_url() else [])


@pytest.fixture(scope="session", params=_BACKENDS)
def records_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with migrated_database(request.param, tmp_path_factory.mktemp("records"), "careguide_test_records") as db:
        yield db


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
