"""Ranking departments from findings, named conditions, department words and the active protocols.

Conditions are scored naive-Bayes style from their typical findings (likelihoods in the knowledge
base) and how common they are; their departments share the posterior. The conditions rank
departments and explain; they are never shown to the person as a diagnosis.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from careguide.knowledge import Disposition, Knowledge

PRIOR = {"very_common": 0.30, "common": 0.10, "uncommon": 0.03, "rare": 0.01}
POSITION_WEIGHTS = (1.0, 0.5, 0.3, 0.2)
LEAK = 0.04  # chance a condition shows a finding it does not list
UNSCORED_SYSTEMS = {"history", "vitals", "general"}
CHILD_INTERNAL = {"general_practice", "cardiology", "respiratory", "gastroenterology", "neurology", "endocrinology",
                  "nephrology", "rheumatology", "hematology", "infectious_disease", "allergy", "geriatrics"}
CHILD_AGE = 14.0  # Chinese hospitals see under-14s in paediatrics for medical problems


@dataclass
class DepartmentSignals:
    findings: dict[str, str] = field(default_factory=dict)
    conditions_named: list[str] = field(default_factory=list)
    departments_named: list[str] = field(default_factory=list)
    keyword_departments: list[list[str]] = field(default_factory=list)
    protocols: list[str] = field(default_factory=list)
    rule_departments: list[str] = field(default_factory=list)
    age_years: float | None = None
    sex: str | None = None
    disposition: Disposition | None = None
    lead_department: str | None = None  # a specialty that takes its own emergencies (e.g. obstetrics for reduced movements)


def condition_posterior(knowledge: Knowledge, signals: DepartmentSignals) -> dict[str, float]:
    present = {f for f, s in signals.findings.items() if s == "present"}
    absent = {f for f, s in signals.findings.items() if s == "absent"}
    scored_present = {f for f in present if knowledge.findings[f].system not in UNSCORED_SYSTEMS}
    logs: dict[str, float] = {}
    for c in knowledge.conditions.values():
        named = c.id in signals.conditions_named
        if not named and not (present & c.findings.keys()):
            continue
        if c.sex and signals.sex and c.sex != signals.sex:
            continue
        age = signals.age_years
        if age is not None and ((c.age_under is not None and age >= c.age_under) or
                                (c.age_at_least is not None and age < c.age_at_least)):
            continue
        score = math.log(PRIOR[c.prevalence]) + (math.log(30.0) if named else 0.0)
        for fid, p in c.findings.items():
            if fid in present:
                score += math.log(p / LEAK)
            elif fid in absent:
                score += math.log((1 - p) / (1 - LEAK))
        score += sum(math.log(LEAK) for f in scored_present - c.findings.keys()) * 0.3
        logs[c.id] = score
    if not logs:
        return {}
    top = max(logs.values())
    weights = {k: math.exp(v - top) for k, v in logs.items()}
    total = sum(weights.values())
    return {k: w / total for k, w in sorted(weights.items(), key=lambda kv: -kv[1])}


def rank_departments(knowledge: Knowledge, signals: DepartmentSignals) -> tuple[list[tuple[str, float]], list[str]]:
    """Departments with scores that sum to 1, best first, and the conditions considered (best first)."""
    scores: dict[str, float] = defaultdict(float)
    posterior = condition_posterior(knowledge, signals)
    for cid, p in list(posterior.items())[:12]:
        for weight, dept in zip(POSITION_WEIGHTS, knowledge.conditions[cid].departments, strict=False):
            scores[dept] += 3.0 * p * weight
    for pid in signals.protocols:
        for weight, dept in zip(POSITION_WEIGHTS, knowledge.protocols[pid].departments, strict=False):
            scores[dept] += 0.8 * weight
    for dept in signals.rule_departments:
        scores[dept] += 0.5
    for dept in signals.departments_named:
        scores[dept] += 3.0
    per_dept_keywords: dict[str, float] = defaultdict(float)
    for depts in signals.keyword_departments:
        for dept in depts:
            per_dept_keywords[dept] = min(per_dept_keywords[dept] + 0.6 / len(depts), 2.4)
    for dept, value in per_dept_keywords.items():
        scores[dept] += value
    _adjust_for_person(scores, signals)
    if signals.disposition in (Disposition.AMBULANCE, Disposition.EMERGENCY):
        top = max(scores.values(), default=0.0)
        scores["emergency"] = top + 1.0
        if signals.disposition is Disposition.EMERGENCY and signals.lead_department:
            scores[signals.lead_department] = top + 2.0
    if not scores:
        scores["general_practice"] = 1.0
    total = sum(scores.values())
    ranked = sorted(((d, s / total) for d, s in scores.items() if s > 0), key=lambda ds: -ds[1])
    return ranked, list(posterior)[:8]


def _adjust_for_person(scores: dict[str, float], signals: DepartmentSignals) -> None:
    age, sex = signals.age_years, signals.sex
    if sex == "male":
        for dept in ("gynecology", "obstetrics", "breast_surgery"):
            scores.pop(dept, None)
    if sex == "female":
        scores.pop("andrology", None)
    if age is not None and age < CHILD_AGE:
        moved = sum(scores.pop(d, 0.0) for d in CHILD_INTERNAL)
        target = "neonatology" if age < 28 / 365 else "pediatrics"
        scores[target] += moved + 0.5
