"""Erasure: remove everything held about a person, leaving only an audit tombstone.

Which rows belong to a person is read from the schema, not from a hand-kept list, so a new
table is covered the day it is added:

* a table with a foreign key to ``users.id`` declared ``ON DELETE CASCADE`` holds the person's
  own rows (records, conversations, bookings, tokens ...): they are deleted;
* a foreign key to ``users.id`` declared ``ON DELETE SET NULL`` is a mention of the person in
  someone else's row (the doctor who claimed a referral, the caregiver who started an
  interview): the reference is cleared and the row stays with its owner;
* rows of any table whose cascading foreign key points at a row being deleted are deleted
  too (a referral's documents and events), and nullable references from other people's rows
  to deleted rows are cleared.

A foreign key to ``users`` with neither rule is refused (``ErasureSchemaError``): its owner
must decide. ``UNLINKED_REFERENCES`` names the few columns that hold a person without a
foreign key (job arguments, login attempts by username, the audit chain) and what erasure
does with each; ``tests/privacy/test_export_erasure.py`` fails when a column that looks like
a person reference is in neither place.

What stays: the audit chain (its events carry numeric ids, actions and resource paths, never
health content; deleting or editing them would break the chain that proves who saw what),
plus one ``person.erase`` event - the tombstone - naming who erased whom, why, and how many
rows went from each table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from careguide.privacy import audit
from careguide.store.models import User

USERS = "users"


class ErasureSchemaError(Exception):
    """A table references users in a way erasure cannot decide on; names the table and column."""


@dataclass(frozen=True)
class UnlinkedReference:
    table: str
    column: str
    handling: str  # "jobs_args" | "username" | "clear" | "keep"
    why: str


# Columns that name a person without a foreign key, and what erasure does with them.
UNLINKED_REFERENCES: tuple[UnlinkedReference, ...] = (
    UnlinkedReference("jobs", "args", "jobs_args",
                      "background jobs name the person/actor in their JSON arguments; a staged upload "
                      "file under <data_dir>/uploads is deleted with its job"),
    UnlinkedReference("login_attempts", "username", "username", "throttling history, kept by username"),
    UnlinkedReference("booking_referral_events", "actor_id", "clear",
                      "who moved someone else's referral: the mention is cleared"),
    UnlinkedReference("booking_waitlist", "offered_appointment_id", "keep",
                      "an appointment id inside a wait-list row, deleted with that row's owner"),
    UnlinkedReference("audit_events", "actor_id", "keep", "the audit chain: ids only, kept (see module doc)"),
    UnlinkedReference("audit_events", "subject_id", "keep", "the audit chain: ids only, kept (see module doc)"),
)
JOB_PERSON_KEYS = ("person_id", "actor_id", "user_id", "subject_id")


@dataclass
class ErasureReport:
    person_id: int
    deleted: dict[str, int] = field(default_factory=dict)
    cleared: dict[str, int] = field(default_factory=dict)
    files_removed: int = 0

    def add(self, bucket: dict[str, int], table: str, count: int) -> None:
        if count:
            bucket[table] = bucket.get(table, 0) + count


def erase_person(session: Session, actor: User, person_id: int, *, reason: str = "",
                 data_dir: Path | None = None, metadata: sa.MetaData | None = None) -> ErasureReport:
    """Delete every row and file held about ``person_id`` in ``session``'s transaction and append
    the tombstone. Who may do this is the caller's decision (see ``api.routers.privacy``).
    Files are removed only after the transaction commits."""
    metadata = metadata or _metadata()
    report = ErasureReport(person_id)
    person = session.get(User, person_id)
    if person is None:
        raise LookupError(f"no person {person_id}")
    username = person.username
    actor_id = actor.id
    secure_delete(session)
    files = _erase_jobs(session, metadata, person_id, report)
    _erase_rows(session, metadata, person_id, report)
    if "login_attempts" in metadata.tables:
        table = metadata.tables["login_attempts"]
        result = session.execute(sa.delete(table).where(sa.func.lower(table.c.username) == username.lower()))
        report.add(report.deleted, "login_attempts", _count(result))
    audit.record(session, action="person.erase", outcome=audit.Outcome.ALLOWED, actor_id=actor_id,
                 subject_id=person_id, resource=f"person/{person_id}", purpose="erasure",
                 detail={"reason": reason[:500], "deleted": report.deleted, "cleared": report.cleared})
    if data_dir is not None:
        staged = [data_dir / "uploads" / name for name in files]
        _after_commit(session, lambda: _remove_files(staged, report))
    return report


def person_tables(metadata: sa.MetaData) -> dict[str, list[sa.Column[Any]]]:
    """Tables that hold a person's own rows: table name -> its cascading columns to users.id."""
    owned: dict[str, list[sa.Column[Any]]] = {}
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name != USERS or table.name == USERS:
                continue
            ondelete = (fk.ondelete or "").upper()
            if ondelete == "CASCADE":
                owned.setdefault(table.name, []).append(fk.parent)
            elif ondelete != "SET NULL":
                raise ErasureSchemaError(
                    f"{table.name}.{fk.parent.name} references users without ON DELETE CASCADE (the person's "
                    "own row) or SET NULL (a mention in someone else's row): declare one so erasure knows")
    return owned


