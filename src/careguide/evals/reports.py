"""Report-extraction evaluation: field-level precision/recall/F1 per input format.

Fields are (analyte -> LOINC, value, unit, reference range, flag), compared row by row against the
gold rows of the generated corpus (``careguide.reports.corpus``), rendered to text, PDF and photo.
A second suite reads the public lab reference data under ``shared/evals/reports/lab_reference``
(HL7 US Core FHIR examples, Chinese panel items) in place, without copying it.
"""

from __future__ import annotations

import csv
import json
import math
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from careguide.knowledge.analytes import AnalyteIndex, load_analytes, name_key
from careguide.reports.corpus.generate import CorpusReport, GoldRow, generate_corpus
from careguide.reports.errors import ReportError
from careguide.reports.fields import parse_range
from careguide.reports.interpret import find_analyte, interpret
from careguide.reports.models import Flag, LabResult, LabRow, ParsedValue
from careguide.reports.pipeline import read_report

FIELDS = ("loinc", "value", "unit", "range", "flag")
FORMATS = ("text", "pdf", "photo")
DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "evals" / "reports" / "lab_reference"
_COLLAPSE = {Flag.CRITICAL_HIGH: "H", Flag.CRITICAL_LOW: "L", Flag.HIGH: "H", Flag.LOW: "L", Flag.NORMAL: "N",
             Flag.ABNORMAL: "A"}

Progress = Callable[[str, int, int], None]


def evaluate(formats: Iterable[str] = FORMATS, n: int = 96, photo_limit: int | None = None,
             reference_dir: Path | None = None, progress: Progress | None = None) -> dict[str, Any]:
    """All figures as one flat-ish dict: ``f1_<format>``, per-field P/R/F1, counts, timings."""
    corpus = generate_corpus(n)
    index = load_analytes()
    metrics: dict[str, Any] = {"n": len(corpus), "rows_gold": sum(len(r.gold) for r in corpus)}
    for fmt in formats:
        reports = corpus[: photo_limit] if fmt == "photo" and photo_limit else corpus
        result = evaluate_format(fmt, reports, index, progress)
        metrics[f"f1_{fmt}"] = result["f1"]
        metrics[fmt] = result
    folder = reference_dir or DEFAULT_REFERENCE_DIR
    if folder.exists():
        metrics["lab_reference"] = evaluate_lab_reference(folder, index)
    return metrics


def evaluate_format(fmt: str, reports: list[CorpusReport], index: AnalyteIndex,
                    progress: Progress | None = None) -> dict[str, Any]:
    from careguide.reports.corpus.render import render_pdf, render_photo, render_text

    counts = {f: {"tp": 0, "fp": 0, "fn": 0} for f in FIELDS}
    header_hits = header_total = 0
    failures: list[str] = []
    seconds = 0.0
    for position, report in enumerate(reports, start=1):
        if fmt == "text":
            data, name = render_text(report).encode("utf-8"), f"{report.id}.txt"
        elif fmt == "pdf":
            data, name = render_pdf(report), f"{report.id}.pdf"
        else:
            data, name = render_photo(report), f"{report.id}.jpg"
        started = time.perf_counter()
        try:
            parsed = read_report(data, name)
            explained = interpret(parsed, report.lang, index=index)
            predicted = list(zip(parsed.rows, explained.results, strict=True))
            header = parsed.header
        except ReportError as error:
            failures.append(f"{report.id}: {error}")
            predicted, header = [], None
        seconds += time.perf_counter() - started
        _score_report(report.gold, predicted, index, counts)
        if header is not None:
            for got, want in ((header.report_date, report.report_date), (header.sex, report.sex),
                              (header.age, float(report.age)), (header.specimen, report.specimen)):
                header_hits += int(got == want)
        header_total += 4
        if progress:
            progress(fmt, position, len(reports))
    per_field = {f: _prf(c) for f, c in counts.items()}
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    overall = _prf(total)
    return {"f1": overall["f1"], "precision": overall["precision"], "recall": overall["recall"],
            "fields": per_field, "reports": len(reports), "failed": failures,
            "header_accuracy": round(header_hits / header_total, 4) if header_total else None,
            "seconds_per_report": round(seconds / max(len(reports), 1), 4)}


