"""Cross-region care: a referral / out-of-area filing record with its document checklist and status.

The person creates it (draft), ticks off documents, submits it; staff of the receiving hospital
(doctors whose directory entry is linked to their account) accept or decline it; the person
completes or cancels it. Both sides see the same record and its history.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide.booking.errors import BookingError
from careguide.booking.models import (
    Organization,
    Practitioner,
    PractitionerRole,
    Referral,
    ReferralDocument,
    ReferralEvent,
    ReferralStatus,
)
from careguide.booking.notifications import DEFAULT_CHANNEL, Channel, Message
from careguide.booking.places import Text, city_name, department_taxonomy, resolve_city
from careguide.booking.views import bilingual
from careguide.i18n import t
from careguide.privacy import audit
from careguide.privacy.consent import Access, require_access
from careguide.store.base import utcnow
from careguide.store.models import User


class _FilingType(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Text
    required: list[str] = Field(min_length=1)
    optional: list[str] = []


class _Checklists(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    documents: dict[str, Text]
    filing_types: dict[str, _FilingType]

    def model_post_init(self, _context: object) -> None:
        for key, filing in self.filing_types.items():
            unknown = [d for d in filing.required + filing.optional if d not in self.documents]
            if unknown:
                raise ValueError(
                    f"referral_checklists.yaml: filing type {key} names unknown documents {unknown}"
                )


@lru_cache(maxsize=1)
def checklists() -> _Checklists:
    raw = resources.files("careguide.booking").joinpath("data/referral_checklists.yaml").read_text("utf-8")
    return _Checklists.model_validate(yaml.safe_load(raw))


class DocumentItem(BaseModel):
    kind: str
    name: Text
    required: bool
    provided: bool


class ReferralHistoryItem(BaseModel):
    status: ReferralStatus
    at: datetime
    note: str


class ReferralView(BaseModel):
    id: int
    person_id: int
    filing_type: str
    filing_name: Text
    from_city: Text
    to_city: Text
    organization_id: int
    organization: Text
    department_id: str
    department: Text
    reason: str
    status: ReferralStatus
    status_text: Text
    next_step: Text
    documents: list[DocumentItem]
    missing_required: list[str]
    history: list[ReferralHistoryItem]
    clinic_note: str
    source: str


def create_referral(
    session: Session,
    actor: User,
    person_id: int,
    *,
    filing_type: str,
    from_city: str,
    to_organization_id: int,
    department_id: str,
    reason: str = "",
    now: datetime | None = None,
) -> ReferralView:
    now = now or utcnow()
    spec = checklists().filing_types.get(filing_type)
    if spec is None:
        raise BookingError("unknown_filing_type", filing_type=filing_type)
    org = session.get(Organization, to_organization_id)
    if org is None:
        raise BookingError("unknown_organization", organization_id=to_organization_id)
    if department_id not in department_taxonomy():
        raise BookingError("unknown_department", department=department_id)
    home = resolve_city(from_city)
    home_key = home.key if home else from_city.strip().lower()
    if home_key == org.city:
        raise BookingError("same_city")
    require_access(session, actor, person_id, Access.WRITE, resource="booking/referral", purpose="referral")
    referral = Referral(
        person_id=person_id,
        filing_type=filing_type,
        from_city=home_key,
        to_city=org.city,
        to_organization_id=org.id,
        department_id=department_id,
        reason=reason[:2000],
        status=ReferralStatus.DRAFT,
        created_at=now,
        updated_at=now,
    )
    referral.documents = [ReferralDocument(kind=k, required=True) for k in spec.required] + [
        ReferralDocument(kind=k, required=False) for k in spec.optional
    ]
    referral.events = [ReferralEvent(status=ReferralStatus.DRAFT, actor_id=actor.id, at=now)]
    session.add(referral)
    session.flush()
    return referral_view(session, referral)


def mark_document(
    session: Session,
    actor: User,
    referral_id: int,
    kind: str,
    *,
    provided: bool = True,
    now: datetime | None = None,
) -> ReferralView:
    referral = _own_referral(session, actor, referral_id)
    if referral.status not in (ReferralStatus.DRAFT, ReferralStatus.SUBMITTED):
        raise BookingError("referral_status", status=referral.status.value)
    document = next((d for d in referral.documents if d.kind == kind), None)
    if document is None:
        raise BookingError("unknown_document", kind=kind)
    document.provided_at = (now or utcnow()) if provided else None
    session.flush()
    return referral_view(session, referral)


def submit_referral(
    session: Session, actor: User, referral_id: int, *, now: datetime | None = None
) -> ReferralView:
    """Send the referral to the receiving hospital; every required document must be ticked off."""
    referral = _own_referral(session, actor, referral_id)
    if referral.status is not ReferralStatus.DRAFT:
        raise BookingError("referral_status", status=referral.status.value)
    missing = [d.kind for d in referral.documents if d.required and d.provided_at is None]
    if missing:
        lang = actor.language or "zh"
        names = [checklists().documents[k].get(lang) for k in missing]
        raise BookingError("missing_documents", missing=("; " if lang == "en" else "、").join(names))
    _move(session, referral, ReferralStatus.SUBMITTED, actor.id, now)
    return referral_view(session, referral)


def answer_referral(
    session: Session,
    actor: User,
    referral_id: int,
    *,
    accept: bool,
    note: str = "",
    now: datetime | None = None,
    channel: Channel = DEFAULT_CHANNEL,
) -> ReferralView:
    """The receiving hospital accepts or declines a submitted referral; the person is told."""
    referral = _referral(session, referral_id)
    _require_clinic_staff(session, actor, referral)
    if referral.status is not ReferralStatus.SUBMITTED:
        raise BookingError("referral_status", status=referral.status.value)
    referral.clinic_note = note[:2000]
    _move(
        session, referral, ReferralStatus.ACCEPTED if accept else ReferralStatus.REJECTED, actor.id, now, note
    )
    view = referral_view(session, referral)
    person = session.get(User, referral.person_id)
    lang = (person.language if person else None) or "zh"
    channel.send(
        session,
        Message(
            user_id=referral.person_id,
            kind="booking.referral",
            title=t(
                "booking.notice_referral_title",
                lang,
                hospital=view.organization.get(lang),
                status=view.status_text.get(lang),
            ),
            body=view.next_step.get(lang) + (f"\n{note}" if note else ""),
            link=f"/booking/referrals/{referral.id}",
        ),
    )
    return view


def close_referral(
    session: Session, actor: User, referral_id: int, *, completed: bool, now: datetime | None = None
) -> ReferralView:
    """The person marks the referral completed (after an accepted one) or cancels it."""
    referral = _own_referral(session, actor, referral_id)
    allowed = (
        {ReferralStatus.ACCEPTED}
        if completed
        else {ReferralStatus.DRAFT, ReferralStatus.SUBMITTED, ReferralStatus.ACCEPTED}
    )
    if referral.status not in allowed:
        raise BookingError("referral_status", status=referral.status.value)
    _move(
        session, referral, ReferralStatus.COMPLETED if completed else ReferralStatus.CANCELLED, actor.id, now
    )
    return referral_view(session, referral)


def referrals_of(session: Session, actor: User, person_id: int) -> list[ReferralView]:
    require_access(session, actor, person_id, Access.READ, resource="booking/referrals", purpose="referral")
    rows = session.scalars(
        select(Referral).where(Referral.person_id == person_id).order_by(Referral.created_at.desc())
    ).all()
    return [referral_view(session, r) for r in rows]


def referrals_for_clinic(session: Session, actor: User, organization_id: int) -> list[ReferralView]:
    """Referrals sent to the actor's hospital (drafts stay private to the person); each read is audited."""
    _require_clinic_staff_of(session, actor, organization_id)
    rows = session.scalars(
        select(Referral)
        .where(Referral.to_organization_id == organization_id, Referral.status != ReferralStatus.DRAFT)
        .order_by(Referral.updated_at.desc())
    ).all()
    views = []
    for referral in rows:
        _require_clinic_staff(session, actor, referral)
        views.append(referral_view(session, referral))
    return views


