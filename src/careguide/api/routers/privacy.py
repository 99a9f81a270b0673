"""A person's rights over their data: download everything held about them, and erase it."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from careguide import accounts
from careguide.api.deps import CurrentUser, SessionDep, SettingsDep
from careguide.api.errors import ApiError
from careguide.privacy.erasure import erase_person, fold_write_ahead_log
from careguide.privacy.export import export_person
from careguide.store.models import Role, User

router = APIRouter(prefix="/api/v1/people", tags=["privacy"])
MIN_REASON = 10


class EraseBody(BaseModel):
    password: str = Field(min_length=1, max_length=200, description="The caller's own current password.")
    reason: str = Field(default="", max_length=500, description="Required when an administrator erases someone.")


class ErasureOut(BaseModel):
    person_id: int
    deleted: dict[str, int]
    cleared: dict[str, int]
    files_removed: int


@router.get("/{person_id}/export")
def export(person_id: int, user: CurrentUser, session: SessionDep) -> Response:
    """Everything held about the person as one JSON document (FHIR Bundle + every other table)."""
    document = export_person(session, user, person_id)
    return Response(json.dumps(document, ensure_ascii=False), media_type="application/json",
                    headers={"content-disposition": f'attachment; filename="careguide-person-{person_id}.json"',
                             "cache-control": "no-store"})


@router.post("/{person_id}/erase", response_model=ErasureOut)
def erase(person_id: int, body: EraseBody, request: Request, user: CurrentUser, session: SessionDep,
          settings: SettingsDep) -> Any:
    """Erase the person: by themselves, or by an administrator with a reason; both re-enter their password."""
    is_self = user.id == person_id
    if not is_self and user.role is not Role.ADMIN:
        raise ApiError(403, "privacy_rights.erase_not_allowed")
    if not is_self and len(body.reason.strip()) < MIN_REASON:
        raise ApiError(422, "privacy_rights.erase_reason_required", "reason")
    _confirm_password(session, user, body.password, request, settings.login_max_failures)
    if session.get(User, person_id) is None:
        raise ApiError(404, "api.not_found")
    report = erase_person(session, user, person_id, reason=body.reason.strip() or "self", data_dir=settings.data_dir)
    session.commit()  # files are removed once the rows are gone for good
    fold_write_ahead_log(session.get_bind())  # type: ignore[arg-type]
    return ErasureOut(person_id=person_id, deleted=report.deleted, cleared=report.cleared,
                      files_removed=report.files_removed)


def _confirm_password(session: SessionDep, user: User, password: str, request: Request, max_failures: int) -> None:
    """Re-authentication counts as a login attempt, so the route cannot be used to guess passwords."""
    client = request.client.host if request.client else ""
    try:
        accounts.authenticate(session, user.username, password, client=client, max_failures=max_failures)
    except accounts.AccountError as exc:
        session.commit()  # keep the failed attempt: throttling counts it
        if exc.key == "login_throttled":
            raise ApiError(429, "accounts.login_throttled") from exc
        raise ApiError(403, "privacy_rights.erase_password_wrong", "password") from exc
