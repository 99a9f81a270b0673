"""The kinds of identifier the de-identifier finds, and a found span of text."""

from __future__ import annotations

import bisect
import enum
from dataclasses import dataclass


class IdentifierType(enum.StrEnum):
    NAME = "name"
    PHONE = "phone"
    ID_NUMBER = "id_number"  # mainland resident ID, SSN and other national ID numbers
    PASSPORT = "passport"  # passports and travel permits
    ADDRESS = "address"  # district/county level or finer, and postcodes
    EMAIL = "email"
    RECORD_NUMBER = "record_number"  # hospital, clinic, insurance and card numbers
    ACCOUNT = "account"  # online identifiers: messaging accounts, URLs, IP addresses
    DATE = "date"  # dates more precise than a year
    AGE = "age"  # ages over 89


# When two detectors claim overlapping text, the more specific one wins.
PRIORITY: dict[IdentifierType, int] = {
    IdentifierType.EMAIL: 0,
    IdentifierType.ID_NUMBER: 1,
    IdentifierType.PASSPORT: 2,
    IdentifierType.ACCOUNT: 3,
    IdentifierType.RECORD_NUMBER: 4,
    IdentifierType.PHONE: 5,
    IdentifierType.DATE: 6,
    IdentifierType.AGE: 7,
    IdentifierType.ADDRESS: 8,
    IdentifierType.NAME: 9,
}


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    type: IdentifierType
    text: str = ""

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


def resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans: longer first, then the more specific type; sorted by position."""
    ranked = sorted(set(spans), key=lambda s: (-(s.end - s.start), PRIORITY[s.type], s.start))
    starts: list[int] = []  # kept spans, sorted by start; they never overlap one another
    ends: list[int] = []
    for span in ranked:
        if span.end <= span.start:
            continue
        i = bisect.bisect_left(starts, span.end)  # kept spans starting before this one ends
        if i and ends[i - 1] > span.start:
            continue
        starts.insert(i, span.start)
        ends.insert(i, span.end)
    kept = dict.fromkeys(zip(starts, ends, strict=True))
    chosen = {(s.start, s.end): s for s in reversed(ranked) if (s.start, s.end) in kept}
    return [chosen[key] for key in kept]