def referral_view(session: Session, referral: Referral) -> ReferralView:
    data = checklists()
    org = session.get(Organization, referral.to_organization_id)
    assert org is not None
    dept = department_taxonomy().get(
        referral.department_id, Text(en=referral.department_id, zh=referral.department_id)
    )
    filing = data.filing_types[referral.filing_type]
    documents = [
        DocumentItem(
            kind=d.kind, name=data.documents[d.kind], required=d.required, provided=d.provided_at is not None
        )
        for d in referral.documents
    ]
    return ReferralView(
        id=referral.id,
        person_id=referral.person_id,
        filing_type=referral.filing_type,
        filing_name=filing.name,
        from_city=Text(en=city_name(referral.from_city, "en"), zh=city_name(referral.from_city, "zh")),
        to_city=Text(en=city_name(referral.to_city, "en"), zh=city_name(referral.to_city, "zh")),
        organization_id=org.id,
        organization=Text(en=org.name_en, zh=org.name_zh),
        department_id=referral.department_id,
        department=dept,
        reason=referral.reason,
        status=referral.status,
        status_text=bilingual(f"booking.referral_status_{referral.status.value}"),
        next_step=bilingual(f"booking.referral_next_{referral.status.value}"),
        documents=documents,
        missing_required=[d.kind for d in documents if d.required and not d.provided],
        history=[ReferralHistoryItem(status=e.status, at=e.at, note=e.note) for e in referral.events],
        clinic_note=referral.clinic_note,
        source=data.source,
    )


