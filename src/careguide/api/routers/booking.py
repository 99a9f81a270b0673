"""Care navigation: match a triage outcome to three proposals, hold/confirm/cancel/reschedule,
my appointments, the visit guide, the wait-list, cross-region referrals, directory as FHIR."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel, Field

from careguide.api.deps import CurrentUser, LangDep, SessionDep, SettingsDep
from careguide.api.errors import ApiError
from careguide.api.routers.people import checked_person
from careguide.booking import booking as bookings
from careguide.booking import referrals, waitlist
from careguide.booking.errors import BookingError
from careguide.booking.fhir import export_directory
from careguide.booking.matching import MatchRequest, MatchResult, PersonContext, Urgency, match
from careguide.booking.referrals import ReferralView
from careguide.booking.views import AppointmentView
from careguide.booking.visit_guide import VisitGuide, visit_guide
from careguide.booking.waitlist import WaitlistView
from careguide.privacy.consent import Access

T = TypeVar("T")

router = APIRouter(prefix="/api/v1/booking", tags=["booking"])

_STATUS = {
    "slot_taken": 409,
    "hold_expired": 409,
    "not_active": 409,
    "not_cancellable": 409,
    "too_late_to_change": 409,
    "already_waiting": 409,
    "referral_status": 409,
    "slot_unavailable": 409,
    "slot_in_past": 409,
    "not_receiving_clinic": 403,
}


def _error(exc: BookingError) -> ApiError:
    not_found = exc.code.endswith("not_found") or exc.code.startswith("unknown_")
    error = ApiError(_STATUS.get(exc.code, 404 if not_found else 422), f"booking.error_{exc.code}")
    error.params = dict(exc.params)
    return error


def _refusing(operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a booking operation; its refusal becomes an API error (and the request's transaction rolls back)."""
    try:
        return operation(*args, **kwargs)
    except BookingError as exc:
        raise _error(exc) from exc


class MatchBody(BaseModel):
    disposition: Urgency
    department_ids: list[str] = Field(default_factory=list, max_length=10)
    person_id: int | None = None
    prefer_senior: bool = False
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    preferred_organization_ids: list[int] = Field(default_factory=list, max_length=20)


class SlotBody(BaseModel):
    slot_id: int
    person_id: int | None = None
    practitioner_id: int | None = None


class RescheduleBody(BaseModel):
    new_slot_id: int


class WaitlistBody(BaseModel):
    department_id: str = Field(max_length=40)
    earliest: datetime
    latest: datetime
    person_id: int | None = None
    organization_id: int | None = None
    practitioner_id: int | None = None


class ReferralBody(BaseModel):
    filing_type: str = Field(max_length=40)
    to_organization_id: int
    department_id: str = Field(max_length=40)
    from_city: str | None = Field(default=None, max_length=80, description="Default: the person's city.")
    reason: str = Field(default="", max_length=2000)
    person_id: int | None = None


class DocumentBody(BaseModel):
    provided: bool = True


class AnswerBody(BaseModel):
    decision: Literal["accept", "decline"]
    note: str = Field(default="", max_length=2000)


@router.post("/match", response_model=MatchResult)
def match_outcome(
    body: MatchBody, user: CurrentUser, session: SessionDep, settings: SettingsDep, lang: LangDep
) -> MatchResult:
    person = checked_person(session, user, body.person_id or user.id, Access.READ, "booking/match")
    context = PersonContext(
        city=person.city,
        latitude=body.latitude,
        longitude=body.longitude,
        language=person.language or lang,
        preferred_organization_ids=body.preferred_organization_ids,
    )
    request = MatchRequest(
        disposition=body.disposition,
        department_ids=body.department_ids,
        person=context,
        prefer_senior=body.prefer_senior,
        emergency_number=settings.emergency_number,
    )
    return match(session, request)


@router.post("/holds", response_model=AppointmentView, status_code=201)
def hold(body: SlotBody, user: CurrentUser, session: SessionDep) -> AppointmentView:
    return _refusing(
        bookings.hold,
        session,
        user,
        body.person_id or user.id,
        body.slot_id,
        practitioner_id=body.practitioner_id,
    )


@router.post("/appointments", response_model=AppointmentView, status_code=201)
def book(body: SlotBody, user: CurrentUser, session: SessionDep) -> AppointmentView:
    """Hold and confirm in one step."""
    return _refusing(
        bookings.book,
        session,
        user,
        body.person_id or user.id,
        body.slot_id,
        practitioner_id=body.practitioner_id,
    )


@router.post("/appointments/{appointment_id}/confirm", response_model=AppointmentView)
def confirm(appointment_id: int, user: CurrentUser, session: SessionDep) -> AppointmentView:
    return _refusing(bookings.confirm, session, user, appointment_id)


