"""The words around the judged results: urgent banner, per-value explanations, summary, questions.

Texts come from the analyte knowledge base (meaning and next steps) and the ``reports`` catalog;
this module only chooses and orders them. It never names a diagnosis.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml

from careguide.i18n import t
from careguide.knowledge.analytes import Analyte, AnalyteIndex
from careguide.reports.models import (
    ABNORMAL_FLAGS,
    CRITICAL_FLAGS,
    Flag,
    LabResult,
    ReportExplanation,
    ReportHeader,
)

_DEPARTMENTS_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "departments.yaml"
_MAX_QUESTIONS = 5


def compose(results: list[LabResult], header: ReportHeader, source_format: str, lang: str,
            index: AnalyteIndex) -> ReportExplanation:
    for result in results:
        analyte = index.by_id.get(result.analyte_id) if result.analyte_id else None
        if result.flag in ABNORMAL_FLAGS:
            result.explanation = explain(result, analyte, lang)
    critical = [r for r in results if r.flag in CRITICAL_FLAGS]
    abnormal = [r for r in results if r.flag in ABNORMAL_FLAGS]
    unrecognised = [r for r in results if not r.recognised]
    departments = _departments(critical, abnormal)
    warnings = [problem for r in results for problem in r.problems if r.recognised]
    return ReportExplanation(
        language=lang,
        header=header,
        source_format=source_format,
        results=results,
        critical=critical,
        unrecognised=unrecognised,
        banner=_banner(critical, lang),
        summary=summary(results, lang),
        explanations=[r.explanation for r in critical + [a for a in abnormal if a not in critical] if r.explanation],
        questions=questions(abnormal, lang),
        departments=[department_name(d, lang) for d in departments],
        next_steps=_next_steps(critical, abnormal, departments, lang),
        disclaimer=t("common.not_medical_advice", lang),
        warnings=list(dict.fromkeys(warnings)),
    )


def explain(result: LabResult, analyte: Analyte | None, lang: str) -> str:
    """One abnormal value in plain words: what was found, what it is often seen with, what to do."""
    direction = _direction(result.flag)
    shown = f"{result.value_text} {result.unit or ''}".strip()
    parts = [t(f"reports.value_{direction}", lang, name=result.name, value=shown, range=_range_text(result))]
    if analyte is not None:
        meaning = analyte.meaning_high if direction == "high" else analyte.meaning_low
        steps = analyte.next_steps_high if direction == "high" else analyte.next_steps_low
        if direction == "abnormal":
            meaning, steps = analyte.meaning_high, analyte.next_steps_high
        if meaning is not None:
            parts.append(meaning.get(lang))
        if steps is not None:
            parts.append(steps.get(lang))
    if result.flag in CRITICAL_FLAGS:
        parts.insert(1, t("reports.critical_value_now", lang))
    return _join(parts, lang)


def summary(results: list[LabResult], lang: str) -> str:
    """"3 of 24 values outside range: ALT high, AST high, ..." plus what could not be read."""
    judged = [r for r in results if r.flag is not Flag.UNKNOWN]
    abnormal = [r for r in results if r.flag in ABNORMAL_FLAGS]
    parts: list[str] = []
    if not abnormal:
        parts.append(t("reports.summary_all_normal", lang, n=len(judged)))
    else:
        listed = t("reports.list_separator", lang).join(
            t(f"reports.short_{_direction(r.flag)}", lang, name=r.name, degree=_degree(r, lang)).strip()
            for r in abnormal[:8]
        )
        parts.append(t("reports.summary_abnormal", lang, k=len(abnormal), n=len(judged), items=listed))
    unjudged = [r for r in results if r.flag is Flag.UNKNOWN and r.recognised]
    if unjudged:
        parts.append(t("reports.summary_unjudged", lang, n=len(unjudged)))
    unrecognised = [r for r in results if not r.recognised]
    if unrecognised:
        parts.append(t("reports.summary_unrecognised", lang, n=len(unrecognised)))
    return _join(parts, lang)


def questions(abnormal: list[LabResult], lang: str) -> list[str]:
    asked = [t(f"reports.question_{_direction(r.flag)}", lang, name=r.name) for r in abnormal[:3]]
    if abnormal:
        asked.append(t("reports.question_repeat", lang))
        asked.append(t("reports.question_medicines", lang))
    else:
        asked.append(t("reports.question_next_check", lang))
    return asked[:_MAX_QUESTIONS]


def _banner(critical: list[LabResult], lang: str) -> str | None:
    if not critical:
        return None
    names = t("reports.list_separator", lang).join(f"{r.name} {r.value_text} {r.unit or ''}".strip() for r in critical)
    return t("reports.critical_banner", lang, items=names)


def _next_steps(critical: list[LabResult], abnormal: list[LabResult], departments: list[str], lang: str) -> str:
    if critical:
        return t("reports.next_critical", lang)
    if abnormal:
        where = department_name(departments[0], lang) if departments else department_name("general_practice", lang)
        return t("reports.next_abnormal", lang, department=where)
    return t("reports.next_normal", lang)


def _departments(critical: list[LabResult], abnormal: list[LabResult]) -> list[str]:
    counted = Counter(r.department for r in abnormal if r.department)
    ordered = [d for d, _ in counted.most_common()]
    if critical:
        ordered = ["emergency", *[d for d in ordered if d != "emergency"]]
    return ordered


@lru_cache(maxsize=1)
def _department_names() -> dict[str, dict[str, str]]:
    try:
        entries = yaml.safe_load(_DEPARTMENTS_FILE.read_text(encoding="utf-8")) or []
    except OSError:
        return {}
    return {e["id"]: e.get("name", {}) for e in entries if isinstance(e, dict) and "id" in e}


def department_name(department_id: str, lang: str) -> str:
    names = _department_names().get(department_id, {})
    return str(names.get("zh" if lang.startswith("zh") else "en") or department_id)


def _direction(flag: Flag) -> str:
    if flag in (Flag.HIGH, Flag.CRITICAL_HIGH):
        return "high"
    if flag in (Flag.LOW, Flag.CRITICAL_LOW):
        return "low"
    return "abnormal"


def _degree(result: LabResult, lang: str) -> str:
    """How far outside: within 20 % of the limit is "slightly", past twice the limit "markedly"."""
    value = result.value if isinstance(result.value, float) else None
    if value is None:
        return ""
    if result.flag in CRITICAL_FLAGS:
        return t("reports.degree_critical", lang)
    if result.flag is Flag.HIGH and result.range_high:
        ratio = value / result.range_high
    elif result.flag is Flag.LOW and result.range_low and value > 0:
        ratio = result.range_low / value
    else:
        return ""
    if ratio <= 1.2:
        return t("reports.degree_slight", lang)
    if ratio >= 2:
        return t("reports.degree_marked", lang)
    return ""


def _range_text(result: LabResult) -> str:
    if result.range_low is not None and result.range_high is not None:
        return f"{_num(result.range_low)}-{_num(result.range_high)}"
    if result.range_high is not None:
        return f"<{_num(result.range_high)}"
    if result.range_low is not None:
        return f">{_num(result.range_low)}"
    return result.range_text or "-"


def _num(value: float) -> str:
    return f"{value:g}"


def _join(sentences: list[str], lang: str) -> str:
    return ("" if lang.startswith("zh") else " ").join(s.strip() for s in sentences if s.strip())