def _score_report(gold: list[GoldRow], predicted: list[tuple[LabRow, LabResult]], index: AnalyteIndex,
                  counts: dict[str, dict[str, int]]) -> None:
    pairs, unmatched_gold, unmatched_pred = _align(gold, predicted)
    for g, (row, result) in pairs:
        want = _gold_fields(g, index)
        got = _predicted_fields(row, result, index)
        for field in FIELDS:
            w, p = want.get(field), got.get(field)
            if w is not None and p is not None and _same(field, w, p):
                counts[field]["tp"] += 1
            else:
                if p is not None:
                    counts[field]["fp"] += 1
                if w is not None:
                    counts[field]["fn"] += 1
    for g in unmatched_gold:
        for field, value in _gold_fields(g, index).items():
            if value is not None:
                counts[field]["fn"] += 1
    for row, result in unmatched_pred:
        for field, value in _predicted_fields(row, result, index).items():
            if value is not None:
                counts[field]["fp"] += 1


def _align(gold: list[GoldRow], predicted: list[tuple[LabRow, LabResult]]
           ) -> tuple[list[tuple[GoldRow, tuple[LabRow, LabResult]]], list[GoldRow], list[tuple[LabRow, LabResult]]]:
    from rapidfuzz import fuzz

    scored = []
    for gi, g in enumerate(gold):
        for pi, (row, _) in enumerate(predicted):
            score = fuzz.ratio(name_key(g.printed_name), name_key(row.name))
            if row.code and name_key(row.code) == name_key(g.printed_name):
                score = 100
            if _value_of(row) == g.value:
                score += 30
            scored.append((score, gi, pi))
    scored.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for score, gi, pi in scored:
        if score < 60 or gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gold[gi], predicted[pi]))
    return (pairs, [g for i, g in enumerate(gold) if i not in used_g],
            [p for i, p in enumerate(predicted) if i not in used_p])


def _gold_fields(g: GoldRow, index: AnalyteIndex) -> dict[str, Any]:
    analyte = index.by_loinc.get(g.loinc) if g.loinc else None
    return {
        "loinc": (analyte.id if analyte else g.loinc) if g.loinc else None,
        "value": g.value,
        "unit": index.normalise_unit(g.unit) or None,
        "range": (g.range_low, g.range_high) if g.range_qualitative is None else g.range_qualitative,
        "flag": g.flag,
    }


def _predicted_fields(row: LabRow, result: LabResult, index: AnalyteIndex) -> dict[str, Any]:
    analyte = index.by_loinc.get(result.loinc) if result.loinc else None
    range_: Any = None
    if row.range is not None:
        range_ = row.range.qualitative if row.range.qualitative else (row.range.low, row.range.high)
    return {
        "loinc": (analyte.id if analyte else result.loinc) if result.loinc else None,
        "value": _value_of(row),
        "unit": index.normalise_unit(row.unit) or None if row.unit else None,
        "range": range_,
        "flag": _COLLAPSE.get(result.flag),
    }


def _value_of(row: LabRow) -> float | str | None:
    return row.value.number if row.value.number is not None else row.value.qualitative


def _same(field: str, want: Any, got: Any) -> bool:
    if field == "value" and isinstance(want, float) and isinstance(got, float):
        return math.isclose(want, got, rel_tol=1e-6, abs_tol=1e-9)
    if field == "range" and isinstance(want, tuple) and isinstance(got, tuple):
        return all((a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-6))
                   for a, b in zip(want, got, strict=True))
    return bool(want == got)


def _prf(c: dict[str, int]) -> dict[str, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), **c}


# --- public reference data (read in place) ---------------------------------------------------------

def evaluate_lab_reference(folder: Path, index: AnalyteIndex | None = None) -> dict[str, Any]:
    index = index or load_analytes()
    return {"us_core": _us_core(folder, index), "zh_panels": _zh_panels(folder, index)}