@router.post("/appointments/{appointment_id}/cancel", response_model=AppointmentView)
def cancel(appointment_id: int, user: CurrentUser, session: SessionDep) -> AppointmentView:
    return _refusing(bookings.cancel, session, user, appointment_id)


@router.post("/appointments/{appointment_id}/reschedule", response_model=AppointmentView)
def reschedule(
    appointment_id: int, body: RescheduleBody, user: CurrentUser, session: SessionDep
) -> AppointmentView:
    return _refusing(bookings.reschedule, session, user, appointment_id, body.new_slot_id)


@router.get("/people/{person_id}/appointments", response_model=list[AppointmentView])
def my_appointments(
    person_id: int, user: CurrentUser, session: SessionDep, include_past: bool = False
) -> list[AppointmentView]:
    return bookings.appointments_of(session, user, person_id, include_past=include_past)


@router.get("/appointments/{appointment_id}/guide", response_model=VisitGuide)
def guide(
    appointment_id: int,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    lang: LangDep,
    senior: bool | None = None,
) -> VisitGuide:
    return _refusing(
        visit_guide,
        session,
        user,
        appointment_id,
        emergency_number=settings.emergency_number,
        lang=lang,
        senior_mode=senior,
    )


@router.post("/waitlist", response_model=WaitlistView, status_code=201)
def join_waitlist(body: WaitlistBody, user: CurrentUser, session: SessionDep, lang: LangDep) -> WaitlistView:
    return _refusing(
        waitlist.join_waitlist,
        session,
        user,
        body.person_id or user.id,
        body.department_id,
        earliest=body.earliest,
        latest=body.latest,
        organization_id=body.organization_id,
        practitioner_id=body.practitioner_id,
        language=lang,
    )


@router.get("/people/{person_id}/waitlist", response_model=list[WaitlistView])
def my_waitlist(person_id: int, user: CurrentUser, session: SessionDep) -> list[WaitlistView]:
    return waitlist.waitlist_of(session, user, person_id)


@router.delete("/waitlist/{entry_id}", response_model=WaitlistView)
def leave_waitlist(entry_id: int, user: CurrentUser, session: SessionDep) -> WaitlistView:
    return _refusing(waitlist.leave_waitlist, session, user, entry_id)


@router.post("/referrals", response_model=ReferralView, status_code=201)
def create_referral(body: ReferralBody, user: CurrentUser, session: SessionDep) -> ReferralView:
    person = checked_person(session, user, body.person_id or user.id, Access.WRITE, "booking/referral")
    return _refusing(
        referrals.create_referral,
        session,
        user,
        person.id,
        filing_type=body.filing_type,
        from_city=body.from_city or person.city or "",
        to_organization_id=body.to_organization_id,
        department_id=body.department_id,
        reason=body.reason,
    )


@router.put("/referrals/{referral_id}/documents/{kind}", response_model=ReferralView)
def mark_document(
    referral_id: int, kind: str, body: DocumentBody, user: CurrentUser, session: SessionDep
) -> ReferralView:
    return _refusing(referrals.mark_document, session, user, referral_id, kind, provided=body.provided)


@router.post("/referrals/{referral_id}/submit", response_model=ReferralView)
def submit_referral(referral_id: int, user: CurrentUser, session: SessionDep) -> ReferralView:
    return _refusing(referrals.submit_referral, session, user, referral_id)


@router.post("/referrals/{referral_id}/answer", response_model=ReferralView)
def answer_referral(
    referral_id: int, body: AnswerBody, user: CurrentUser, session: SessionDep
) -> ReferralView:
    return _refusing(
        referrals.answer_referral,
        session,
        user,
        referral_id,
        accept=body.decision == "accept",
        note=body.note,
    )


@router.post("/referrals/{referral_id}/close", response_model=ReferralView)
def close_referral(
    referral_id: int, user: CurrentUser, session: SessionDep, completed: bool = True
) -> ReferralView:
    return _refusing(referrals.close_referral, session, user, referral_id, completed=completed)


@router.get("/people/{person_id}/referrals", response_model=list[ReferralView])
def my_referrals(person_id: int, user: CurrentUser, session: SessionDep) -> list[ReferralView]:
    return referrals.referrals_of(session, user, person_id)


@router.get("/organizations/{organization_id}/referrals", response_model=list[ReferralView])
def clinic_referrals(organization_id: int, user: CurrentUser, session: SessionDep) -> list[ReferralView]:
    return _refusing(referrals.referrals_for_clinic, session, user, organization_id)


@router.get("/directory/fhir")
def directory_fhir(user: CurrentUser, session: SessionDep, organization: str | None = None) -> dict[str, Any]:
    """The directory (one hospital with ?organization=<code>) as a FHIR Bundle, without slots' history."""
    return export_directory(session, organization_codes=[organization] if organization else None)
