"""De-identification of health data for research export, in Chinese and English.

``find_identifiers`` finds direct identifiers in free text (names, phones, ID and passport
numbers, addresses, emails, record numbers, online accounts, dates, ages over 89);
``deidentify_text`` replaces them (names and numbers by numbered placeholders, dates shifted
by a keyed per-person offset so intervals stay true, ages over 89 by "90+");
``deidentify_record`` does the same to a structured record, field by field. The
k-anonymity check of the quasi-identifiers that remain is in ``deid_kanon``.

The rules follow the HIPAA Safe Harbor list of identifiers (45 CFR 164.514(b)(2)) and the
Chinese national standard on de-identification of personal information (GB/T 37964-2019),
adapted to Chinese documents: resident ID numbers (GB 11643), mainland phone numbering,
addresses written from province down to room.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from careguide.i18n import t
from careguide.privacy.deid_address import find_addresses
from careguide.privacy.deid_dates import OLDEST_KEPT_AGE, age_spans, date_spans, find_dates, shift_date_text
from careguide.privacy.deid_names import find_names
from careguide.privacy.deid_numbers import find_number_identifiers
from careguide.privacy.deid_script import detection_text
from careguide.privacy.deid_types import IdentifierType, Span, resolve_overlaps

__all__ = [
    "DeidentifiedText",
    "FieldAction",
    "FoundIdentifier",
    "IdentifierType",
    "Span",
    "age_band",
    "date_shift_days",
    "deidentify_record",
    "deidentify_text",
    "find_identifiers",
    "pseudonym",
]

MAX_SHIFT_WEEKS = 52
_CJK = re.compile(r"[\u4e00-\u9fff]")


class FoundIdentifier(BaseModel):
    type: IdentifierType
    start: int
    end: int


class DeidentifiedText(BaseModel):
    text: str
    found: list[FoundIdentifier]  # positions in the original text
    counts: dict[str, int]
    date_shift_days: int


def find_identifiers(text: str) -> list[Span]:
    """Every direct identifier in ``text`` (Chinese, English or both), without overlaps.
    Traditional characters and full-width digits are read as their simplified/ASCII forms."""
    original = text
    text = detection_text(text)
    spans: list[Span] = []
    spans += find_number_identifiers(text)
    spans += date_spans(text)
    spans += age_spans(text)
    spans += find_addresses(text)
    names = list(find_names(text))
    spans += names + list(_ages_after_names(text, names))
    return [Span(s.start, s.end, s.type, original[s.start : s.end]) for s in resolve_overlaps(spans)]


_AGE_AFTER_NAME = re.compile(r"\s*[,(（，]\s*(\d{2,3})\s*(?=[,)），;]|岁)")


def _ages_after_names(text: str, names: list[Span]):  # type: ignore[no-untyped-def]
    """A bare number right after a name is the person's age: "Hiroshi Yamamoto, 93, admitted"."""
    for name in names:
        match = _AGE_AFTER_NAME.match(text, name.end)
        if match and OLDEST_KEPT_AGE < int(match.group(1)) < 130:
            yield Span(match.start(1), match.end(1), IdentifierType.AGE, match.group(1))


def date_shift_days(secret: bytes, person_key: str) -> int:
    """The same whole number of weeks (so weekdays stay true), 1 to 52 either way, for every
    date of one person; unpredictable without the secret."""
    digest = hmac.new(secret, b"date-shift\x00" + person_key.encode("utf-8"), hashlib.sha256).digest()
    weeks = 1 + int.from_bytes(digest[:4], "big") % MAX_SHIFT_WEEKS
    return 7 * weeks * (1 if digest[4] & 1 else -1)


def pseudonym(secret: bytes, person_key: str) -> str:
    """A stable research id for a person: the same in every export made with the same secret."""
    return hmac.new(secret, b"pseudonym\x00" + person_key.encode("utf-8"), hashlib.sha256).hexdigest()[:20]


def text_language(text: str) -> str:
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk * 2 >= latin else "en"


def deidentify_text(text: str, *, secret: bytes, person_key: str, lang: str | None = None) -> DeidentifiedText:
    """``text`` with every identifier replaced; placeholders are in ``lang`` (default: the text's)."""
    language = lang or text_language(text)
    shift = date_shift_days(secret, person_key)
    spans = find_identifiers(text)
    shifted_dates = {(d.start, d.end): shift_date_text(d, shift) for d in find_dates(detection_text(text))}
    numbering: dict[tuple[IdentifierType, str], int] = {}
    per_type: Counter[IdentifierType] = Counter()
    pieces: list[str] = []
    cursor = 0
    for span in spans:
        pieces.append(text[cursor : span.start])
        original = text[span.start : span.end]
        if span.type is IdentifierType.DATE and (span.start, span.end) in shifted_dates:
            pieces.append(shifted_dates[(span.start, span.end)])
        elif span.type is IdentifierType.AGE:
            pieces.append(f"{OLDEST_KEPT_AGE + 1}+")
        else:
            key = (span.type, _normalise(original))
            if key not in numbering:
                per_type[span.type] += 1
                numbering[key] = per_type[span.type]
            label = t(f"privacy.placeholder_{span.type.value}", language)
            pieces.append(f"[{label}-{numbering[key]}]")
        cursor = span.end
    pieces.append(text[cursor:])
    counts = Counter(span.type.value for span in spans)
    return DeidentifiedText(
        text="".join(pieces),
        found=[FoundIdentifier(type=s.type, start=s.start, end=s.end) for s in spans],
        counts=dict(counts),
        date_shift_days=shift,
    )