def _move(
    session: Session,
    referral: Referral,
    status: ReferralStatus,
    actor_id: int,
    now: datetime | None,
    note: str = "",
) -> None:
    moment = now or utcnow()
    referral.status = status
    referral.updated_at = moment
    referral.events.append(ReferralEvent(status=status, actor_id=actor_id, at=moment, note=note[:300]))
    session.flush()


def _own_referral(session: Session, actor: User, referral_id: int) -> Referral:
    """The referral, once the actor may change the person's data (audited)."""
    referral = _referral(session, referral_id)
    require_access(
        session,
        actor,
        referral.person_id,
        Access.WRITE,
        resource=f"booking/referral/{referral.id}",
        purpose="referral",
    )
    return referral


def _referral(session: Session, referral_id: int) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise BookingError("referral_not_found", referral_id=referral_id)
    return referral


def _require_clinic_staff(session: Session, actor: User, referral: Referral) -> None:
    """Staff of the receiving hospital see a referral sent to it; the read is audited like any other."""
    allowed = referral.status is not ReferralStatus.DRAFT and _is_staff(
        session, actor, referral.to_organization_id
    )
    _audit_clinic_read(session, actor, referral.person_id, f"booking/referral/{referral.id}", allowed)


def _require_clinic_staff_of(session: Session, actor: User, organization_id: int) -> None:
    allowed = _is_staff(session, actor, organization_id)
    _audit_clinic_read(session, actor, None, f"booking/organization/{organization_id}/referrals", allowed)


def _audit_clinic_read(
    session: Session, actor: User, subject_id: int | None, resource: str, allowed: bool
) -> None:
    if allowed:
        audit.record(
            session,
            action="read",
            outcome=audit.Outcome.ALLOWED,
            actor_id=actor.id,
            subject_id=subject_id,
            resource=resource,
            purpose="referral_receiving",
        )
        return
    # As consent.require_access does: the refusal is kept although the caller's work is rolled back.
    session.rollback()
    audit.record(
        session,
        action="read",
        outcome=audit.Outcome.DENIED,
        actor_id=actor.id,
        subject_id=subject_id,
        resource=resource,
        purpose="referral_receiving",
    )
    session.commit()
    raise BookingError("not_receiving_clinic")


def _is_staff(session: Session, actor: User, organization_id: int) -> bool:
    if not actor.is_active:
        return False
    return (
        session.scalar(
            select(PractitionerRole.id)
            .join(Practitioner, Practitioner.id == PractitionerRole.practitioner_id)
            .where(
                Practitioner.user_id == actor.id,
                PractitionerRole.organization_id == organization_id,
                PractitionerRole.active.is_(True),
            )
            .limit(1)
        )
        is not None
    )
