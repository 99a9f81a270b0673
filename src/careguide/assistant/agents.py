"""AI doctor agents: versioned knowledge packs that a physician signs off, defined as YAML in
``knowledge/data/agents/``.

An agent answers routine questions inside its scope from its own knowledge documents, and refers
everything else - red flags, requests that need an examination (diagnosis, prescribing), complex or
out-of-scope requests - with a structured :class:`ReferralSummary` for the clinic's queue. A new
version is inactive until its physician signs it (:func:`sign`); a sample of answers is queued for
the physician to audit, and corrections are kept with the version. Every answer records its
autonomy level (see ``docs/autonomy.md``), whether a human reviewed it and which safety rules fired.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from careguide.assistant.composer import compose_answer
from careguide.assistant.retrieval import FRAMES_FILE, Retriever
from careguide.assistant.rules import PhraseGroup, PhraseRule, load_yaml
from careguide.assistant.safety import next_steps, safety_answer, screen
from careguide.assistant.scope import ScopeJudge
from careguide.config import emergency_number
from careguide.i18n import t
from careguide.knowledge.articles import ARTICLES_DIR, load_articles
from careguide.knowledge.schema import Bilingual
from careguide.language import detect_language, normalise

AGENTS_DIR = ARTICLES_DIR.parent / "agents"
Status = Literal["draft", "awaiting_signoff", "signed", "retired"]
Reason = Literal["red_flag", "needs_examination", "complex", "out_of_scope", "agent_inactive", "no_knowledge"]
Urgency = Literal["emergency", "urgent", "routine"]


class Physician(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=2)
    title: str = ""
    institution: str = ""
    licence: str = ""


class SignOff(BaseModel):
    """A physician's sign-off of one pack version, as kept outside the pack file (the database)."""

    physician: Physician
    signed_at: datetime


class Correction(BaseModel):
    """A physician's correction of an audited answer, kept with the version it applies to."""

    request: str
    answer: str
    corrected_answer: str
    physician: str
    at: datetime


class EscalationRule(PhraseRule):
    reason: Reason
    urgency: Urgency


class AgentPack(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    version: int = Field(ge=1)
    status: Status
    physician: Physician | None = None
    signed_at: datetime | None = None
    specialty: str
    department: str
    name: Bilingual
    languages: list[Literal["en", "zh"]]
    scope: Bilingual
    knowledge: list[str] = Field(min_length=1, description="article ids the agent answers from")
    in_scope: PhraseGroup
    escalation: list[EscalationRule]
    audit_rate: float = Field(default=0.1, ge=0, le=1, description="share of answers queued for physician audit")
    corrections: list[Correction] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)

    @property
    def active(self) -> bool:
        return self.status == "signed" and self.physician is not None and self.signed_at is not None


class ReferralSummary(BaseModel):
    """What lands in the clinic's queue when an agent refers."""

    agent_id: str
    agent_version: int
    department: str
    urgency: Urgency
    reasons: list[Reason]
    rules: list[str]
    request: str
    language: str
    summary: str
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class AgentAnswer(BaseModel):
    agent_id: str
    agent_version: int
    active: bool
    action: Literal["answer", "refer"]
    answer: str
    referral: ReferralSummary | None = None
    sources: list[str] = Field(default_factory=list)
    autonomy_level: str
    human_reviewed: bool = False
    audit_sampled: bool = False
    safety_rules: list[str] = Field(default_factory=list)


class AuditItem(BaseModel):
    agent_id: str
    agent_version: int
    request: str
    answer: str
    status: Literal["pending", "approved", "corrected"] = "pending"
    corrected_answer: str | None = None
    reviewer: str | None = None


class AgentError(ValueError):
    """An agent file that does not validate, or an action on an agent that is not allowed."""


@lru_cache(maxsize=2)
def load_agents(directory: Path = AGENTS_DIR) -> dict[str, AgentPack]:
    articles = {a.id for a in load_articles()}
    departments = {d["id"] for d in yaml.safe_load((ARTICLES_DIR.parent / "departments.yaml").read_text("utf-8"))}
    packs: dict[str, AgentPack] = {}
    for path in sorted(directory.glob("*.yaml")):
        pack = AgentPack.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        missing = [k for k in pack.knowledge if k not in articles]
        if missing:
            raise AgentError(f"{path.name}: unknown knowledge documents {missing}")
        if pack.department not in departments:
            raise AgentError(f"{path.name}: unknown department {pack.department!r}")
        packs[pack.id] = pack
    return packs


