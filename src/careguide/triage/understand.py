"""Free text to evidence: findings with negation, measurements, duration, severity, age and sex."""

from __future__ import annotations

from dataclasses import dataclass, field

from careguide.knowledge import Knowledge
from careguide.language import age_years, duration_days, measurements, normalise, severity, sex

MAX_CHARS = 4000  # long messages are read up to here; the rest rarely changes the triage


@dataclass
class Understanding:
    findings: dict[str, str] = field(default_factory=dict)  # id -> present | absent
    duration_days: float | None = None
    severity: int | None = None
    age_years: float | None = None
    sex: str | None = None
    measurements: dict[str, float] = field(default_factory=dict)
    conditions: list[str] = field(default_factory=list)  # condition ids named in the text
    departments_named: list[str] = field(default_factory=list)
    keyword_departments: list[list[str]] = field(default_factory=list)
    truncated: bool = False


def understand(knowledge: Knowledge, text: str) -> Understanding:
    """Read a message; negated findings become ``absent``, hypothetical or other-person ones are ignored."""
    truncated = len(text) > MAX_CHARS
    norm = normalise(text[:MAX_CHARS])
    result = Understanding(truncated=truncated)
    for concept, assertion in knowledge.finding_lexicon.concepts(norm).items():
        if assertion == "present":
            result.findings[concept] = "present"
        elif assertion == "negated":
            result.findings.setdefault(concept, "absent")
    for concept, assertion in knowledge.denial_lexicon.concepts(norm).items():
        if assertion == "present":  # an explicit denial ("pregnancy test negative") outweighs a bare mention
            result.findings[concept] = "absent"
    result.measurements = measurements(norm)
    for f in knowledge.findings.values():
        if any(kind_matches(m.kind, m, result.measurements) for m in f.measurements):
            result.findings[f.id] = "present"
    _apply_implications(knowledge, result.findings)
    result.duration_days = duration_days(norm)
    result.severity = severity(norm)
    result.age_years = age_years(norm)
    result.sex = sex(norm)
    result.conditions = [c for c, a in knowledge.condition_lexicon.concepts(norm).items() if a == "present"]
    result.departments_named = [d for d, a in knowledge.department_lexicon.concepts(norm).items() if a == "present"]
    result.keyword_departments = [knowledge.keyword_departments[m.concept] for m in knowledge.keyword_lexicon.find(norm)
                                  if m.present]
    return result


def kind_matches(kind: str, measurement: object, values: dict[str, float]) -> bool:
    value = values.get(kind)
    return value is not None and measurement.matches(value)  # type: ignore[attr-defined]


def _apply_implications(knowledge: Knowledge, findings: dict[str, str]) -> None:
    """A present specific finding makes its general finding present (high fever -> fever)."""
    changed = True
    while changed:
        changed = False
        for fid, state in list(findings.items()):
            if state != "present" or fid not in knowledge.findings:
                continue
            for implied in knowledge.findings[fid].implies:
                if findings.get(implied) != "present":
                    findings[implied] = "present"
                    changed = True
