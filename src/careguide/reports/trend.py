"""Compare this report with earlier results of the same LOINC code, after unit conversion.

A pure function: the caller (records store, API) passes the earlier results it holds.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from careguide.i18n import t
from careguide.knowledge.analytes import AnalyteIndex, UnitMismatch, load_analytes
from careguide.reports.models import LabResult, Trend, TrendPoint

# Changes smaller than this fraction are within the day-to-day variation of most analytes
# (biological + analytical CV is 2-15 % for common chemistry and blood counts; Ricos et al.).
STABLE_FRACTION = 0.05


class EarlierResult(BaseModel):
    loinc: str
    value: float
    unit: str | None = None
    when: date | None = None


def describe_trends(current: list[LabResult], earlier: list[EarlierResult], lang: str = "en",
                    when: date | None = None, index: AnalyteIndex | None = None) -> list[Trend]:
    """One trend per current numeric result that has earlier values with the same LOINC code."""
    index = index or load_analytes()
    trends: list[Trend] = []
    for result in current:
        if result.loinc is None or not isinstance(result.value, float):
            continue
        analyte = index.by_loinc.get(result.loinc)
        history = [e for e in earlier if e.loinc == result.loinc or (analyte and e.loinc in analyte.all_loinc)]
        if not history:
            continue
        points: list[TrendPoint] = []
        unit = analyte.unit if analyte else (result.unit or "")
        for item in sorted(history, key=lambda e: e.when or date.min):
            value = _to_unit(index, result.loinc, item.value, item.unit, unit)
            if value is not None:
                points.append(TrendPoint(when=item.when, value=value, unit=unit))
        now = _to_unit(index, result.loinc, result.value, result.unit, unit)
        if not points or now is None:
            continue
        points.append(TrendPoint(when=when, value=now, unit=unit))
        trends.append(_trend(result, points, unit, lang))
    return trends


def _to_unit(index: AnalyteIndex, loinc: str, value: float, unit: str | None, target: str) -> float | None:
    analyte = index.by_loinc.get(loinc)
    if analyte is None:
        return value if (unit or "") == target else None
    try:
        return index.convert(analyte, value, unit)
    except UnitMismatch:
        return None


def _trend(result: LabResult, points: list[TrendPoint], unit: str, lang: str) -> Trend:
    first, last = points[0], points[-1]
    change = (last.value - first.value) / abs(first.value) if first.value else None
    if change is None or abs(change) < STABLE_FRACTION:
        direction = "stable"
    else:
        direction = "rising" if change > 0 else "falling"
    since = first.when.isoformat() if first.when else t("reports.trend_earlier", lang)
    text = t(f"reports.trend_{direction}", lang, name=result.name, first=f"{first.value:.4g}",
             last=f"{last.value:.4g}", unit=unit, change=(change or 0) * 100, since=since)
    return Trend(loinc=result.loinc or "", name=result.name, direction=direction, points=points,
                 change_percent=round(change * 100, 1) if change is not None else None, text=text)