@lru_cache(maxsize=1)
def general_information_rule() -> PhraseRule:
    """The frame of a general question about a topic (not about the person's own case)."""
    return PhraseRule.model_validate(load_yaml(FRAMES_FILE)["general_information"])


def escalations(pack: AgentPack, norm: str) -> list[EscalationRule]:
    """The pack's escalation rules that fire on ``norm``. Red flags always count; a rule that refers
    for examination or complexity does not fire on a general-information question ("what is sleep
    apnoea?"), only on the person's own case ("my husband stops breathing at night")."""
    fired = [rule for rule in pack.escalation if rule.fires(norm)]
    if any(rule.reason != "red_flag" for rule in fired) and general_information_rule().fires(norm):
        fired = [rule for rule in fired if rule.reason == "red_flag"]
    return fired


def sign(pack: AgentPack, physician: Physician, at: datetime | None = None) -> AgentPack:
    """The version signed by ``physician``: from now on it may answer."""
    if pack.status not in ("draft", "awaiting_signoff"):
        raise AgentError(f"agent {pack.id} v{pack.version} is {pack.status}; only an unsigned version can be signed")
    return pack.model_copy(update={"status": "signed", "physician": physician, "signed_at": at or datetime.now(UTC)})


def new_version(pack: AgentPack, **changes: object) -> AgentPack:
    """A changed pack: the next version, inactive until signed again (corrections start afresh)."""
    data = pack.model_dump() | dict(changes)
    data.update(version=pack.version + 1, status="awaiting_signoff", physician=None, signed_at=None, corrections=[])
    return AgentPack.model_validate(data)


