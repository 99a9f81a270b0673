"""A person's data, seen by themselves or by someone they consented to."""

from __future__ import annotations

from fastapi import APIRouter

from careguide.api.deps import CurrentUser, SessionDep, require_role
from careguide.api.errors import ApiError
from careguide.api.schemas import AuditReport, PersonProfile, ProfileUpdate
from careguide.privacy import audit
from careguide.privacy.consent import Access, require_access
from careguide.store.models import Role, User

router = APIRouter(prefix="/api/v1", tags=["people"])


def checked_person(session: SessionDep, user: User, person_id: int, access: Access, resource: str) -> User:
    """The person, once the consent check (which audits, and raises AccessDenied: a 403) allows ``user`` in."""
    require_access(session, user, person_id, access, resource=resource)
    person = session.get(User, person_id)
    if person is None:
        raise ApiError(404, "api.not_found")
    return person


@router.get("/people/{person_id}/profile", response_model=PersonProfile)
def read_profile(person_id: int, user: CurrentUser, session: SessionDep) -> User:
    return checked_person(session, user, person_id, Access.READ, f"person/{person_id}/profile")


@router.patch("/people/{person_id}/profile", response_model=PersonProfile)
def update_profile(person_id: int, body: ProfileUpdate, user: CurrentUser, session: SessionDep) -> User:
    person = checked_person(session, user, person_id, Access.WRITE, f"person/{person_id}/profile")
    for field in ("full_name", "sex", "birth_date", "city", "phone"):
        if field in body.model_fields_set:
            setattr(person, field, getattr(body, field))
    return person


@router.get("/admin/audit/verify", response_model=AuditReport, dependencies=[require_role(Role.ADMIN)])
def verify_audit(session: SessionDep) -> AuditReport:
    report = audit.verify(session)
    return AuditReport(**report.__dict__)
