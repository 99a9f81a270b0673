"""Throw-away PostgreSQL databases for tests and benchmarks: one fresh database per run on the
server named by an environment variable, or the local one at 127.0.0.1:5432 when it answers."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from careguide.store.db import Database

LOCAL_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url(variable: str = "CAREGUIDE_TEST_DATABASE_URL") -> str | None:
    """The server to create scratch databases on: ``$variable``, else a local server that answers."""
    url = os.environ.get(variable)
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return LOCAL_ADMIN_URL
    except OSError:
        return None


@contextmanager
def scratch_postgres(admin_url: str, prefix: str = "careguide_scratch") -> Iterator[str]:
    """A new, empty database (its URL); dropped afterwards, even if connections are left open."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    # No pool: a test may restart the server in between, and the drop must use a live connection.
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def migrated_database(backend: str, directory: Path, prefix: str = "careguide_test") -> Iterator[Database]:
    """An empty database with every migration applied: a SQLite file in ``directory``, or a scratch
    PostgreSQL database (``backend="postgresql"``) on the server ``postgres_admin_url`` names."""
    if backend == "sqlite":
        db = Database(f"sqlite:///{directory / f'{prefix}.db'}")
        try:
            db.upgrade()
            yield db
        finally:
            db.dispose()
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        raise RuntimeError("no PostgreSQL server: set CAREGUIDE_TEST_DATABASE_URL")
    with scratch_postgres(admin_url, prefix) as url:
        db = Database(url)
        try:
            db.upgrade()
            yield db
        finally:
            db.dispose()
