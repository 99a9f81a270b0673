"""A person's whole record as one FHIR R4 Bundle (type ``collection``), for portability.

Resources come out as they were stored (references already resolved to ``Type/id``),
ordered by type and id, so an export imported into another record gives back the same
resources, and exporting that record gives back the same Bundle. ``write_bundle``
streams rows to a text file so a large record never sits in memory at once.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide.privacy.consent import Access, require_access
from careguide.records.models import RecordResource
from careguide.store.base import utcnow
from careguide.store.models import User

_PAGE = 1000


def write_bundle(session: Session, actor: User, person_id: int, out: TextIO) -> int:
    """Write the Bundle to ``out``; returns how many resources it holds."""
    require_access(session, actor, person_id, Access.READ, resource="records/export")
    header = {"resourceType": "Bundle", "type": "collection", "timestamp": utcnow().isoformat(timespec="seconds")}
    out.write(json.dumps(header, ensure_ascii=False)[:-1] + ',"entry":[')
    count = 0
    for document in _documents(session, person_id):
        out.write(("," if count else "") + json.dumps({"resource": document}, ensure_ascii=False,
                                                      separators=(",", ":")))
        count += 1
    out.write("]}\n")
    return count


def export_bundle(session: Session, actor: User, person_id: int) -> dict[str, Any]:
    """The Bundle as a dict (for an API response or a test)."""
    buffer = io.StringIO()
    write_bundle(session, actor, person_id, buffer)
    bundle: dict[str, Any] = json.loads(buffer.getvalue())
    return bundle


def _documents(session: Session, person_id: int) -> Iterator[dict[str, Any]]:
    last: tuple[str, str] = ("", "")
    while True:
        rows = session.execute(
            select(RecordResource.resource_type, RecordResource.resource_id, RecordResource.document)
            .where(RecordResource.person_id == person_id,
                   (RecordResource.resource_type > last[0])
                   | ((RecordResource.resource_type == last[0]) & (RecordResource.resource_id > last[1])))
            .order_by(RecordResource.resource_type, RecordResource.resource_id)
            .limit(_PAGE)
        ).all()
        if not rows:
            return
        for rtype, rid, document in rows:
            yield document
            last = (rtype, rid)
