"""Home-device and wearable exports (CSV, or JSON lists of objects) read through a device profile.

The profile (data, ``knowledge/data/devices/*.yaml``) maps columns to measures and units;
this module only applies it. A row whose value is not a number, whose unit is not a
unit of its measure, or whose value is implausible in the stated unit (a weight of
165000 "kg" is grams) is an issue naming the row and column, and the file is not kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO, Any

import ijson

from careguide.records.base import ImportIssue, ImportOptions, Incoming, RecordFileError
from careguide.records.measures import Measure, load_measures
from careguide.records.observations import ReadingTime, measure_observation, panel_observation
from careguide.records.profiles import ColumnReading, DeviceProfile, load_profiles

_EMPTY = {"", "na", "n/a", "-", "--", "null", "none"}


class DeviceFileImporter:
    name = "device"

    def sniff(self, filename: str, head: bytes) -> bool:
        name = filename.lower()
        if name.endswith(".csv"):
            return detect_profile(_csv_header(head), None) is not None
        if name.endswith(".json"):
            return b'"resourceType"' not in head and any(
                p.format == "json" and all(f'"{c}"'.encode() in head for c in p.match_columns)
                for p in load_profiles().values()
            )
        return False

    def read(self, stream: IO[bytes], options: ImportOptions) -> Iterator[Incoming | ImportIssue]:
        head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
        if head.lstrip().startswith((b"[", b"{")):
            yield from self._read_json(stream, options)
        else:
            yield from self._read_csv(stream, options)

    def _read_csv(self, stream: IO[bytes], options: ImportOptions) -> Iterator[Incoming | ImportIssue]:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        try:
            header = [h.strip() for h in next(csv.reader([text.readline()]), [])]
            profile = _choose_profile(header, options)
            reader = csv.DictReader(text, fieldnames=header, delimiter=profile.delimiter)
            yield from _rows(profile, ((n + 2, row) for n, row in enumerate(reader)), options)
        except UnicodeDecodeError as exc:
            raise RecordFileError("not_utf8", detail=str(exc)[:80]) from exc
        except csv.Error as exc:
            raise RecordFileError("csv_broken", detail=str(exc)[:80]) from exc
        finally:
            text.detach()

    def _read_json(self, stream: IO[bytes], options: ImportOptions) -> Iterator[Incoming | ImportIssue]:
        candidates = [p for p in load_profiles().values() if p.format == "json"]
        if options.profile:
            candidates = [p for p in candidates if p.id == options.profile]
        records = None
        try:
            for profile in candidates:
                stream.seek(0)
                records = ijson.items(stream, profile.json_path, use_float=True)
                first = next(records, None)
                if isinstance(first, dict) and profile.matches(list(first)):
                    rows = _chain_first(first, records)
                    yield from _rows(profile, ((n + 1, r) for n, r in enumerate(rows)), options)
                    return
        except ijson.IncompleteJSONError as exc:
            raise RecordFileError("json_truncated", detail=str(exc)[:120]) from exc
        except ijson.JSONError as exc:
            raise RecordFileError("json_invalid", detail=str(exc)[:120]) from exc
        raise RecordFileError("no_device_profile", columns="-")


def detect_profile(header: list[str], wanted: str | None) -> DeviceProfile | None:
    """The profile whose columns the header has (the most specific one), or None."""
    profiles = load_profiles()
    if wanted:
        profile = profiles.get(wanted)
        return profile if profile is not None and profile.matches(header) else None
    fitting = [p for p in profiles.values() if p.format == "csv" and p.matches(header)]
    fitting.sort(key=lambda p: -len(p.match_columns))
    return fitting[0] if fitting else None


def _choose_profile(header: list[str], options: ImportOptions) -> DeviceProfile:
    profile = detect_profile(header, options.profile)
    if profile is None:
        raise RecordFileError("no_device_profile", columns=", ".join(h.strip() for h in header)[:200])
    return profile


def _rows(profile: DeviceProfile, rows: Iterator[tuple[int, dict[str, Any]]],
          options: ImportOptions) -> Iterator[Incoming | ImportIssue]:
    measures = load_measures()
    source = f"device:{profile.id}"
    first_subject: str | None = None
    for number, row in rows:
        where = f"row {number}"
        if profile.subject_column:
            subject = str(row.get(profile.subject_column) or "").strip()
            if options.device_subject is not None:
                if subject != options.device_subject:
                    continue
            elif first_subject is None:
                first_subject = subject
            elif subject != first_subject:
                raise RecordFileError("several_device_subjects", column=profile.subject_column,
                                      first=first_subject, other=subject)
        try:
            when = _reading_time(profile, row, options)
        except ValueError:
            yield ImportIssue(where=where, field=profile.time.column, code="time_unreadable",
                              message=str(row.get(profile.time.column))[:60])
            continue
        meal = _meal_context(profile, row)
        for reading in profile.readings:
            result = _value(reading, measures.by_id(reading.measure), row, where)
            if isinstance(result, ImportIssue):
                yield result
            elif result is not None:
                yield Incoming(measure_observation(measures.by_id(reading.measure), result, when, source=source,
                                                   loinc=reading.loinc, meal_context=meal), where, source)
        for panel_reading in profile.panels:
            components: list[tuple[Measure, float]] = []
            problem = False
            for reading in panel_reading.components:
                measure = measures.by_id(reading.measure)
                result = _value(reading, measure, row, where)
                if isinstance(result, ImportIssue):
                    yield result
                    problem = True
                elif result is not None:
                    components.append((measure, result))
            if not problem and len(components) == len(panel_reading.components):
                panel = next(p for p in measures.panels if p.id == panel_reading.panel)
                yield Incoming(panel_observation(panel, components, when, source=source), where, source)


def _value(reading: ColumnReading, measure: Measure, row: dict[str, Any], where: str) -> float | ImportIssue | None:
    raw = row.get(reading.column)
    if raw is None or str(raw).strip().lower() in _EMPTY:
        return None
    try:
        value = float(str(raw).strip().replace(",", "."))
    except ValueError:
        return ImportIssue(where=where, field=reading.column, code="value_not_number", message=str(raw)[:40])
    unit = reading.unit or str(row.get(reading.unit_column or "") or "").strip()
    canonical = measure.to_canonical(value, unit)
    if canonical is None:
        return ImportIssue(where=where, field=reading.unit_column or reading.column, code="unit_not_accepted",
                           message=f"{unit!r} for {measure.id}; accepted: {sorted(measure.units)}")
    if not measure.is_plausible(canonical):
        return ImportIssue(where=where, field=reading.column, code="value_not_plausible",
                           message=f"{raw} {unit} for {measure.id}")
    return canonical


def _reading_time(profile: DeviceProfile, row: dict[str, Any], options: ImportOptions) -> ReadingTime:
    spec = profile.time
    text = str(row.get(spec.column) or "").strip()
    if spec.time_column:
        text = f"{text} {str(row.get(spec.time_column) or '').strip()}"
    moment = None
    for fmt in spec.formats:
        try:
            moment = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if moment is None:
        raise ValueError(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=options.zone)
    end = moment + timedelta(minutes=spec.period_minutes) if spec.period_minutes else None
    return ReadingTime(start=moment, end=end, date_only=spec.date_only)


def _meal_context(profile: DeviceProfile, row: dict[str, Any]) -> str | None:
    if profile.meal_context is None:
        return None
    text = str(row.get(profile.meal_context.column) or "").strip().lower()
    return profile.meal_context.values.get(text)


def _csv_header(head: bytes) -> list[str]:
    first = head.decode("utf-8-sig", errors="replace").splitlines()[0] if head else ""
    return [h.strip() for h in next(csv.reader([first]), [])]


def _chain_first(first: dict[str, Any], rest: Iterator[Any]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest
