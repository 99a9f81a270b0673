"""Judge each parsed row against its range and say what it means, in the person's language.

The range printed on the report wins (the lab calibrated it for its own method); the
knowledge base's range is the fallback. Critical limits always come from the knowledge
base. Nothing here diagnoses: texts say what a value is often seen with and whom to ask.
"""

from __future__ import annotations

import re

from careguide.i18n import t
from careguide.knowledge.analytes import Analyte, AnalyteIndex, UnitMismatch, load_analytes
from careguide.reports.fields import POSITIVE_GRADES
from careguide.reports.models import CRITICAL_FLAGS, Flag, LabResult, LabRow, ParsedReport, ReportExplanation
from careguide.reports.narrative import compose

# A value this many times the upper reference limit is beyond what is seen in living people for
# almost every analyte: most often a misread value or a unit from another system.
_IMPLAUSIBLE_FACTOR = 10


def interpret(report: ParsedReport, lang: str = "en", *, sex: str | None = None, age: float | None = None,
              index: AnalyteIndex | None = None) -> ReportExplanation:
    """The explained report: every row judged, critical values first, a summary and next steps."""
    index = index or load_analytes()
    header = report.header
    if sex and not header.sex:
        header = header.model_copy(update={"sex": sex})
    if age is not None and header.age is None:
        header = header.model_copy(update={"age": age})
    results = [judge_row(row, index, lang, sex=header.sex, age=header.age) for row in report.rows]
    return compose(results, header, report.source_format, lang, index)


def judge_row(row: LabRow, index: AnalyteIndex, lang: str, *, sex: str | None = None,
              age: float | None = None) -> LabResult:
    analyte = find_analyte(row, index)
    number = row.value.number
    value: float | str | None = number if number is not None else row.value.qualitative or row.value.text
    result = LabResult(
        name=analyte.name.get(lang) if analyte else row.name,
        printed_name=row.name,
        analyte_id=analyte.id if analyte else None,
        loinc=analyte.loinc if analyte else row.loinc,
        value=value,
        value_text=row.value.text,
        unit=index.normalise_unit(row.unit) if row.unit else None,
        recognised=analyte is not None,
        department=analyte.department if analyte else None,
    )
    if row.range is not None:
        result.range_text = row.range.text
    if analyte is None:
        result.problems.append(t("reports.not_recognised", lang))
    if number is not None:
        _judge_number(result, row, analyte, index, lang, sex, age)
    else:
        _judge_qualitative(result, row, analyte)
    if row.printed_flag in CRITICAL_FLAGS and result.flag not in CRITICAL_FLAGS:
        result.flag = row.printed_flag
    if result.flag is Flag.UNKNOWN and row.printed_flag is not None:
        result.flag = row.printed_flag
    return result


def find_analyte(row: LabRow, index: AnalyteIndex) -> Analyte | None:
    """The analyte a row means: its LOINC code when it has one, else its printed name or code."""
    if row.loinc and row.loinc in index.by_loinc:
        return index.by_loinc[row.loinc]
    qualitative = row.value.qualitative is not None
    unit = row.unit or None
    for name, specimen in _names_to_try(row):
        found = index.lookup(name, unit=unit, qualitative=qualitative, specimen=specimen)
        # a word result ("阴性", "2+") cannot be a blood count or concentration: keep looking
        if found is not None and not (qualitative and found.kind == "quantitative" and found.specimen != "urine"):
            return found
    return None


_SPECIMEN_SUFFIX = re.compile(r"^(.*?)[,，]?\s*[(（]?\b(blood|serum|plasma|urine|ser/plas|serpl|bld|ur)\b[)）]?\.?$",
                              re.IGNORECASE)
_SPECIMEN_WORDS = {"blood": "blood", "bld": "blood", "serum": "serum", "plasma": "plasma", "ser/plas": "serum",
                   "serpl": "serum", "urine": "urine", "ur": "urine"}


def _names_to_try(row: LabRow) -> list[tuple[str, str | None]]:
    names: list[tuple[str, str | None]] = [(row.name, None)]
    suffix = _SPECIMEN_SUFFIX.match(row.name)
    if suffix and suffix.group(1).strip():
        # "Creatinine, Blood", "Urobilinogen, Urine": the specimen is a hint, not part of the name
        names.append((suffix.group(1).strip(" ,"), _SPECIMEN_WORDS[suffix.group(2).lower()]))
    for name, specimen in list(names):
        if "," in name:
            # English lab listings invert names: "Bilirubin, total" is "Total bilirubin"
            head, _, tail = name.partition(",")
            names.append((f"{tail.strip()} {head.strip()}", specimen))
    words = row.name.split()
    if len(words) == 2 and all(w.isascii() and w.isalpha() for w in words):
        # qualifiers sit on either side in English listings: "Absolute neutrophils" / "Neutrophils absolute"
        names.append((f"{words[1]} {words[0]}", None))
    if row.code:
        names += [(row.code, None), (f"{row.name} ({row.code})", None)]
    return names