def audit_sampled(pack: AgentPack, request: str, answer: str) -> bool:
    """Deterministic sampling: the same answer is always in or out of the audit queue."""
    digest = hashlib.sha256(f"{pack.id}:{pack.version}:{request}:{answer}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < pack.audit_rate


def review(pack: AgentPack, item: AuditItem, reviewer: str, corrected_answer: str | None = None
           ) -> tuple[AgentPack, AuditItem]:
    """Approve an audited answer, or correct it; a correction is kept with the agent version."""
    if (item.agent_id, item.agent_version) != (pack.id, pack.version):
        raise AgentError("the audit item belongs to another agent version")
    if corrected_answer is None:
        return pack, item.model_copy(update={"status": "approved", "reviewer": reviewer})
    correction = Correction(request=item.request, answer=item.answer, corrected_answer=corrected_answer,
                            physician=reviewer, at=datetime.now(UTC))
    return (pack.model_copy(update={"corrections": [*pack.corrections, correction]}),
            item.model_copy(update={"status": "corrected", "corrected_answer": corrected_answer, "reviewer": reviewer}))


class AgentRunner:
    """Answers requests to agents. ``allow_unsigned`` is for development and evaluation only."""

    def __init__(self, packs: dict[str, AgentPack] | None = None, *, allow_unsigned: bool = False) -> None:
        self.packs = packs if packs is not None else load_agents()
        self.allow_unsigned = allow_unsigned
        self._retrievers: dict[str, Retriever] = {}

    @cached_property
    def _departments(self) -> dict[str, Bilingual]:
        rows = yaml.safe_load((ARTICLES_DIR.parent / "departments.yaml").read_text("utf-8"))
        return {d["id"]: Bilingual(**d["name"]) for d in rows}

    @cached_property
    def _scope(self) -> ScopeJudge:
        return ScopeJudge()

    def retriever(self, pack: AgentPack) -> Retriever:
        if pack.id not in self._retrievers:
            chosen = tuple(a for a in load_articles() if a.id in set(pack.knowledge))
            self._retrievers[pack.id] = Retriever(chosen, use_embeddings=False)
        return self._retrievers[pack.id]

    def ask(self, agent_id: str, text: str, lang: str | None = None, region: str = "CN",
            signoff: SignOff | None = None) -> AgentAnswer:
        """``signoff``: the stored sign-off that covers this pack's version and content, if any."""
        pack = self.packs.get(agent_id)
        if pack is None:
            raise AgentError(f"no agent {agent_id!r}")
        if signoff is not None and not pack.active and pack.status in ("draft", "awaiting_signoff"):
            pack = sign(pack, signoff.physician, signoff.signed_at)
        guess = detect_language(text).language
        language = lang if lang in ("en", "zh") else (guess if guess in ("en", "zh") else "en")
        number = emergency_number(region)
        found = screen(text)
        if not pack.active and not self.allow_unsigned:
            return self._refer(pack, text, language, number, ["agent_inactive"], "routine", found.rules_fired)
        if found.path in ("emergency", "self_harm"):
            answer = safety_answer(found, language, number, region)
            return self._refer(pack, text, language, number, ["red_flag"], "emergency", found.rules_fired, answer)
        norm = normalise(text)
        fired = escalations(pack, norm)
        if found.path is not None:  # an agent never diagnoses or prescribes: a doctor must see the person
            answer = safety_answer(found, language, number, region)
            urgency = _most_urgent([r.urgency for r in fired] or ["routine"])
            return self._refer(pack, text, language, number, ["needs_examination", *[r.reason for r in fired]],
                               urgency, found.rules_fired + [f"agent:{r.id}" for r in fired], answer)
        if fired:
            return self._refer(pack, text, language, number, [r.reason for r in fired],
                               _most_urgent([r.urgency for r in fired]), [f"agent:{r.id}" for r in fired])
        retriever = self.retriever(pack)
        retrieval = retriever.search(text, k=6)
        in_scope = pack.in_scope.matches(norm, ("present", "hypothetical", "other_person", "negated"))
        verdict = self._scope.judge(text, retriever, retrieval, pack.knowledge)
        if not in_scope and (verdict.elsewhere or not (retrieval.strong or verdict.strong)):
            return self._refer(pack, text, language, number, ["out_of_scope"], "routine", found.rules_fired)
        if not (retrieval.strong or verdict.strong):
            return self._refer(pack, text, language, number, ["no_knowledge"], "routine", found.rules_fired)
        if not retrieval.strong:  # the agent's documents hold the question's topic; its frame words do not matter
            retrieval = retrieval.model_copy(update={"strong": True})
        composed = compose_answer(text, language, retrieval, retriever, emergency_number=number)
        return AgentAnswer(agent_id=pack.id, agent_version=pack.version, active=pack.active, action="answer",
                           answer=composed.text, sources=[s.passage_id for s in composed.sources],
                           autonomy_level="L2", audit_sampled=audit_sampled(pack, text, composed.text),
                           safety_rules=found.rules_fired)

    def _refer(self, pack: AgentPack, text: str, lang: str, number: str, reasons: list[str], urgency: Urgency,
               rules: list[str], answer: str | None = None) -> AgentAnswer:
        department = "emergency" if urgency == "emergency" else ("general_practice" if reasons == ["out_of_scope"]
                                                                  else pack.department)
        dept_name = self._departments[department].get(lang)
        reason_words = "; ".join(t(f"assistant.agent_reason_{r}", lang) for r in dict.fromkeys(reasons))
        summary = t("assistant.agent_referral_summary", lang, agent=pack.name.get(lang), department=dept_name,
                    urgency=t(f"assistant.agent_urgency_{urgency}", lang), reasons=reason_words)
        referral = ReferralSummary(agent_id=pack.id, agent_version=pack.version, department=department,
                                   urgency=urgency, reasons=list(dict.fromkeys(reasons)), rules=rules,  # type: ignore[arg-type]
                                   request=text, language=lang, summary=summary)
        if answer is None:
            answer = "\n\n".join([t("assistant.agent_refer", lang, department=dept_name, reasons=reason_words),
                                  next_steps(lang, number)])
        return AgentAnswer(agent_id=pack.id, agent_version=pack.version, active=pack.active, action="refer",
                           answer=answer, referral=referral, autonomy_level="L3", safety_rules=rules)


def _most_urgent(levels: list[Urgency]) -> Urgency:
    order: list[Urgency] = ["emergency", "urgent", "routine"]
    return min(levels, key=order.index)
