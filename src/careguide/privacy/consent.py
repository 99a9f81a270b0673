"""Consent: who may see or change a person's data, and the one check every router calls."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from careguide.privacy import audit
from careguide.store.base import utcnow
from careguide.store.models import Consent, ConsentPurpose, ConsentScope, Role, User


class Access(enum.StrEnum):
    READ = "read"
    WRITE = "write"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # "self", "consent", "no_consent", "not_found", "inactive"
    consent_id: int | None = None


class AccessDenied(Exception):
    """Raised by ``require_access``; the refusal has already been audited and committed."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.reason)
        self.decision = decision


def decide(session: Session, actor: User, subject_id: int, access: Access, at: datetime | None = None) -> Decision:
    """May ``actor`` read or write the health data of person ``subject_id`` right now?

    A person always has access to their own data. Anyone else - a caregiver, a doctor,
    an administrator, another patient - needs a consent from that person that is not
    revoked, not expired and whose scope covers the access.
    """
    if not actor.is_active:
        return Decision(False, "inactive")
    if actor.id == subject_id:
        return Decision(True, "self")
    subject = session.get(User, subject_id)
    if subject is None or subject.role is not Role.PATIENT:
        return Decision(False, "not_found")
    consent = active_consent(session, subject_id, actor.id, access, at)
    if consent is None:
        return Decision(False, "no_consent")
    return Decision(True, "consent", consent.id)


def active_consent(
    session: Session, subject_id: int, grantee_id: int, access: Access, at: datetime | None = None
) -> Consent | None:
    now = at or utcnow()
    scopes = [ConsentScope.WRITE] if access is Access.WRITE else [ConsentScope.READ, ConsentScope.WRITE]
    return session.scalars(
        select(Consent)
        .where(
            Consent.subject_id == subject_id,
            Consent.grantee_id == grantee_id,
            Consent.revoked_at.is_(None),
            or_(Consent.expires_at.is_(None), Consent.expires_at > now),
            Consent.scope.in_(scopes),
        )
        .order_by(Consent.id.desc())
        .limit(1)
    ).first()


def require_access(
    session: Session, actor: User, subject_id: int, access: Access, *, resource: str, purpose: str = ""
) -> Decision:
    """Allow, and audit the access in the caller's transaction; or refuse, audit the refusal
    in a transaction of its own (nothing else the request did is kept), and raise AccessDenied."""
    decision = decide(session, actor, subject_id, access)
    if decision.allowed:
        audit.record(
            session,
            action=f"{access.value}",
            outcome=audit.Outcome.ALLOWED,
            actor_id=actor.id,
            subject_id=subject_id,
            resource=resource,
            purpose=purpose or decision.reason,
            detail={"consent_id": decision.consent_id} if decision.consent_id else {},
        )
        return decision
    session.rollback()
    audit.record(
        session,
        action=f"{access.value}",
        outcome=audit.Outcome.DENIED,
        actor_id=actor.id,
        subject_id=subject_id,
        resource=resource,
        purpose=purpose,
        detail={"reason": decision.reason},
    )
    session.commit()
    raise AccessDenied(decision)


def grant(
    session: Session,
    subject: User,
    grantee: User,
    *,
    purpose: ConsentPurpose,
    scope: ConsentScope = ConsentScope.READ,
    expires_at: datetime | None = None,
) -> Consent:
    """``subject`` consents to ``grantee`` seeing (or changing) their data; audited."""
    consent = Consent(subject_id=subject.id, grantee_id=grantee.id, purpose=purpose, scope=scope, expires_at=expires_at)
    session.add(consent)
    session.flush()
    audit.record(
        session,
        action="consent.grant",
        outcome=audit.Outcome.ALLOWED,
        actor_id=subject.id,
        subject_id=subject.id,
        resource=f"consent/{consent.id}",
        purpose=purpose.value,
        detail={"grantee_id": grantee.id, "scope": scope.value},
    )
    return consent


def revoke(session: Session, subject: User, consent_id: int) -> Consent | None:
    """Revoke one of ``subject``'s own consents; returns None when it is not theirs."""
    consent = session.get(Consent, consent_id)
    if consent is None or consent.subject_id != subject.id:
        return None
    if consent.revoked_at is None:
        consent.revoked_at = utcnow()
        audit.record(
            session,
            action="consent.revoke",
            outcome=audit.Outcome.ALLOWED,
            actor_id=subject.id,
            subject_id=subject.id,
            resource=f"consent/{consent.id}",
            purpose=consent.purpose.value,
        )
    return consent