def _judge_number(result: LabResult, row: LabRow, analyte: Analyte | None, index: AnalyteIndex, lang: str,
                  sex: str | None, age: float | None) -> None:
    number = row.value.number
    assert number is not None
    unit_ok = True
    if analyte is not None:
        try:
            result.canonical_value = index.convert(analyte, number, result.unit)
            result.canonical_unit = analyte.unit
        except UnitMismatch as error:
            unit_ok = False
            result.problems.append(error.message(lang))
        if number < 0 and all((r.low or 0) >= 0 for r in analyte.ranges):
            result.problems.append(t("reports.impossible_value", lang, name=result.name, value=row.value.text))
            result.flag = Flag.UNKNOWN
            result.canonical_value = None
            return
    printed = row.range
    if printed is not None and printed.inverted:
        result.problems.append(t("reports.inverted_range", lang, name=result.name, range=printed.text))
    if printed is not None and not printed.inverted and (printed.low is not None or printed.high is not None):
        result.range_low, result.range_high, result.range_source = printed.low, printed.high, "report"
        result.flag = _compare(number, row.value.comparator, printed.low, printed.high)
    elif analyte is not None and unit_ok:
        reference = index.reference_range(analyte, sex, age)
        if reference is not None:
            result.range_low = _from_canonical(analyte, index, reference.low, result.unit)
            result.range_high = _from_canonical(analyte, index, reference.high, result.unit)
            result.range_source = "knowledge"
            assert result.canonical_value is not None
            result.flag = _compare(result.canonical_value, row.value.comparator, reference.low, reference.high)
            if row.printed_flag in (Flag.HIGH, Flag.LOW) and (printed is None or printed.inverted):
                # the lab flagged it against a range it did not print: its judgement stands
                result.flag = row.printed_flag
    if analyte is not None and unit_ok and result.canonical_value is not None:
        value = result.canonical_value
        reference = index.reference_range(analyte, sex, age)
        if reference is not None and reference.high and value > _IMPLAUSIBLE_FACTOR * reference.high:
            # never hides the value: the flag stays, the person is asked to check value and unit
            result.problems.append(t("reports.implausible_value", lang, name=result.name,
                                     value=f"{row.value.text} {result.unit or ''}".strip()))
        if analyte.critical_high is not None and value > analyte.critical_high and row.value.comparator != "<":
            result.flag = Flag.CRITICAL_HIGH
        elif analyte.critical_low is not None and value < analyte.critical_low and row.value.comparator != ">":
            result.flag = Flag.CRITICAL_LOW


def _judge_qualitative(result: LabResult, row: LabRow, analyte: Analyte | None) -> None:
    found = row.value.qualitative
    expected: set[str] = set()
    if row.range is not None and row.range.qualitative:
        expected = {row.range.qualitative}
        result.range_source = "report"
    elif analyte is not None and analyte.normal_qualitative:
        expected = {word.lower() for word in analyte.normal_qualitative}
        result.range_source = "knowledge"
        result.range_text = "/".join(analyte.normal_qualitative)
    if not expected or found is None:
        return
    if "negative" in expected:
        expected |= {"normal"}
    if found in expected:
        result.flag = Flag.NORMAL
    elif found in POSITIVE_GRADES or "negative" in expected:
        result.flag = Flag.ABNORMAL
    else:
        result.flag = Flag.ABNORMAL


def _compare(value: float, comparator: str | None, low: float | None, high: float | None) -> Flag:
    # "<0.5" is below anything above 0.5; ">1000" is above anything below 1000
    if high is not None and value > high and comparator not in ("<", "<="):
        return Flag.HIGH
    if low is not None and value < low and comparator not in (">", ">="):
        return Flag.LOW
    return Flag.NORMAL


def _from_canonical(analyte: Analyte, index: AnalyteIndex, value: float | None, unit: str | None) -> float | None:
    if value is None:
        return None
    offset = index.convert(analyte, 0.0, unit)
    slope = index.convert(analyte, 1.0, unit) - offset
    return round((value - offset) / slope, 4) if slope else None