def _normalise(value: str) -> str:
    return re.sub(r"[\s\-().]", "", value).lower()


# Structured records ----------------------------------------------------------------------------


class FieldAction(enum.StrEnum):
    DROP = "drop"  # a direct identifier: removed
    KEEP = "keep"  # not identifying (codes, values, units)
    TEXT = "text"  # free text: identifiers inside are replaced
    DATE = "date"  # shifted by the person's offset
    AGE = "age"  # a number of years: over 89 becomes "90+"
    REGION = "region"  # a postal or administrative code: its first three characters
    PSEUDONYM = "pseudonym"  # an id that links records: replaced by the keyed pseudonym


# Field names (FHIR and careguide's own) whose meaning is known; any other string is free text.
DEFAULT_FIELD_ACTIONS: dict[str, FieldAction] = {
    **dict.fromkeys(
        ["name", "full_name", "username", "given", "family", "email", "phone", "telecom", "mobile", "address",
         "line", "street", "id_number", "passport", "mrn", "identifier", "photo", "contact", "city", "district",
         "postalCode", "postal_code", "text_div", "wechat", "ip", "url", "password_hash"],
        FieldAction.DROP,
    ),
    **dict.fromkeys(["birth_date", "birthDate", "effectiveDateTime", "issued", "recordedDate", "onsetDateTime",
                     "authoredOn", "date", "start", "end", "created_at", "at", "due_at", "lastUpdated"],
                    FieldAction.DATE),
    **dict.fromkeys(["age", "age_years"], FieldAction.AGE),
    **dict.fromkeys(["region", "zip", "region_code"], FieldAction.REGION),
    **dict.fromkeys(["id", "person_id", "user_id", "subject_id", "patient_id", "reference"], FieldAction.PSEUDONYM),
    **dict.fromkeys(["code", "system", "unit", "value", "valueQuantity", "status", "resourceType", "sex", "gender",
                     "language", "category", "interpretation", "display"], FieldAction.KEEP),
}  # fmt: skip


def deidentify_record(
    record: Mapping[str, Any],
    *,
    secret: bytes,
    person_key: str,
    actions: Mapping[str, FieldAction] | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    """A copy of ``record`` (nested dicts and lists too) fit for research export."""
    table = {**DEFAULT_FIELD_ACTIONS, **(actions or {})}
    shift = date_shift_days(secret, person_key)
    result = _walk(dict(record), None, table, secret, person_key, shift, lang)
    assert isinstance(result, dict)
    return result


_DROPPED = object()


def _walk(value: Any, field: str | None, table: Mapping[str, FieldAction], secret: bytes, person_key: str,
          shift: int, lang: str | None) -> Any:
    action = table.get(field) if field is not None else None
    if action is FieldAction.DROP:
        return _DROPPED
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            walked = _walk(item, str(key), table, secret, person_key, shift, lang)
            if walked is not _DROPPED:
                out[key] = walked
        return out
    if isinstance(value, list | tuple):
        items = [_walk(item, field, table, secret, person_key, shift, lang) for item in value]
        return [item for item in items if item is not _DROPPED]
    if value is None or isinstance(value, bool):
        return value
    if action is FieldAction.KEEP:
        return value
    if action is FieldAction.PSEUDONYM:
        return _pseudonymise(value, secret)
    if action is FieldAction.AGE:
        return _group_age(value)
    if action is FieldAction.REGION:
        return str(value)[:3] if value else value
    if isinstance(value, datetime | date) or action is FieldAction.DATE:
        return _shift_value(value, shift, secret, person_key, lang)
    if isinstance(value, str):
        return deidentify_text(value, secret=secret, person_key=person_key, lang=lang).text
    return value


def _pseudonymise(value: Any, secret: bytes) -> str:
    text = str(value)
    if "/" in text:  # a FHIR reference keeps its resource type: Patient/<pseudonym>
        kind, _, ident = text.rpartition("/")
        return f"{kind}/{pseudonym(secret, ident)}"
    return pseudonym(secret, text)


def _group_age(value: Any) -> Any:
    try:
        years = int(value)
    except (TypeError, ValueError):
        return value
    return f"{OLDEST_KEPT_AGE + 1}+" if years > OLDEST_KEPT_AGE else years


def _shift_value(value: Any, shift: int, secret: bytes, person_key: str, lang: str | None) -> Any:
    delta = timedelta(days=shift)
    if isinstance(value, datetime | date):
        return value + delta
    text = str(value)
    try:
        if len(text) == 10:
            return (date.fromisoformat(text) + delta).isoformat()
        return (datetime.fromisoformat(text.replace("Z", "+00:00")) + delta).isoformat()
    except ValueError:
        return deidentify_text(text, secret=secret, person_key=person_key, lang=lang).text


def age_band(age: int | None, width: int = 5) -> str:
    """``42`` -> ``"40-44"``; 90 and over -> ``"90+"``; unknown -> ``"*"``."""
    if age is None or age < 0:
        return "*"
    if age > OLDEST_KEPT_AGE:
        return f"{OLDEST_KEPT_AGE + 1}+"
    low = age // width * width
    return f"{low}-{low + width - 1}"
