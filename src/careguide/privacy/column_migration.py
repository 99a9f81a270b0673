"""Migration steps that turn a column of clear health data into an encrypted one, and back.

A column becomes encrypted in three steps, the same on SQLite and PostgreSQL: add a BLOB/BYTEA
column beside it, fill it with each row's value sealed under the column's purpose (the clear
text is read as UTF-8; a JSON column's text is sealed as it is stored, which ``EncryptedJSON``
reads back as the same document), then drop the clear column and give the new one its name.
No table is rebuilt: on SQLite a rebuild (Alembic's batch mode) would drop the table, and with
foreign keys on that fires the ON DELETE actions of every row that points at it.

Used from Alembic revisions:

    from careguide.privacy.column_migration import Sealed, decrypt_columns, encrypt_columns

    COLUMNS = {"evidence": Sealed("triage.session.evidence", sa.JSON()), ...}

    def upgrade():
        encrypt_columns("triage_sessions", COLUMNS)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import sqlalchemy as sa
from alembic import op

from careguide.privacy.crypto import open_sealed, seal

BATCH = 1000


@dataclass(frozen=True)
class Sealed:
    """One column to encrypt: its purpose (as in the model's ``EncryptedText``/``EncryptedJSON``),
    the type it had in clear (restored by a downgrade) and whether it may be NULL."""

    purpose: str
    clear_type: sa.types.TypeEngine[Any]
    nullable: bool = False


def encrypt_columns(table: str, columns: Mapping[str, Sealed], *, pk: str = "id") -> None:
    """Replace each clear column of ``table`` by its sealed form."""
    for name, spec in columns.items():
        _swap(table, name, sa.LargeBinary(), spec.nullable, pk,
              read=lambda column: sa.cast(column, sa.Text()),
              convert=partial(_seal_clear, purpose=spec.purpose))


def decrypt_columns(table: str, columns: Mapping[str, Sealed], *, pk: str = "id") -> None:
    """The downgrade: each sealed column of ``table`` back to its clear type."""
    for name, spec in columns.items():
        _swap(table, name, spec.clear_type, spec.nullable, pk,
              read=lambda column: sa.type_coerce(column, sa.LargeBinary()),
              convert=partial(_open_clear, purpose=spec.purpose, as_json=isinstance(spec.clear_type, sa.JSON)))


def _swap(table: str, name: str, new_type: sa.types.TypeEngine[Any], may_be_null: bool, pk: str,
          *, read: Callable[[sa.ColumnClause[Any]], sa.ColumnElement[Any]], convert: Callable[[Any], Any]) -> None:
    """Add ``<name>__new`` of ``new_type``, fill it row by row, drop ``name``, rename the new one."""
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    temp = f"{name}__new"
    column = sa.Column(temp, new_type, nullable=True)
    if sqlite and not may_be_null:
        # SQLite adds a NOT NULL column only with a default; every row is filled below anyway
        column = sa.Column(temp, new_type, nullable=False, server_default=_empty_default(new_type))
    op.add_column(table, column)
    source = sa.table(table, sa.column(pk), sa.column(name))
    target = sa.table(table, sa.column(pk), sa.column(temp, new_type))
    last: Any = None
    while True:
        query = sa.select(source.c[pk], read(source.c[name])).order_by(source.c[pk]).limit(BATCH)
        if last is not None:
            query = query.where(source.c[pk] > last)
        rows = bind.execute(query).all()
        updates = [{"_pk": row[0], "_value": convert(row[1])} for row in rows if row[1] is not None]
        if updates:
            bind.execute(sa.update(target).where(target.c[pk] == sa.bindparam("_pk"))
                         .values({temp: sa.bindparam("_value", type_=new_type)}), updates)
        if len(rows) < BATCH:
            break
        last = rows[-1][0]
    quote = bind.dialect.identifier_preparer.quote
    op.execute(f"ALTER TABLE {quote(table)} DROP COLUMN {quote(name)}")
    op.execute(f"ALTER TABLE {quote(table)} RENAME COLUMN {quote(temp)} TO {quote(name)}")
    if not sqlite and not may_be_null:
        op.alter_column(table, name, nullable=False, existing_type=new_type)


def _empty_default(new_type: sa.types.TypeEngine[Any]) -> sa.TextClause:
    return sa.text("x''") if isinstance(new_type, sa.LargeBinary) else sa.text("''")


def _seal_clear(value: Any, purpose: str) -> bytes:
    return seal(value if isinstance(value, bytes) else str(value).encode("utf-8"), purpose)


def _open_clear(value: Any, purpose: str, as_json: bool) -> Any:
    text = open_sealed(bytes(value), purpose).decode("utf-8")
    return json.loads(text) if as_json else text
