"""Rule evaluation: which rules hold, which are still open, and the level the evidence supports.

Semantics (per protocol): the level is the most urgent rule that holds, or the protocol default when
none holds; modifiers and `if_unknown` answers only set floors. Across protocols the most urgent
level wins. A rule is *open* while some part of it is unknown and not yet asked; an open rule above
the current level is a question worth asking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from careguide.knowledge import Criteria, Disposition, Knowledge, Modifier, Protocol, Rule
from careguide.triage.models import Evidence

State = Literal["met", "not_met", "unknown"]


@dataclass(frozen=True)
class RuleStatus:
    protocol: Protocol
    rule: Rule | Modifier
    state: State
    asked_out: bool  # every unknown part was already asked and answered "don't know"

    @property
    def key(self) -> str:
        return f"{self.protocol.id}.{self.rule.id}"

    @property
    def level(self) -> Disposition:
        return self.rule.disposition if isinstance(self.rule, Rule) else self.rule.at_least


@dataclass(frozen=True)
class Decision:
    level: Disposition
    per_protocol: dict[str, Disposition]
    statuses: list[RuleStatus]
    open_rules: list[RuleStatus]
    unknown_floors: list[RuleStatus]


def _combine(*states: State) -> State:
    if "not_met" in states:
        return "not_met"
    if "unknown" in states:
        return "unknown"
    return "met"


def criteria_state(c: Criteria, ev: Evidence, group_key: str) -> tuple[State, bool]:
    """State of a criteria block and whether its unknown parts were all asked already."""
    parts: list[State] = []
    asked_out = True
    age = ev.profile.age_years
    if c.age_under_months is not None or c.age_under is not None or c.age_at_least is not None:
        if age is None:
            parts.append("unknown")
            asked_out = asked_out and "age" in ev.dont_know
        else:
            ok = (c.age_under_months is None or age * 12 < c.age_under_months) and \
                 (c.age_under is None or age < c.age_under) and (c.age_at_least is None or age >= c.age_at_least)
            parts.append("met" if ok else "not_met")
    if c.sex is not None:
        if ev.profile.sex is None:
            parts.append("unknown")
            asked_out = asked_out and "sex" in ev.dont_know
        else:
            parts.append("met" if ev.profile.sex == c.sex else "not_met")
    for fid in c.all:
        known = ev.findings.get(fid, "unknown")
        parts.append("met" if known == "present" else "not_met" if known == "absent" else "unknown")
        if known == "unknown":
            asked_out = asked_out and fid in ev.dont_know
    if c.any:
        states = [ev.findings.get(fid, "unknown") for fid in c.any]
        if "present" in states or group_key in ev.group_yes:
            parts.append("met")
        elif all(s == "absent" for s in states):
            parts.append("not_met")
        else:
            parts.append("unknown")
            asked_out = asked_out and all(fid in ev.dont_know for fid, s in zip(c.any, states, strict=True) if s == "unknown")
    if c.duration_over_days is not None or c.duration_under_days is not None:
        if ev.duration_days is None:
            parts.append("unknown")
            asked_out = asked_out and "duration" in ev.dont_know
        else:
            longer = c.duration_over_days is None or ev.duration_days > c.duration_over_days
            shorter = c.duration_under_days is None or ev.duration_days < c.duration_under_days
            parts.append("met" if longer and shorter else "not_met")
    if c.severity_at_least is not None:
        if ev.severity is None:
            parts.append("unknown")
            asked_out = asked_out and "severity" in ev.dont_know
        else:
            parts.append("met" if ev.severity >= c.severity_at_least else "not_met")
    combined: State = _combine(*parts) if parts else "met"
    return combined, (asked_out if combined == "unknown" else False)


def applies(protocol: Protocol, ev: Evidence) -> State:
    if protocol.applies_to is None:
        return "met"
    return criteria_state(protocol.applies_to, ev, f"{protocol.id}.applies")[0]


def decide(knowledge: Knowledge, ev: Evidence) -> Decision:
    statuses: list[RuleStatus] = []
    per_protocol: dict[str, Disposition] = {}
    unknown_floors: list[RuleStatus] = []
    for pid in ev.protocols:
        protocol = knowledge.protocols[pid]
        if applies(protocol, ev) != "met":
            continue
        fired: list[Disposition] = []
        floors: list[Disposition] = []
        rules: list[Rule | Modifier] = [*protocol.rules, *protocol.modifiers]
        for rule in rules:
            state, asked_out = criteria_state(rule.when, ev, f"{protocol.id}.{rule.id}")
            status = RuleStatus(protocol, rule, state, asked_out)
            statuses.append(status)
            if state == "met":
                (fired if isinstance(rule, Rule) else floors).append(status.level)
            elif state == "unknown" and asked_out and isinstance(rule, Rule) and rule.if_unknown is not None:
                floors.append(rule.if_unknown)
                unknown_floors.append(status)
        base = Disposition.most_urgent(*fired) if fired else protocol.default
        per_protocol[pid] = Disposition.most_urgent(base, *floors)
    level = Disposition.most_urgent(*per_protocol.values(), ev.floor) if per_protocol else (ev.floor or Disposition.ROUTINE)
    open_rules = [s for s in statuses if s.state == "unknown" and not s.asked_out and s.level.rank > level.rank]
    open_rules.sort(key=lambda s: (-s.level.rank, not getattr(s.rule, "red_flag", False)))
    return Decision(level, per_protocol, statuses, open_rules, unknown_floors)


def pending_protocol_scope(knowledge: Knowledge, ev: Evidence) -> list[Protocol]:
    """Triggered protocols whose applicability is still unknown (e.g. age not given)."""
    return [knowledge.protocols[p] for p in ev.protocols if applies(knowledge.protocols[p], ev) == "unknown"]