def _us_core(folder: Path, index: AnalyteIndex) -> dict[str, Any]:
    """Each US Core Observation through the FHIR extractor, against the flattened published table."""
    from careguide.reports.pipeline import explain_report

    table = folder / "us_core_lab_observations_table.csv"
    rows = list(csv.DictReader(table.open(encoding="utf-8"))) if table.exists() else []
    counts = {f: {"tp": 0, "fp": 0, "fn": 0} for f in ("loinc", "value", "unit", "range")}
    inverted_total = inverted_caught = flags_total = flags_agree = names_total = names_ok = 0
    for gold in rows:
        if not gold["value"]:
            continue
        path = folder / "us_core_examples" / gold["file"]
        explained = explain_report(path.read_bytes(), path.name, "en", index=index)
        result = explained.results[0]
        predicted = index.by_loinc.get(result.loinc) if result.loinc else None
        known = index.by_loinc.get(gold["loinc"])
        got: dict[str, Any] = {"loinc": predicted.id if predicted else None, "value": result.value, "unit": index.normalise_unit(result.unit or ""),
               "range": (result.range_low, result.range_high) if result.range_source == "report" else None}
        low, high = float(gold["ref_low"]), float(gold["ref_high"])
        want: dict[str, Any] = {"loinc": known.id if known else None, "value": float(gold["value"]),
                "unit": index.normalise_unit(gold["unit"]), "range": (low, high) if low <= high else None}
        for field, w in want.items():
            p = got[field]
            if field == "loinc" and w is None:
                # an analyte the knowledge base does not hold: must be shown as not recognised
                counts[field]["fn"] += 1
                counts[field]["fp"] += int(p is not None)
                continue
            if w is not None and p is not None and _same(field, w, p):
                counts[field]["tp"] += 1
            else:
                counts[field]["fp"] += int(p is not None)
                counts[field]["fn"] += int(w is not None)
        if low > high:
            inverted_total += 1  # published with the bounds swapped: the pipeline must say so
            inverted_caught += int(any("lower limit above its upper limit" in p for p in result.problems))
        else:
            published = json.loads(gold["interpretation"] or "[]")
            if published:
                flags_total += 1
                flags_agree += int(_COLLAPSE.get(result.flag) == published[0])
        found = find_analyte(LabRow(name=gold["code_text"], value=ParsedValue(text=gold["value"], number=float(gold["value"]))), index)
        names_total += 1
        names_ok += int(found is not None and gold["loinc"] in found.all_loinc)
    per_field = {f: _prf(c) for f, c in counts.items()}
    total = _prf({k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")})
    return {"observations": sum(1 for r in rows if r["value"]), "f1": total["f1"], "fields": per_field,
            "inverted_ranges": inverted_total, "inverted_ranges_caught": inverted_caught,
            "flag_agreement": round(flags_agree / flags_total, 4) if flags_total else None,
            "name_to_loinc_accuracy": round(names_ok / names_total, 4) if names_total else None}


def _zh_panels(folder: Path, index: AnalyteIndex) -> dict[str, Any]:
    """Chinese panel items as printed: is the name known, does the unit fit it, does the range parse?"""
    path = folder / "zh_lab_panels_uhs_api.json"
    if not path.exists():
        return {}
    panels = json.loads(path.read_text(encoding="utf-8"))
    items = [item for panel in panels for item in panel["references"]]
    recognised = units_ok = units_total = ranges_ok = ranges_total = 0
    unrecognised: list[str] = []
    for item in items:
        row = LabRow(name=item["name"], code=item["short_name"] if item["short_name"] != "-" else None,
                     unit=item["unit"] or None, value=ParsedValue(text="1", number=1.0))
        analyte = find_analyte(row, index)
        if analyte is None:
            unrecognised.append(item["name"])
        else:
            recognised += 1
            if item["unit"]:
                units_total += 1
                units_ok += int(index.unit_fits(analyte, item["unit"]))
        if item["reference"]:
            ranges_total += 1
            ranges_ok += int(parse_range(item["reference"]) is not None)
    return {"items": len(items), "recognised": round(recognised / len(items), 4) if items else None,
            "unit_fits": round(units_ok / units_total, 4) if units_total else None,
            "range_parsed": round(ranges_ok / ranges_total, 4) if ranges_total else None,
            "unrecognised_names": unrecognised}
