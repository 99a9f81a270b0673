"""Export: everything held about a person as one JSON document (the right of access and portability).

The health record comes out as the FHIR R4 Bundle of ``records.export`` (importable into
another record); every other table that holds the person's rows - found from the schema
exactly as erasure finds them (``erasure.person_tables`` and the cascades below them) - comes
out row by row, decrypted, under its table name. So what erasure deletes is what export shows.
Credentials (password hash, token and session digests, CSRF tokens) are left out: they are
secrets, not data about the person.
"""

from __future__ import annotations

import base64
import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from careguide.privacy.consent import Access, require_access
from careguide.privacy.erasure import USERS, person_tables
from careguide.store.base import utcnow
from careguide.store.models import User

FORMAT = "careguide.person-export/1"
# Secrets, not data about the person.
WITHHELD: dict[str, set[str]] = {
    "users": {"password_hash"},
    "api_tokens": {"token_hash"},
    "web_sessions": {"id", "csrf_token"},
}
# Tables whose rows are already in the FHIR Bundle.
IN_BUNDLE = {"record_resources"}


def export_person(session: Session, actor: User, person_id: int,
                  metadata: sa.MetaData | None = None) -> dict[str, Any]:
    """Everything held about ``person_id``, consent-checked (the person, or a live read consent)."""
    from careguide.records.export import export_bundle

    metadata = metadata or _metadata()
    require_access(session, actor, person_id, Access.READ, resource=f"person/{person_id}/export")
    users = metadata.tables[USERS]
    profile = session.execute(sa.select(users).where(users.c.id == person_id)).mappings().first()
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, columns in _exported_tables(session, metadata, person_id).items():
        tables[name] = columns
    return {
        "format": FORMAT,
        "exported_at": utcnow().isoformat(timespec="seconds"),
        "person_id": person_id,
        "profile": _row(users, profile) if profile else None,
        "record": export_bundle(session, actor, person_id),
        "tables": tables,
    }


def _exported_tables(session: Session, metadata: sa.MetaData, person_id: int) -> dict[str, list[dict[str, Any]]]:
    owned = person_tables(metadata)
    found: dict[str, list[dict[str, Any]]] = {}
    keys: dict[str, set[Any]] = {USERS: {person_id}}
    for table in metadata.sorted_tables:  # parents first, so cascading children see their parents' ids
        if table.name == USERS:
            continue
        conditions: list[sa.ColumnElement[bool]] = [c == person_id for c in owned.get(table.name, [])]
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target != USERS and target in keys and (fk.ondelete or "").upper() == "CASCADE" and keys[target]:
                conditions.append(fk.parent.in_(sorted(keys[target])))
        if not conditions:
            continue
        rows = session.execute(sa.select(table).where(sa.or_(*conditions)).order_by(*table.primary_key.columns))
        mapped = list(rows.mappings())
        pk = list(table.primary_key.columns)
        keys[table.name] = {row[pk[0].name] for row in mapped} if len(pk) == 1 else set()
        if table.name not in IN_BUNDLE:
            found[table.name] = [_row(table, row) for row in mapped]
    return found


def _row(table: sa.Table, row: Any) -> dict[str, Any]:
    hidden = WITHHELD.get(table.name, set())
    return {key: _plain(value) for key, value in dict(row).items() if key not in hidden}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _metadata() -> sa.MetaData:
    from careguide.store.all_models import Base

    return Base.metadata
