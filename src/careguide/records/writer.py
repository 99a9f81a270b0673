"""Batched, idempotent writes of checked resources into one person's record.

Rows go in through Core ``executemany`` in batches, so the ORM session holds nothing
and memory stays flat however large the file. A resource whose identity
``(person, type, id)`` is already stored with the same content hash is a duplicate;
with a different hash it replaces the stored document (an update).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from careguide.records.models import RecordResource
from careguide.records.validate import CheckedResource
from careguide.store.base import utcnow

BATCH_SIZE = 500
FIRST_ANALYZE = 20_000
_TABLE: Table = RecordResource.__table__  # type: ignore[assignment]


class ResourceWriter:
    def __init__(self, session: Session, person_id: int, batch_size: int = BATCH_SIZE) -> None:
        self.session = session
        self.person_id = person_id
        self.batch_size = batch_size
        self.imported: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.duplicates = 0
        self._pending: dict[tuple[str, str], CheckedResource] = {}
        self._written = 0
        self._next_analyze = FIRST_ANALYZE

    def add(self, resource: CheckedResource) -> None:
        key = (resource.resource_type, resource.resource_id)
        earlier = self._pending.get(key)
        if earlier is not None and earlier.content_hash == resource.content_hash:
            self.duplicates += 1
            return
        self._pending[key] = resource
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        batch = list(self._pending.values())
        self._pending.clear()
        stored = self._stored(batch)
        now = utcnow()
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for resource in batch:
            found = stored.get((resource.resource_type, resource.resource_id))
            if found is None:
                inserts.append(self._row(resource, now))
                self.imported[resource.resource_type] += 1
            elif found[1] == resource.content_hash:
                self.duplicates += 1
            else:
                updates.append({"_row_id": found[0], **self._row(resource, now, update=True)})
                self.updated[resource.resource_type] += 1
        if inserts:
            self.session.execute(insert(_TABLE), inserts)
            self._written += len(inserts)
            self._refresh_statistics()
        if updates:
            columns: dict[str, Any] = {k: bindparam(k) for k in updates[0] if k != "_row_id"}
            self.session.execute(
                update(_TABLE).where(_TABLE.c.id == bindparam("_row_id")).values(**columns),
                updates,
                execution_options={"synchronize_session": False},
            )

    def stored_hashes(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Content hashes already stored (or waiting in this writer) for ``(type, id)`` keys."""
        found = {key: digest for key, (_, digest) in self._stored_keys(keys).items()}
        for key in keys:
            pending = self._pending.get(key)
            if pending is not None:
                found[key] = pending.content_hash
        return found

    def count_duplicate(self) -> None:
        self.duplicates += 1

    def _refresh_statistics(self) -> None:
        """On PostgreSQL, re-analyse the table at 20k, 40k, 80k ... rows written by this import. A big
        first import of a new person runs against statistics that say the person has no rows; the
        planner then answered each batch's identity lookup by scanning all of the person's rows (the
        time index shares its first columns), so the import slowed as it grew. ANALYZE in the
        import's own transaction sees its rows; doubling thresholds keep it to a few runs."""
        if self._written < self._next_analyze or self.session.get_bind().dialect.name != "postgresql":
            return
        self.session.execute(text(f"ANALYZE {_TABLE.name}"))
        self._next_analyze *= 2

    def _stored(self, batch: list[CheckedResource]) -> dict[tuple[str, str], tuple[int, str]]:
        return self._stored_keys([(r.resource_type, r.resource_id) for r in batch])

    def _stored_keys(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
        # One query per resource type, so the lookup walks the identity index on all three of its
        # columns (person, type, id); filtering on person and id alone scanned every resource the
        # person has, once per batch: an import got slower the bigger the record grew.
        by_type: dict[str, set[str]] = {}
        for rtype, rid in keys:
            by_type.setdefault(rtype, set()).add(rid)
        found: dict[tuple[str, str], tuple[int, str]] = {}
        for rtype, ids in sorted(by_type.items()):
            rows = self.session.execute(
                select(_TABLE.c.id, _TABLE.c.resource_id, _TABLE.c.content_hash).where(
                    _TABLE.c.person_id == self.person_id, _TABLE.c.resource_type == rtype,
                    _TABLE.c.resource_id.in_(sorted(ids)))
            )
            found.update({(rtype, rid): (row_id, digest) for row_id, rid, digest in rows})
        return found

    def _row(self, resource: CheckedResource, now: Any, *, update: bool = False) -> dict[str, Any]:
        row: dict[str, Any] = {
            "resource_type": resource.resource_type,
            "resource_id": resource.resource_id,
            "code_system": resource.code_system,
            "code": resource.code,
            "display": resource.display,
            "category": resource.category,
            "status": resource.status,
            "effective_at": resource.effective_at,
            "value": resource.value,
            "unit": resource.unit,
            "source": resource.source,
            "content_hash": resource.content_hash,
            "document": resource.document,
            "updated_at": now,
        }
        if not update:
            row["person_id"] = self.person_id
            row["imported_at"] = now
        return row
