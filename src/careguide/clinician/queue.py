"""The referral queue: a person's case goes to a department; a doctor there claims, sees, closes.

Access stays consent-based: asking to be referred is the person's consent to share that case
with the department; a doctor who claims it receives a time-limited care consent (read) for
the person (read, and write so that signed notes are filed in the record), recorded and
audited like any other consent; closing the case ends it.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from careguide.clinician.queue_models import ClinicReferral
from careguide.privacy import audit
from careguide.privacy.consent import Access, require_access
from careguide.store.base import utcnow
from careguide.store.models import Consent, ConsentPurpose, ConsentScope, Role, User

URGENCY_RANK = {"ambulance": 0, "emergency": 1, "urgent": 2, "routine": 3, "self_care": 4}
CLAIM_CONSENT_DAYS = 30


class QueueError(Exception):
    """``key`` is a catalog key in ``clinician``."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def refer(session: Session, actor: User, person_id: int, *, source: str, department: str, urgency: str,
          reason: str, detail: dict[str, object] | None = None, triage_session_id: int | None = None) -> ClinicReferral:
    """Send a person's case to ``department`` (the person, or someone with write consent, asks)."""
    require_access(session, actor, person_id, Access.WRITE, resource=f"person/{person_id}/referral")
    if urgency not in URGENCY_RANK:
        raise QueueError("bad_urgency")
    referral = ClinicReferral(person_id=person_id, source=source, department=department, urgency=urgency,
                              urgency_rank=URGENCY_RANK[urgency], reason=reason[:4000], detail=detail or {},
                              triage_session_id=triage_session_id)
    session.add(referral)
    session.flush()
    audit.record(session, action="referral.create", outcome=audit.Outcome.ALLOWED, actor_id=actor.id,
                 subject_id=person_id, resource=f"referral/{referral.id}", purpose="care",
                 detail={"department": department, "urgency": urgency, "source": source})
    return referral


def doctor_queue(session: Session, doctor: User, *, limit: int = 100) -> list[ClinicReferral]:
    """Open cases of the doctor's department and the doctor's own claimed ones: most urgent, then longest waiting."""
    _require_doctor(doctor)
    query = (
        select(ClinicReferral)
        .where(((ClinicReferral.status == "open") & (ClinicReferral.department == doctor.department))
               | ((ClinicReferral.status == "claimed") & (ClinicReferral.doctor_id == doctor.id)))
        .order_by(ClinicReferral.urgency_rank, ClinicReferral.created_at)
        .limit(limit)
    )
    items = list(session.scalars(query))
    audit.record(session, action="referral.queue", outcome=audit.Outcome.ALLOWED, actor_id=doctor.id,
                 resource="referrals", detail={"items": len(items)})
    return items


def claim(session: Session, doctor: User, referral_id: int) -> ClinicReferral:
    """Take an open case of one's department; one conditional UPDATE, so two doctors cannot both win.
    The treating doctor gets a time-limited care consent: read, and write for signed notes."""
    _require_doctor(doctor)
    referral = session.get(ClinicReferral, referral_id)
    if referral is None or referral.department != doctor.department:
        raise QueueError("referral_not_found")
    now = utcnow()
    won = session.execute(
        update(ClinicReferral)
        .where(ClinicReferral.id == referral_id, ClinicReferral.status == "open")
        .values(status="claimed", doctor_id=doctor.id, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(won, "rowcount", 0) != 1:
        raise QueueError("already_claimed")
    grant = Consent(subject_id=referral.person_id, grantee_id=doctor.id, purpose=ConsentPurpose.CARE,
                    scope=ConsentScope.WRITE, expires_at=now + timedelta(days=CLAIM_CONSENT_DAYS))
    session.add(grant)
    session.flush()
    session.refresh(referral)
    referral.consent_id = grant.id
    audit.record(session, action="referral.claim", outcome=audit.Outcome.ALLOWED, actor_id=doctor.id,
                 subject_id=referral.person_id, resource=f"referral/{referral_id}", purpose="care",
                 detail={"consent_id": grant.id, "days": CLAIM_CONSENT_DAYS})
    return referral


def close(session: Session, doctor: User, referral_id: int) -> ClinicReferral:
    """Close one's own case; the access its claim gave ends with it."""
    referral = session.get(ClinicReferral, referral_id)
    if referral is None or referral.doctor_id != doctor.id or referral.status != "claimed":
        raise QueueError("referral_not_found")
    now = utcnow()
    referral.status = "closed"
    referral.closed_at = now
    if referral.consent_id is not None:
        grant = session.get(Consent, referral.consent_id)
        if grant is not None and grant.revoked_at is None:
            grant.revoked_at = now
    audit.record(session, action="referral.close", outcome=audit.Outcome.ALLOWED, actor_id=doctor.id,
                 subject_id=referral.person_id, resource=f"referral/{referral_id}", purpose="care")
    return referral


def my_referrals(session: Session, person: User) -> list[ClinicReferral]:
    """A person's own referrals and their status."""
    return list(session.scalars(select(ClinicReferral).where(ClinicReferral.person_id == person.id)
                                .order_by(ClinicReferral.created_at.desc())))


def _require_doctor(user: User) -> None:
    if user.role is not Role.DOCTOR or not user.department:
        raise QueueError("doctor_only")
