"""Databases for the booking tests: SQLite always, PostgreSQL when a server answers.

The PostgreSQL database is created fresh for the test session
(``careguide_test_booking_<random>``) and dropped afterwards. ``CAREGUIDE_TEST_DATABASE_URL``
points at another server (its database part is replaced by the fresh one).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from booking_testkit import TODAY, make_person

from careguide.booking.demo import seed_directory
from careguide.store.db import Database
from careguide.store.models import User
from careguide.store.scratch import postgres_admin_url, scratch_postgres


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip("no PostgreSQL server answers on 127.0.0.1:5432")
    with scratch_postgres(admin_url, "careguide_test_booking") as url:
        yield url


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
