"""Databases for the booking tests: SQLite always, PostgreSQL when a server answers.

The PostgreSQL database is created fresh for the test session
(``careguide_test_booking_<random>``) and dropped afterwards. ``CAREGUIDE_TEST_DATABASE_URL``
points at another server (its database part is replaced by the fresh one).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from booking_testkit import TODAY, make_person
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from careguide.booking.demo import seed_directory
from careguide.store.db import Database
from careguide.store.models import User

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_admin_url() -> str | None:
    url = os.environ.get("CAREGUIDE_TEST_DATABASE_URL", DEFAULT_PG)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception:
        if "CAREGUIDE_TEST_DATABASE_URL" in os.environ:
            raise
        return None
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
    name = f"careguide_test_booking_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _prepare(database: Database) -> Database:
    database.upgrade()
    with database.session() as session:
        seed_directory(session, TODAY, seed=11, city_keys=["beijing", "shanghai", "chengdu"], days=7)
    return database


@pytest.fixture(scope="session")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path_factory.mktemp('booking')}/booking.db")
    yield _prepare(database)
    database.dispose()


@pytest.fixture(scope="session")
def postgres_db(postgres_url: str) -> Iterator[Database]:
    database = Database(postgres_url)
    yield _prepare(database)
    database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Database:
    """The booking tests run on both backends (PostgreSQL skipped when unreachable)."""
    return request.getfixturevalue(f"{request.param}_db")


@pytest.fixture
def person(db: Database) -> User:
    return make_person(db)
