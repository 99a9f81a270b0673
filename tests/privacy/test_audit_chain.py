"""Tampering with any audit row is detected and the first bad event named."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from careguide.privacy import audit


def _fill(database, n=8):
    with database.session() as session:
        for i in range(n):
            audit.record(session, action="read", outcome="allowed", actor_id=1, subject_id=2, resource=f"obs/{i}")


def _verify(database):
    with database.session() as session:
        return audit.verify(session)


def test_untouched_chain_verifies(database):
    _fill(database)
    report = _verify(database)
    assert report.ok and report.events == 8


def test_altered_event_is_named(database):
    _fill(database)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET outcome = 'denied' WHERE seq = 5"))
    report = _verify(database)
    assert not report.ok and report.first_bad_seq == 5 and "altered" in report.problem


def test_deleted_event_is_named(database):
    _fill(database)
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE seq = 4"))
    report = _verify(database)
    assert not report.ok and report.first_bad_seq == 5 and "deleted" in report.problem


def test_inserted_event_is_named(database):
    _fill(database)
    with database.engine.begin() as connection:
        # Make room at seq 3 (in two steps, so no row ever collides with the unique index).
        connection.execute(text("UPDATE audit_events SET seq = -(seq + 1) WHERE seq >= 3"))
        connection.execute(text("UPDATE audit_events SET seq = -seq WHERE seq < 0"))
        row = connection.execute(text("SELECT prev_hash, hash FROM audit_events WHERE seq = 2")).one()
        connection.execute(
            text("INSERT INTO audit_events (seq, at, actor_id, subject_id, action, resource, purpose, outcome, detail,"
                 " prev_hash, hash) VALUES (3, :at, 9, 2, 'read', 'obs/forged', '', 'allowed', '{}', :prev, :hash)"),
            {"at": "2026-01-01 00:00:00", "prev": row.hash, "hash": "f" * 64},
        )
    report = _verify(database)
    assert not report.ok and report.first_bad_seq == 3


def test_cli_exits_non_zero_naming_the_event(sqlite_database):
    _fill(sqlite_database)
    with sqlite_database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET resource = 'obs/other' WHERE seq = 6"))
    env = dict(os.environ, CAREGUIDE_DATABASE_URL=sqlite_database.url)
    ok = subprocess.run([sys.executable, "-m", "careguide", "audit", "verify"], env=env, capture_output=True, text=True)
    assert ok.returncode == 1
    assert "seq=6" in ok.stderr


@pytest.mark.parametrize("n", [1, 3])
def test_cli_passes_an_intact_chain(sqlite_database, n):
    _fill(sqlite_database, n)
    env = dict(os.environ, CAREGUIDE_DATABASE_URL=sqlite_database.url)
    ok = subprocess.run([sys.executable, "-m", "careguide", "audit", "verify", "--json"], env=env,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert f'"events": {n}' in ok.stdout.splitlines()[-1]
