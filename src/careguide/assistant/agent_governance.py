"""Doctor agents in the running app: a physician signs a pack version, and audits a sample of its answers.

The pack files ship unsigned (``status: awaiting_signoff``, no physician). A doctor's sign-off is
stored (``store.agents.AgentSignoff``) for one version and one content digest: the pack's rules and
the text of the documents it answers from. An edit to either without a new version changes the
digest, and the agent refers everything again until a physician signs what it now says. Answers
that ``agents.audit_sampled`` picks are queued for the physicians who signed that version; an
approval or a correction is kept on the item, with the version it applies to.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careguide.assistant.agents import (
    AgentAnswer,
    AgentError,
    AgentPack,
    Correction,
    Physician,
    SignOff,
    load_agents,
)
from careguide.assistant.agents import sign as sign_pack
from careguide.knowledge.articles import load_articles
from careguide.knowledge.schema import Bilingual
from careguide.privacy import audit
from careguide.store.agents import AgentAuditItem, AgentSignoff
from careguide.store.base import utcnow
from careguide.store.models import Role, User

# What a sign-off changes in a pack; everything else is what the physician signs.
_SIGNOFF_FIELDS = {"status", "physician", "signed_at", "corrections"}
MAX_TEXT = 8000
Decision = Literal["approve", "correct"]


class GovernanceError(Exception):
    """``key`` is a catalog key in ``clinician``."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class AgentStatus(BaseModel):
    """One agent as the clinic sees it: the loaded version, and whether a physician's sign-off covers it."""

    id: str
    version: int
    name: Bilingual
    department: str
    status: str  # the effective status: the file's, or "signed" when a stored sign-off covers this content
    active: bool
    digest: str
    physician: str | None
    signed_at: datetime | None
    audit_rate: float
    pending_audits: int
    corrections: int  # the texts are in the signing physician's audit queue (status "corrected")


