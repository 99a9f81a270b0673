"""Apple Health ``export.xml``, streamed with iterparse in bounded memory.

Each finished top-level element is turned into at most one Observation and then
cleared, and the root drops its finished children, so memory does not grow with the
file. Blood pressure arrives as a Correlation holding a systolic and a diastolic
Record (and, in many exports, the same two Records again at top level): both shapes
become one panel Observation with the same id, so the second is a duplicate. Types
the map does not know are counted as skipped, by type.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import IO

from careguide.records.base import ImportIssue, ImportOptions, Incoming, RecordFileError, Skipped
from careguide.records.measures import load_measures
from careguide.records.observations import ReadingTime, measure_observation, panel_observation
from careguide.records.profiles import AppleHealthMap, load_apple_health_map

SOURCE = "apple_health"
_PAIR_BUFFER = 2000  # unpaired top-level systolic/diastolic readings kept while waiting for the other half


class AppleHealthImporter:
    name = "apple_health"

    def sniff(self, filename: str, head: bytes) -> bool:
        return filename.lower().endswith(".xml") and b"<HealthData" in head

    def read(self, stream: IO[bytes], options: ImportOptions) -> Iterator[Incoming | ImportIssue | Skipped]:
        mapping = load_apple_health_map()
        pairs: OrderedDict[tuple[str, str], dict[str, float]] = OrderedDict()
        depth = 0
        root: ET.Element | None = None
        count = 0
        try:
            for event, elem in ET.iterparse(stream, events=("start", "end")):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root = elem
                        if elem.tag != "HealthData":
                            raise RecordFileError("apple_not_health_export", tag=elem.tag)
                    continue
                depth -= 1
                if depth != 1:
                    continue
                count += 1
                yield from _element(elem, f"element {count}", mapping, pairs)
                elem.clear()
                if root is not None:
                    root.clear()
        except ET.ParseError as exc:
            raise RecordFileError("xml_broken", detail=str(exc)[:120]) from exc
        if depth != 0:
            raise RecordFileError("xml_broken", detail="document not closed")
        measures = load_measures()
        for (start, source), values in pairs.items():
            for type_name, value in values.items():
                measure = measures.by_id("systolic_bp" if type_name == mapping.systolic_type else "diastolic_bp")
                when = ReadingTime(_apple_time(start))
                yield Incoming(measure_observation(measure, value, when, source=SOURCE, device=source),
                               f"record at {start}", SOURCE)


def _element(elem: ET.Element, where: str, mapping: AppleHealthMap,
             pairs: OrderedDict[tuple[str, str], dict[str, float]]) -> Iterator[Incoming | ImportIssue | Skipped]:
    kind = elem.get("type") or elem.tag
    if elem.tag == "Correlation" and kind == mapping.blood_pressure_type:
        values = {}
        for record in elem.findall("Record"):
            parsed = _number(record)
            if parsed is not None:
                values[record.get("type", "")] = _bp_value(record, parsed)
        yield from _bp_panel(values, elem, where, mapping)
        return
    if elem.tag != "Record":
        if elem.tag not in ("ExportDate", "Me"):
            yield Skipped(elem.tag)
        return
    if kind in (mapping.systolic_type, mapping.diastolic_type):
        value = _number(elem)
        if value is None:
            yield ImportIssue(where=where, resource=kind, field="value", code="value_not_number")
            return
        key = (elem.get("startDate", ""), elem.get("sourceName", ""))
        half = pairs.setdefault(key, {})
        half[kind] = _bp_value(elem, value)
        if len(half) == 2:
            del pairs[key]
            yield from _bp_panel(half, elem, where, mapping)
        while len(pairs) > _PAIR_BUFFER:
            (start, source), lonely = pairs.popitem(last=False)
            for type_name, single in lonely.items():
                measure = load_measures().by_id("systolic_bp" if type_name == mapping.systolic_type else "diastolic_bp")
                yield Incoming(measure_observation(measure, single, ReadingTime(_apple_time(start)), source=SOURCE,
                                                   device=source), where, SOURCE)
        return
    if kind == mapping.sleep_type:
        measure_id = mapping.sleep_values.get(elem.get("value", ""))
        if measure_id is None:
            yield Skipped(f"{kind}:{elem.get('value', '')}")
            return
        began, ended = _apple_time(elem.get("startDate")), _apple_time(elem.get("endDate"))
        minutes = (ended - began).total_seconds() / 60
        yield Incoming(measure_observation(load_measures().by_id(measure_id), minutes, ReadingTime(began, ended),
                                           source=SOURCE, device=elem.get("sourceName")), where, SOURCE)
        return
    quantity = mapping.quantities.get(kind)
    if quantity is None:
        yield Skipped(kind)
        return
    value = _number(elem)
    if value is None:
        yield ImportIssue(where=where, resource=kind, field="value", code="value_not_number",
                          message=str(elem.get("value"))[:40])
        return
    measure = load_measures().by_id(quantity.measure)
    unit = quantity.unit or elem.get("unit", "")
    canonical = measure.to_canonical(value * quantity.scale, unit)
    if canonical is None:
        yield ImportIssue(where=where, resource=kind, field="unit", code="unit_not_accepted",
                          message=f"{unit!r} for {measure.id}; accepted: {sorted(measure.units)}")
        return
    if not measure.is_plausible(canonical):
        yield ImportIssue(where=where, resource=kind, field="value", code="value_not_plausible",
                          message=f"{elem.get('value')} {unit} for {measure.id}")
        return
    began, ended = _apple_time(elem.get("startDate")), _apple_time(elem.get("endDate"))
    meal = None
    if measure.id == "glucose":
        for entry in elem.findall("MetadataEntry"):
            if entry.get("key") == mapping.meal_time_key:
                meal = mapping.meal_time_values.get(entry.get("value", ""))
    yield Incoming(measure_observation(measure, canonical, ReadingTime(began, ended), source=SOURCE,
                                       device=elem.get("sourceName"), meal_context=meal), where, SOURCE)


def _bp_panel(values: dict[str, float], elem: ET.Element, where: str,
              mapping: AppleHealthMap) -> Iterator[Incoming | ImportIssue]:
    measures = load_measures()
    systolic, diastolic = values.get(mapping.systolic_type), values.get(mapping.diastolic_type)
    if systolic is None or diastolic is None:
        yield ImportIssue(where=where, resource=mapping.blood_pressure_type, field="Record",
                          code="bp_half_missing")
        return
    sys_m, dia_m = measures.by_id("systolic_bp"), measures.by_id("diastolic_bp")
    for measure, value in ((sys_m, systolic), (dia_m, diastolic)):
        if not measure.is_plausible(value):
            yield ImportIssue(where=where, resource=mapping.blood_pressure_type, field="value",
                              code="value_not_plausible", message=f"{value} for {measure.id}")
            return
    panel = next(p for p in measures.panels if p.id == "blood_pressure")
    when = ReadingTime(_apple_time(elem.get("startDate")))
    yield Incoming(panel_observation(panel, [(sys_m, systolic), (dia_m, diastolic)], when, source=SOURCE,
                                     device=elem.get("sourceName")), where, SOURCE)


def _bp_value(record: ET.Element, value: float) -> float:
    measure = load_measures().by_id("systolic_bp")
    converted = measure.to_canonical(value, record.get("unit", "mmHg"))
    return value if converted is None else converted


def _number(elem: ET.Element) -> float | None:
    try:
        return float(elem.get("value", ""))
    except ValueError:
        return None


def _apple_time(text: str | None) -> datetime:
    """Apple's ``2024-01-01 01:01:36 +0200``; sliced by hand because strptime dominates large imports."""
    if not text:
        raise RecordFileError("xml_broken", detail="a Record has no date")
    try:
        if len(text) == 25 and text[10] == " " and text[19] == " " and text[20] in "+-":
            return datetime(int(text[0:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]), int(text[14:16]),
                            int(text[17:19]), tzinfo=_offset(text[20:25]))
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
    except ValueError as exc:
        raise RecordFileError("apple_bad_date", value=text[:40]) from exc


@lru_cache(maxsize=64)
def _offset(text: str) -> timezone:
    minutes = int(text[1:3]) * 60 + int(text[3:5])
    return timezone(timedelta(minutes=-minutes if text[0] == "-" else minutes))