def _erase_rows(session: Session, metadata: sa.MetaData, person_id: int, report: ErasureReport) -> None:
    doomed = _doomed_rows(session, metadata, person_id)
    # Mentions of the person (SET NULL) and references into doomed rows from surviving rows.
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target == USERS and (fk.ondelete or "").upper() == "SET NULL":
                result = session.execute(sa.update(table).where(fk.parent == person_id).values({fk.parent.name: None}))
                report.add(report.cleared, table.name, _count(result))
            elif target in doomed and target != USERS and fk.parent.nullable:
                ids = doomed[target]
                for chunk in _chunks(sorted(ids)):
                    result = session.execute(sa.update(table).where(fk.parent.in_(chunk)).values({fk.parent.name: None}))
                    if table.name not in doomed:
                        report.add(report.cleared, table.name, _count(result))
    for ref in UNLINKED_REFERENCES:
        if ref.handling == "clear" and ref.table in metadata.tables:
            table = metadata.tables[ref.table]
            result = session.execute(sa.update(table).where(table.c[ref.column] == person_id).values({ref.column: None}))
            report.add(report.cleared, ref.table, _count(result))
    for table in reversed(metadata.sorted_tables):  # children before parents
        if table.name not in doomed or table.name == USERS:
            continue
        pk = _single_pk(table)
        for chunk in _chunks(sorted(doomed[table.name])):
            result = session.execute(sa.delete(table).where(pk.in_(chunk)))
            report.add(report.deleted, table.name, _count(result))
    users = metadata.tables[USERS]
    result = session.execute(sa.delete(users).where(users.c.id == person_id))
    report.add(report.deleted, USERS, _count(result))


def _doomed_rows(session: Session, metadata: sa.MetaData, person_id: int) -> dict[str, set[Any]]:
    """Primary keys of every row to delete: the person's own rows, then rows that cascade from them."""
    doomed: dict[str, set[Any]] = {USERS: {person_id}}
    for name, columns in person_tables(metadata).items():
        table = metadata.tables[name]
        pk = _single_pk(table)
        ids = session.scalars(sa.select(pk).where(sa.or_(*(c == person_id for c in columns)))).all()
        doomed.setdefault(name, set()).update(ids)
    changed = True
    while changed:  # follow cascades until nothing new (a referral's documents, events ...)
        changed = False
        for table in metadata.sorted_tables:
            for fk in table.foreign_keys:
                target = fk.column.table.name
                if target == USERS or target not in doomed or (fk.ondelete or "").upper() != "CASCADE":
                    continue
                pk = _single_pk(table)
                for chunk in _chunks(sorted(doomed[target])):
                    found = set(session.scalars(sa.select(pk).where(fk.parent.in_(chunk))).all())
                    new = found - doomed.get(table.name, set())
                    if new:
                        doomed.setdefault(table.name, set()).update(new)
                        changed = True
    return doomed


def _erase_jobs(session: Session, metadata: sa.MetaData, person_id: int, report: ErasureReport) -> list[str]:
    """Delete jobs whose arguments name the person; returns the staged upload files they held."""
    if "jobs" not in metadata.tables:
        return []
    table = metadata.tables["jobs"]
    doomed: list[int] = []
    files: list[str] = []
    last = 0
    while True:
        rows = session.execute(sa.select(table.c.id, table.c.args).where(table.c.id > last)
                               .order_by(table.c.id).limit(1000)).all()
        if not rows:
            break
        for job_id, args in rows:
            args = args or {}
            if any(args.get(key) == person_id for key in JOB_PERSON_KEYS):
                doomed.append(job_id)
                if isinstance(args.get("staged"), str):
                    files.append(args["staged"])
        last = rows[-1][0]
    for chunk in _chunks(doomed):
        result = session.execute(sa.delete(table).where(table.c.id.in_(chunk)))
        report.add(report.deleted, "jobs", _count(result))
    return files


def _remove_files(paths: Iterable[Path], report: ErasureReport) -> None:
    for path in paths:
        folder = path.parent.resolve()
        target = path.resolve()
        if target.parent == folder and target.is_file():  # a staged name never leaves uploads/
            target.unlink()
            report.files_removed += 1


def fold_write_ahead_log(engine: sa.Engine) -> bool:
    """After the erasure has committed: on SQLite the deleted rows live on in the write-ahead log
    until a checkpoint; fold it into the (securely deleted, see ``secure_delete``) database file
    and truncate it. True when the log was emptied (False: a reader held it; the next checkpoint
    overwrites it)."""
    if engine.dialect.name != "sqlite":
        return True
    raw = engine.raw_connection()  # outside any transaction (the engine's BEGIN IMMEDIATE would block it)
    try:
        cursor = raw.cursor()
        busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        cursor.close()
    finally:
        raw.close()
    return bool(busy) and busy[0] == 0


def secure_delete(session: Session) -> None:
    """On SQLite, make this connection overwrite deleted content with zeros (else it stays in free
    pages of the file). Must run before the deletes, on the session's connection."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA secure_delete=ON")


def _after_commit(session: Session, action: Callable[[], None]) -> None:
    from sqlalchemy import event

    @event.listens_for(session, "after_commit", once=True)
    def _run(_session: Session) -> None:
        action()


def _single_pk(table: sa.Table) -> sa.Column[Any]:
    columns = list(table.primary_key.columns)
    if len(columns) != 1:
        raise ErasureSchemaError(f"{table.name} has a composite primary key; erasure needs one id column")
    return columns[0]


def _chunks(values: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _metadata() -> sa.MetaData:
    from careguide.store.all_models import Base

    return Base.metadata
