"""Shared fixtures: a fresh database per test on SQLite always, and on PostgreSQL when a server
answers (CAREGUIDE_TEST_DATABASE_URL, else 127.0.0.1:5432), plus an API client."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# One settings object for the whole run, pointed at a scratch data directory before anything reads it.
_DATA_DIR = tempfile.mkdtemp(prefix="careguide-test-")
os.environ["CAREGUIDE_DATA_DIR"] = _DATA_DIR
os.environ.setdefault("CAREGUIDE_DEFAULT_LANGUAGE", "en")
os.environ.setdefault("CAREGUIDE_RUN_SCHEDULER", "false")
os.environ.setdefault("CAREGUIDE_ASSISTANT_EMBEDDINGS", "false")  # BM25 only: the tests share two cores

from careguide.config import Settings, get_settings  # noqa: E402
from careguide.store.db import Database  # noqa: E402
from careguide.store.scratch import migrated_database, postgres_admin_url  # noqa: E402

get_settings.cache_clear()


BACKENDS = ["sqlite"] + (["postgresql"] if postgres_admin_url() else [])


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database on each available backend."""
    with migrated_database(request.param, tmp_path) as db:
        yield db


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'test.db'}")
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=Path(_DATA_DIR), default_language="en", run_scheduler=False)


@pytest.fixture
def client(database: Database, settings: Settings):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from careguide.api.app import create_app

    with TestClient(create_app(settings, database)) as test_client:
        yield test_client


@pytest.fixture
def sqlite_client(sqlite_database: Database, settings: Settings):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from careguide.api.app import create_app

    with TestClient(create_app(settings, sqlite_database)) as test_client:
        yield test_client


class Accounts:
    """Creates users directly in the database and gives each a bearer token."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def make(self, username: str, role: str = "patient") -> tuple[int, dict[str, str]]:
        from careguide import accounts
        from careguide.store.models import Role

        with self.database.session() as session:
            user = accounts.create_user(session, accounts.NewUser(username, "password-123", Role(role)))
            token = accounts.issue_token(session, user)
            return user.id, {"Authorization": f"Bearer {token}"}


@pytest.fixture
def people(database: Database) -> Accounts:
    return Accounts(database)
