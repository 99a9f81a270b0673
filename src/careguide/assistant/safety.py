"""The safety layer: screen every message before any skill runs, and check every text before it is shown.

- :func:`screen` finds emergencies (however indirectly phrased), self-harm, and requests to
  diagnose, prescribe or change a prescribed medicine; instructions hidden in pasted text are
  flagged and never obeyed.
- :func:`safety_answer` writes the response of the safety path: emergency guidance with the
  region's number first; for self-harm the crisis line too; for the refusals who can help and
  what the person can do now.
- :func:`check_output` rejects text that states a diagnosis as fact, gives a dose, or does not
  end with next steps and when to seek care.

The rules are data (``assistant/data/safety_*.yaml``); this module is the generic policy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from careguide.assistant.documents import split_pasted
from careguide.assistant.rules import PhraseRule, load_yaml
from careguide.i18n import t
from careguide.language import normalise

DATA = Path(__file__).parent / "data"
Refusal = Literal["diagnosis", "prescription", "dose_change"]
SafetyPath = Literal["emergency", "self_harm", "diagnosis", "prescription", "dose_change"]

# An emergency described while asking to learn still counts when it is happening now.
_NOW = re.compile(r"\b(?:right now|now|currently|at the moment|just now|this morning|tonight|today)\b"
                  r"|现在|刚才|刚刚|此刻|正在|突然|今天")


class EmergencyAction(BaseModel):
    en: str
    zh: str


class EmergencyRule(PhraseRule):
    action: EmergencyAction


class SafetyRules(BaseModel):
    emergency: list[EmergencyRule]
    self_harm: list[PhraseRule]
    diagnosis: list[PhraseRule]
    prescription: list[PhraseRule]
    dose_change: list[PhraseRule]
    education: list[PhraseRule]
    injection: list[PhraseRule]
    follow_document: list[PhraseRule]
    crisis_lines: dict[str, dict]


@lru_cache(maxsize=1)
def load_rules() -> SafetyRules:
    emergency = load_yaml(DATA / "safety_emergency.yaml")
    requests = load_yaml(DATA / "safety_requests.yaml")
    crisis = load_yaml(DATA / "crisis_lines.yaml")
    return SafetyRules(emergency=emergency["rules"], crisis_lines=crisis["lines"],
                       **{k: v for k, v in requests.items() if not k.startswith("_")})


class SafetyScreen(BaseModel):
    """What the safety layer found in one message."""

    emergency: bool = False
    self_harm: bool = False
    refusal: Refusal | None = None
    education: bool = False
    injection: bool = False
    jailbreak: bool = False
    rules_fired: list[str] = Field(default_factory=list, description="'kind:rule_id' of every rule that fired")
    emergency_rules: list[str] = Field(default_factory=list)

    @property
    def path(self) -> SafetyPath | None:
        """The safety path this turn must take, most urgent first; None lets the router decide."""
        if self.self_harm:
            return "self_harm"
        if self.emergency:
            return "emergency"
        return self.refusal


def screen(text: str, rules: SafetyRules | None = None) -> SafetyScreen:
    """Screen one message (the person's words and anything they pasted)."""
    rules = rules or load_rules()
    parts = split_pasted(text)
    norm_all = normalise(text)
    norm_own = normalise(parts.own)
    fired: list[str] = []

    def hits(kind: str, items: list, norm: str) -> list[str]:
        ids = [rule.id for rule in items if rule.fires(norm)]
        fired.extend(f"{kind}:{i}" for i in ids)
        return ids

    education = bool(hits("education", rules.education, norm_own))
    self_harm = bool(hits("self_harm", rules.self_harm, norm_all))
    emergency_ids = [rule.id for rule in rules.emergency if rule.fires(norm_all)]
    if emergency_ids and education and not _NOW.search(norm_own):
        fired.extend(f"emergency_education:{i}" for i in emergency_ids)
        emergency_ids = []
    fired.extend(f"emergency:{i}" for i in emergency_ids)

    injection = bool(parts.has_pasted and any(rule.fires(normalise(p)) for p in parts.pasted
                                              for rule in rules.injection))
    if injection:
        fired.append("injection:pasted_instruction")
    jailbreak = bool(hits("jailbreak", rules.injection, norm_own))
    follows = parts.has_pasted and bool(hits("follow_document", rules.follow_document, norm_own))
    request_text = norm_all if follows else norm_own

    refusal: Refusal | None = None
    for kind in ("dose_change", "prescription", "diagnosis"):
        if hits(kind, getattr(rules, kind), request_text):
            refusal = refusal or kind  # type: ignore[assignment]
    return SafetyScreen(emergency=bool(emergency_ids), self_harm=self_harm, refusal=refusal,
                        education=education, injection=injection, jailbreak=jailbreak, rules_fired=fired,
                        emergency_rules=emergency_ids)


def crisis_line(region: str, lang: str, rules: SafetyRules | None = None) -> str | None:
    """'name (number)' of the region's crisis line, or None where the knowledge base has none."""
    line = (rules or load_rules()).crisis_lines.get(region.upper())
    if not line:
        return None
    return f"{line['name'][lang if lang in ('en', 'zh') else 'en']} ({line['number']})"


def safety_answer(found: SafetyScreen, lang: str, emergency_number: str, region: str = "CN",
                  related: list[str] | None = None) -> str:
    """The words of the safety path for ``found.path``; emergency guidance always comes first.

    ``related`` are titles of articles the person can read (refusals only): a refusal stays helpful.
    """
    path = found.path
    if path is None:
        raise ValueError("safety_answer needs a screen with a safety path")
    rules = load_rules()
    if path == "self_harm":
        line = crisis_line(region, lang, rules)
        parts = [t("assistant.self_harm_first", lang, number=emergency_number),
                 t("assistant.self_harm_line", lang, line=line) if line else
                 t("assistant.self_harm_no_line", lang, number=emergency_number),
                 t("assistant.self_harm_now", lang), next_steps(lang, emergency_number, kind="self_harm")]
        return "\n\n".join(parts)
    if path == "emergency":
        by_id = {rule.id: rule for rule in rules.emergency}
        actions: list[str] = []
        for rule_id in found.emergency_rules:
            action = getattr(by_id[rule_id].action, lang if lang in ("en", "zh") else "en")
            if action not in actions:
                actions.append(action)
        parts = [t("assistant.emergency_first", lang, number=emergency_number), *actions[:2],
                 t("assistant.emergency_then", lang, number=emergency_number),
                 next_steps(lang, emergency_number, kind="emergency")]
        return "\n\n".join(parts)
    parts = [t(f"assistant.refuse_{path}", lang), t(f"assistant.refuse_{path}_now", lang)]
    if related:
        parts.append(t("assistant.related_reading", lang, titles=("、" if lang == "zh" else "; ").join(related)))
    parts.append(next_steps(lang, emergency_number, kind=path))
    return "\n\n".join(parts)


def next_steps(lang: str, emergency_number: str, kind: str = "general") -> str:
    """The closing block every answer ends with: what to do next and when to seek care."""
    key = f"assistant.next_steps_{kind}"
    from careguide.i18n import catalog

    body = t(key, lang, number=emergency_number) if key in catalog() else t("assistant.next_steps_general", lang)
    return t("assistant.next_steps_heading", lang) + " " + body + " " + t(
        "assistant.seek_care", lang, number=emergency_number)


# -- output checking ---------------------------------------------------------------------------------

class OutputCheck(BaseModel):
    ok: bool
    violations: list[str] = Field(default_factory=list)


_DIAGNOSIS_AS_FACT = [
    # "if you have diabetes" is a condition, not a diagnosis
    re.compile(r"(?<!if )(?<!whether )(?<!when )(?<!unless )(?<!in case )\byou (?:definitely |certainly |clearly |probably )?"
               r"(?:have|'ve got|are suffering from|suffer from)"
               r" (?:a |an )?(?:[a-z-]+ ){0,3}(?:disease|cancer|infection|diabetes|syndrome|disorder|"
               r"[a-z]+itis|failure|tumou?r|depression|hypertension|anaemia|anemia)\b"),
    re.compile(r"\b(?:this|it) is (?:definitely|certainly|clearly|surely) (?:a |an )?[a-z]"),
    re.compile(r"\byour diagnosis is\b|\byou are diagnosed with\b|\bi diagnose\b"),
    re.compile(r"(?:你|您)(?:肯定|一定|确定|就是)?(?:得了|患了|患有|是)[^，。,.]{0,8}(?:病|癌|炎|症|瘤)"),
    re.compile(r"(?:肯定|一定|确定|绝对)是[^，。,.]{0,8}(?:病|癌|炎|症|瘤)|确诊为|诊断为"),
]
_DOSE_UNITS = (r"(?:mg|mcg|µg|μg|micrograms?|milligrams?|ml|millilit(?:re|er)s?|iu|units?|tablets?|pills?|"
               r"capsules?|puffs?|drops?|teaspoons?|毫克|微克|毫升|单位|片|粒|支|袋|滴|喷)")
_DOSING = [
    re.compile(rf"\d+(?:\.\d+)?\s*(?:-|to|~|至|到)?\s*\d*(?:\.\d+)?\s*{_DOSE_UNITS}(?![a-z/])"
               r"(?:\s*(?:/|per|每)\s*(?:kg|day|dose|次|天|日|公斤))?"),
    re.compile(r"(?:take|give|use|服用|吃|口服|注射|打)\s*(?:one|two|three|half|一|两|二|三|半)\s*"
               r"(?:tablets?|pills?|capsules?|片|粒|支)"),
]


def check_output(text: str, lang: str, *, require_next_steps: bool = True) -> OutputCheck:
    """Violations of the output rules in ``text`` (empty when it may be shown)."""
    norm = normalise(text)
    violations: list[str] = []
    if any(p.search(norm) for p in _DIAGNOSIS_AS_FACT):
        violations.append("diagnosis_as_fact")
    if any(p.search(norm) for p in _DOSING):
        violations.append("dosing")
    if require_next_steps:
        heading = normalise(t("assistant.next_steps_heading", lang))
        last = normalise(text.strip().split("\n\n")[-1])
        if not last.startswith(heading) or not _mentions_seeking_care(last, lang):
            violations.append("no_next_steps")
    return OutputCheck(ok=not violations, violations=violations)


def _mentions_seeking_care(text: str, lang: str) -> bool:
    marker = normalise(t("assistant.seek_care_marker", lang))
    return marker in text
