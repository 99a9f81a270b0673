"""The storage layer behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from careguide.privacy import audit
from careguide.store.models import Role, User


def test_migrations_create_the_core_tables(database):
    tables = set(inspect(database.engine).get_table_names())
    assert {"users", "consents", "audit_events", "web_sessions", "api_tokens", "login_attempts"} <= tables
    assert "alembic_version" in tables


def _versions(database):
    with database.engine.connect() as connection:
        return sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def test_upgrade_twice_is_a_no_op(database):
    before = _versions(database)
    database.upgrade()
    assert before and _versions(database) == before


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_database):
    with sqlite_database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_are_enforced(database):
    from careguide.store.models import ApiToken

    with pytest.raises(IntegrityError), database.session() as session:
        session.add(ApiToken(user_id=999_999, token_hash="x" * 64))
        session.flush()


def test_datetimes_come_back_in_utc(database):
    moment = datetime(2026, 3, 1, 8, 30, 15, tzinfo=UTC)
    with database.session() as session:
        session.add(User(username="tz", password_hash="h", role=Role.PATIENT, created_at=moment))
    with database.session() as session:
        stored = session.scalar(select(User.created_at).where(User.username == "tz"))
    assert stored == moment and stored.tzinfo is not None


def test_a_failed_transaction_writes_nothing(database):
    with pytest.raises(RuntimeError), database.session() as session:
        session.add(User(username="ghost", password_hash="h", role=Role.PATIENT))
        session.flush()
        raise RuntimeError("boom")
    with database.session() as session:
        assert session.scalar(select(User).where(User.username == "ghost")) is None


def test_concurrent_audit_appends_keep_one_unbroken_chain(database):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with database.session() as session:
                    audit.record(session, action="read", outcome="allowed", actor_id=n, resource=f"r/{i}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.session() as session:
        report = audit.verify(session)
    assert report.ok and report.events == 60
