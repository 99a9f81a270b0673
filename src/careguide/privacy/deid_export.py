"""A de-identified research export: records of many people in, rows fit to share out, with
the k-anonymity report of what remains.

Each person becomes a keyed pseudonym (stable across exports made with the same secret, so a
study can link its extracts; useless without the secret), their quasi-identifiers are
generalised (age band, sex, 3-character region), every other field goes through
``deidentify_record``, and rows in too-small groups are generalised further or suppressed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from careguide.privacy.deid import deidentify_record, pseudonym
from careguide.privacy.deid_kanon import (
    DEFAULT_QUASI_IDENTIFIERS,
    KAnonymityReport,
    enforce_k_anonymity,
    quasi_identifiers,
)


class ResearchRecord(BaseModel):
    """One person's data going into an export."""

    person_key: str = Field(min_length=1, description="The person's id in this installation.")
    birth_date: date | None = None
    sex: str | None = None
    region: str | None = Field(default=None, description="Postal or administrative code.")
    data: dict[str, Any] = Field(default_factory=dict, description="Any fields: FHIR resources, notes, values.")


class ResearchExport(BaseModel):
    rows: list[dict[str, Any]]
    k_anonymity: KAnonymityReport
    date_shift: str = "per person, whole weeks, 1 to 52 either way; intervals within a person are kept"


def research_export(records: Iterable[ResearchRecord], *, secret: bytes, k: int = 5,
                    today: date | None = None) -> ResearchExport:
    rows: list[dict[str, Any]] = []
    for record in records:
        row: dict[str, Any] = {"pid": pseudonym(secret, record.person_key)}
        row.update(quasi_identifiers(record.birth_date, record.sex, record.region, today=today))
        row["data"] = deidentify_record(record.data, secret=secret, person_key=record.person_key)
        rows.append(row)
    safe_rows, report = enforce_k_anonymity(rows, DEFAULT_QUASI_IDENTIFIERS, k)
    return ResearchExport(rows=safe_rows, k_anonymity=report)