def pack_digest(pack: AgentPack) -> str:
    """SHA-256 of what a physician signs: the pack without its sign-off fields, plus its documents' text."""
    articles = {a.id: a for a in load_articles()}
    content = {
        "pack": pack.model_dump(mode="json", exclude=_SIGNOFF_FIELDS),
        "documents": [articles[k].model_dump(mode="json") for k in pack.knowledge if k in articles],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def signoff_for(session: Session, pack: AgentPack) -> SignOff | None:
    """The stored sign-off that covers this pack's version and content by a physician whose account is live."""
    row = session.execute(
        select(AgentSignoff, User).join(User, User.id == AgentSignoff.doctor_id)
        .where(AgentSignoff.agent_id == pack.id, AgentSignoff.version == pack.version,
               AgentSignoff.digest == pack_digest(pack), User.role == Role.DOCTOR, User.is_active.is_(True))
        .order_by(AgentSignoff.signed_at).limit(1)
    ).first()
    if row is None:
        return None
    signoff, doctor = row
    return SignOff(physician=_physician(doctor), signed_at=signoff.signed_at)


def agent_statuses(session: Session, packs: Mapping[str, AgentPack] | None = None) -> list[AgentStatus]:
    """Every loaded agent with its effective status in this database."""
    packs = packs if packs is not None else load_agents()
    pending = {(agent_id, version): n for agent_id, version, n in session.execute(
        select(AgentAuditItem.agent_id, AgentAuditItem.version, func.count())
        .where(AgentAuditItem.status == "pending").group_by(AgentAuditItem.agent_id, AgentAuditItem.version))}
    return [_status(session, pack, pending) for pack in packs.values()]


def sign(session: Session, doctor: User, agent_id: str, version: int, digest: str | None = None,
         packs: Mapping[str, AgentPack] | None = None) -> AgentStatus:
    """``doctor`` signs the loaded version of ``agent_id`` and becomes its physician.

    ``version`` (and ``digest`` when given: what the doctor's page showed) must be what is loaded now,
    so a doctor never signs content they have not seen."""
    _require_doctor(doctor)
    pack = (packs if packs is not None else load_agents()).get(agent_id)
    if pack is None:
        raise GovernanceError("agent_not_found")
    current = pack_digest(pack)
    if version != pack.version or (digest is not None and digest != current):
        raise GovernanceError("agent_changed")
    try:
        sign_pack(pack, _physician(doctor))
    except AgentError as exc:
        raise GovernanceError("agent_not_signable") from exc
    if signoff_for(session, pack) is None:
        row = session.scalar(select(AgentSignoff).where(AgentSignoff.agent_id == pack.id,
                                                        AgentSignoff.version == pack.version,
                                                        AgentSignoff.digest == current))
        try:
            with session.begin_nested():
                if row is None:
                    session.add(AgentSignoff(agent_id=pack.id, version=pack.version, digest=current,
                                             doctor_id=doctor.id))
                else:  # its physician's account was erased or closed: this doctor now answers for it
                    row.doctor_id, row.signed_at = doctor.id, utcnow()
                session.flush()
        except IntegrityError as exc:  # another doctor signed the same content at the same moment
            raise GovernanceError("agent_already_signed") from exc
        audit.record(session, action="agent.sign", outcome=audit.Outcome.ALLOWED, actor_id=doctor.id,
                     resource=f"agent/{pack.id}/v{pack.version}", purpose="governance",
                     detail={"digest": current})
    return _status(session, pack)


def queue_for_audit(session: Session, person_id: int, request: str, reply: AgentAnswer,
                    pack: AgentPack, language: str) -> AgentAuditItem | None:
    """Queue an answer that sampling picked for its physician's audit (referrals are reviewed in the clinic)."""
    if not reply.audit_sampled or reply.action != "answer":
        return None
    item = AgentAuditItem(agent_id=pack.id, version=pack.version, digest=pack_digest(pack), person_id=person_id,
                          language=language, request=request[:MAX_TEXT], answer=reply.answer[:MAX_TEXT])
    session.add(item)
    session.flush()
    return item


def audit_queue(session: Session, doctor: User, status: str = "pending", limit: int = 100) -> list[AgentAuditItem]:
    """Answers of the versions ``doctor`` signed, oldest first; the person is not named."""
    _require_doctor(doctor)
    signed = select(AgentSignoff.id).where(AgentSignoff.doctor_id == doctor.id,
                                           AgentSignoff.agent_id == AgentAuditItem.agent_id,
                                           AgentSignoff.version == AgentAuditItem.version).exists()
    items = list(session.scalars(
        select(AgentAuditItem).where(AgentAuditItem.status == status, signed)
        .order_by(AgentAuditItem.created_at, AgentAuditItem.id).limit(limit)))
    audit.record(session, action="agent.audit_queue", outcome=audit.Outcome.ALLOWED, actor_id=doctor.id,
                 resource="agent_audit_items", purpose="governance", detail={"items": len(items)})
    return items


def review(session: Session, doctor: User, item_id: int, decision: Decision,
           corrected_answer: str | None = None) -> AgentAuditItem:
    """Approve an audited answer, or correct it; the correction stays with the agent version."""
    _require_doctor(doctor)
    item = session.get(AgentAuditItem, item_id)
    if item is None or not _signed_version(session, doctor, item.agent_id, item.version):
        raise GovernanceError("audit_item_not_found")
    if item.status != "pending":
        raise GovernanceError("audit_item_reviewed")
    corrected = (corrected_answer or "").strip()
    if decision == "correct" and not corrected:
        raise GovernanceError("correction_required")
    item.status = "corrected" if decision == "correct" else "approved"
    item.corrected_answer = corrected[:MAX_TEXT] if decision == "correct" else None
    item.reviewer_id = doctor.id
    item.reviewed_at = utcnow()
    audit.record(session, action=f"agent.audit_{item.status}", outcome=audit.Outcome.ALLOWED, actor_id=doctor.id,
                 subject_id=item.person_id, resource=f"agent/{item.agent_id}/v{item.version}/audit/{item.id}",
                 purpose="governance")
    return item


def corrections(session: Session, agent_id: str, version: int) -> list[Correction]:
    """The corrections physicians made to this version's answers, oldest first."""
    rows = session.execute(
        select(AgentAuditItem, User.full_name, User.username).outerjoin(User, User.id == AgentAuditItem.reviewer_id)
        .where(AgentAuditItem.agent_id == agent_id, AgentAuditItem.version == version,
               AgentAuditItem.status == "corrected")
        .order_by(AgentAuditItem.reviewed_at, AgentAuditItem.id)).all()
    return [Correction(request=item.request, answer=item.answer, corrected_answer=item.corrected_answer or "",
                       physician=full_name or username or "", at=item.reviewed_at or item.created_at)
            for item, full_name, username in rows]


# -- helpers -----------------------------------------------------------------------------------------


def _status(session: Session, pack: AgentPack, pending: Mapping[tuple[str, int], int] | None = None
            ) -> AgentStatus:
    signoff = signoff_for(session, pack)
    effective = sign_pack(pack, signoff.physician, signoff.signed_at) if signoff and not pack.active else pack
    if pending is None:
        pending = {(pack.id, pack.version): session.scalar(select(func.count()).select_from(AgentAuditItem).where(
            AgentAuditItem.agent_id == pack.id, AgentAuditItem.version == pack.version,
            AgentAuditItem.status == "pending")) or 0}
    return AgentStatus(id=pack.id, version=pack.version, name=pack.name, department=pack.department,
                       status=effective.status, active=effective.active, digest=pack_digest(pack),
                       physician=effective.physician.name if effective.physician else None,
                       signed_at=effective.signed_at, audit_rate=pack.audit_rate,
                       pending_audits=pending.get((pack.id, pack.version), 0),
                       corrections=len(pack.corrections) + (session.scalar(
                           select(func.count()).select_from(AgentAuditItem).where(
                               AgentAuditItem.agent_id == pack.id, AgentAuditItem.version == pack.version,
                               AgentAuditItem.status == "corrected")) or 0))


def _signed_version(session: Session, doctor: User, agent_id: str, version: int) -> bool:
    return session.scalar(select(AgentSignoff.id).where(
        AgentSignoff.doctor_id == doctor.id, AgentSignoff.agent_id == agent_id,
        AgentSignoff.version == version).limit(1)) is not None


def _physician(doctor: User) -> Physician:
    return Physician(name=doctor.full_name or doctor.username)


def _require_doctor(user: User) -> None:
    if user.role is not Role.DOCTOR or not user.is_active:
        raise GovernanceError("agent_doctor_only")
