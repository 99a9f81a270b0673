"""Registration, log-in (bearer token), the caller's own account and consents."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from sqlalchemy import func, select

from careguide import accounts
from careguide.api.deps import CurrentUser, SessionDep, SettingsDep
from careguide.api.errors import ApiError
from careguide.api.schemas import (
    ConsentCreate,
    ConsentOut,
    LoginBody,
    ProfileUpdate,
    RegisterBody,
    TokenOut,
    UserOut,
)
from careguide.privacy import consent
from careguide.store.models import Consent, Role, User

router = APIRouter(prefix="/api/v1", tags=["accounts"])


def client_of(request: Request) -> str:
    return request.client.host if request.client else ""


def _account_error(exc: accounts.AccountError) -> ApiError:
    status = {"login_failed": 401, "login_throttled": 429}.get(exc.key, 422)
    return ApiError(status, f"accounts.{exc.key}", exc.field)


@router.post("/auth/register", response_model=UserOut, status_code=201)
def register(body: RegisterBody, session: SessionDep) -> User:
    try:
        return accounts.create_user(session, accounts.NewUser(**body.model_dump() | {"role": Role(body.role)}))
    except accounts.AccountError as exc:
        raise _account_error(exc) from exc


@router.post("/auth/token", response_model=TokenOut)
def login_for_token(body: LoginBody, request: Request, session: SessionDep, settings: SettingsDep) -> TokenOut:
    try:
        user = accounts.authenticate(
            session, body.username, body.password, client=client_of(request),
            max_failures=settings.login_max_failures, lockout=timedelta(minutes=settings.login_lockout_minutes),
        )
    except accounts.AccountError as exc:
        session.commit()  # keep the failed attempt: it is what throttling counts
        raise _account_error(exc) from exc
    return TokenOut(access_token=accounts.issue_token(session, user), user_id=user.id)


@router.get("/me", response_model=UserOut)
def me(user: CurrentUser) -> User:
    return user


@router.patch("/me", response_model=UserOut)
def update_me(body: ProfileUpdate, user: CurrentUser) -> User:
    for field, value in body.model_dump(exclude_unset=True).items():
        if value is None and not User.__table__.c[field].nullable:
            continue  # null means "no change" for a field an account cannot be without (found by fuzzing)
        setattr(user, field, value)
    return user


@router.get("/me/consents", response_model=list[ConsentOut])
def my_consents(user: CurrentUser, session: SessionDep) -> list[Consent]:
    return list(session.scalars(select(Consent).where(Consent.subject_id == user.id).order_by(Consent.id)))


@router.post("/me/consents", response_model=ConsentOut, status_code=201)
def grant_consent(body: ConsentCreate, user: CurrentUser, session: SessionDep) -> Consent:
    grantee = session.scalar(select(User).where(func.lower(User.username) == body.grantee_username.lower()))
    if grantee is None or grantee.id == user.id:
        raise ApiError(404, "accounts.grantee_not_found", "grantee_username")
    return consent.grant(session, user, grantee, purpose=body.purpose, scope=body.scope, expires_at=body.expires_at)


@router.delete("/me/consents/{consent_id}", response_model=ConsentOut)
def revoke_consent(consent_id: int, user: CurrentUser, session: SessionDep) -> Consent:
    revoked = consent.revoke(session, user, consent_id)
    if revoked is None:
        raise ApiError(404, "accounts.consent_not_found", "consent_id")
    return revoked
