"""How much of the public lab reference material the analyte index recognises.

Reads the shared evaluation files (never copied into the repository) and measures:
- Chinese panel items (zh_lab_panels_uhs_api.json): recognised by printed abbreviation or
  Chinese name, and whether the printed unit fits the analyte found;
- LOINC codes in the Synthea and US Core tables (laboratory rows): resolved by code, and
  resolved by their display text through name lookup.
Run ``python tests/knowledge_labs/test_lab_reference_coverage.py`` to print the figures.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from careguide.knowledge.analytes import AnalyteIndex, load_analytes

REFERENCE = Path("/work/shared/evals/reports/lab_reference")
pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason="shared lab reference files not present")


def zh_panel_coverage(index: AnalyteIndex) -> dict[str, float | int | list[str]]:
    panels = json.loads((REFERENCE / "zh_lab_panels_uhs_api.json").read_text(encoding="utf-8"))
    items = [item for panel in panels for item in panel["references"]]
    recognised, unit_fits, with_unit, missed = 0, 0, 0, []
    for item in items:
        unit = item.get("unit") or None
        found = None
        for name in (item.get("short_name"), item.get("name")):
            if name and name.strip("- "):
                found = index.lookup(name, unit=unit)
                if found:
                    break
        if found is None:
            missed.append(f"{item.get('short_name')}|{item.get('name')}")
            continue
        recognised += 1
        if unit:
            with_unit += 1
            unit_fits += index.unit_fits(found, unit)
    return {"items": len(items), "recognised": recognised, "share": recognised / len(items),
            "with_unit": with_unit, "unit_fits_share": unit_fits / with_unit if with_unit else 1.0,
            "missed": missed}


def _lab_rows() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    with (REFERENCE / "synthea_observation_loinc_summary.csv").open(encoding="utf-8") as handle:
        rows += [(r["loinc"], r["display"]) for r in csv.DictReader(handle) if r["category"] == "laboratory"]
    with (REFERENCE / "us_core_lab_observations_table.csv").open(encoding="utf-8") as handle:
        rows += [(r["loinc"], r["code_text"] or r["display"]) for r in csv.DictReader(handle)]
    return rows


def loinc_coverage(index: AnalyteIndex) -> dict[str, float | int | list[str]]:
    rows = _lab_rows()
    by_code = [code for code, _ in rows if code in index.by_loinc]
    by_name_correct = 0
    for code, display in rows:
        if code not in index.by_loinc:
            continue
        found = index.lookup(display) or index.lookup(display.split(",")[0])
        by_name_correct += found is not None and found.id == index.by_loinc[code].id
    return {"codes": len(rows), "resolved_by_code": len(by_code), "share_by_code": len(by_code) / len(rows),
            "display_names_resolving_to_same_analyte": by_name_correct,
            "missed": [f"{c} {d}" for c, d in rows if c not in index.by_loinc]}


def test_most_chinese_panel_items_are_recognised_with_a_fitting_unit():
    figures = zh_panel_coverage(load_analytes())
    assert figures["share"] >= 0.9, figures["missed"]
    assert figures["unit_fits_share"] >= 0.95


def test_most_laboratory_loinc_codes_in_the_fhir_tables_resolve():
    figures = loinc_coverage(load_analytes())
    assert figures["share_by_code"] >= 0.9, figures["missed"]
    assert figures["display_names_resolving_to_same_analyte"] >= 0.9 * figures["resolved_by_code"]


if __name__ == "__main__":
    index = load_analytes()
    print(json.dumps({"zh_panels": zh_panel_coverage(index), "loinc": loinc_coverage(index)},
                     ensure_ascii=False, indent=1))
