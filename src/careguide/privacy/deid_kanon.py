"""k-anonymity of a de-identified export, and the re-identification risk that remains.

Direct identifiers are gone after ``deid``; what can still single a person out is the
combination of quasi-identifiers. By default those are the age band (5 years, 90+ pooled),
sex and the first three characters of the postal or region code (the "3-digit ZIP" of the
HIPAA Safe Harbor rule; for a mainland postal code, the postal district). Every combination
should be shared by at least ``k`` people. Risk is reported under the prosecutor model
(El Emam, Guide to the De-Identification of Personal Health Information, 2013): an attacker
who knows the target is in the data re-identifies a record in a class of size ``n`` with
probability ``1/n``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel

from careguide.privacy.deid import age_band

DEFAULT_QUASI_IDENTIFIERS = ("age_band", "sex", "region3")
SUPPRESSED = "*"


class SmallClass(BaseModel):
    values: dict[str, str]
    size: int


class KAnonymityReport(BaseModel):
    quasi_identifiers: list[str]
    k: int
    rows: int
    classes: int
    smallest_class: int  # the k the data actually achieves
    satisfied: bool
    rows_below_k: int
    share_below_k: float
    unique_rows: int
    max_risk: float  # 1 / smallest class: the worst-placed person's re-identification probability
    average_risk: float  # classes / rows: the mean over all records
    share_at_risk_over_0_2: float  # records whose risk exceeds 0.2 (classes of 4 or fewer)
    suppressed_rows: int = 0
    small_classes: list[SmallClass]


def quasi_identifiers(birth_date: date | None, sex: str | None, region: str | None, today: date | None = None) -> dict[str, str]:
    """The generalised quasi-identifiers of one person."""
    today = today or date.today()
    age = None
    if birth_date is not None:
        age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    return {
        "age_band": age_band(age),
        "sex": (sex or SUPPRESSED).upper()[:1] if sex else SUPPRESSED,
        "region3": (region or "")[:3] or SUPPRESSED,
    }


def check_k_anonymity(
    rows: Sequence[Mapping[str, Any]], quasi: Sequence[str] = DEFAULT_QUASI_IDENTIFIERS, k: int = 5
) -> KAnonymityReport:
    if k < 1:
        raise ValueError("k must be at least 1")
    keys = [tuple(str(row.get(q, SUPPRESSED)) for q in quasi) for row in rows]
    sizes = Counter(keys)
    n = len(keys)
    smallest = min(sizes.values()) if sizes else 0
    below = sum(size for size in sizes.values() if size < k)
    small = sorted((key for key, size in sizes.items() if size < k), key=lambda key: (sizes[key], key))
    return KAnonymityReport(
        quasi_identifiers=list(quasi),
        k=k,
        rows=n,
        classes=len(sizes),
        smallest_class=smallest,
        satisfied=n == 0 or smallest >= k,
        rows_below_k=below,
        share_below_k=round(below / n, 4) if n else 0.0,
        unique_rows=sum(1 for size in sizes.values() if size == 1),
        max_risk=round(1 / smallest, 4) if smallest else 0.0,
        average_risk=round(len(sizes) / n, 4) if n else 0.0,
        share_at_risk_over_0_2=round(sum(size for size in sizes.values() if size < 5) / n, 4) if n else 0.0,
        small_classes=[SmallClass(values=dict(zip(quasi, key, strict=True)), size=sizes[key]) for key in small[:20]],
    )


def enforce_k_anonymity(
    rows: Sequence[Mapping[str, Any]], quasi: Sequence[str] = DEFAULT_QUASI_IDENTIFIERS, k: int = 5
) -> tuple[list[dict[str, Any]], KAnonymityReport]:
    """Generalise, then suppress, until every class holds ``k`` rows.

    Step by step: the region is cut to its first character, then age bands widen to 10
    years, then the quasi-identifiers of any row still in a small class are replaced by
    ``*`` (local suppression). The report describes the result, with the rows suppressed."""
    work = [dict(row) for row in rows]
    for generalise in (_coarser_region, _wider_age_band):
        if check_k_anonymity(work, quasi, k).satisfied:
            break
        sizes = Counter(tuple(str(r.get(q, SUPPRESSED)) for q in quasi) for r in work)
        for row in work:
            if sizes[tuple(str(row.get(q, SUPPRESSED)) for q in quasi)] < k:
                generalise(row)
    sizes = Counter(tuple(str(r.get(q, SUPPRESSED)) for q in quasi) for r in work)
    suppressed = 0
    for row in work:
        if sizes[tuple(str(row.get(q, SUPPRESSED)) for q in quasi)] < k:
            for q in quasi:
                row[q] = SUPPRESSED
            suppressed += 1
    report = check_k_anonymity(work, quasi, k)
    # The suppressed rows form one class; fewer than k of them can still be told apart from the rest only as "suppressed".
    return work, report.model_copy(update={"suppressed_rows": suppressed})


def _coarser_region(row: dict[str, Any]) -> None:
    region = str(row.get("region3", SUPPRESSED))
    if region != SUPPRESSED:
        row["region3"] = region[:1] + "**"


def _wider_age_band(row: dict[str, Any]) -> None:
    band = str(row.get("age_band", SUPPRESSED))
    if "-" in band:
        low = int(band.split("-")[0]) // 10 * 10
        row["age_band"] = f"{low}-{low + 9}"
