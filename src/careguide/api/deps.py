"""Named dependencies for routes: the database session, the caller, their language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from careguide import accounts
from careguide.api.errors import ApiError
from careguide.config import Settings
from careguide.i18n import DEFAULT_LANGUAGE, from_accept_language, normalise_language
from careguide.store.db import Database
from careguide.store.models import Role, User, WebSession

SESSION_COOKIE = "cg_session"
LANG_COOKIE = "cg_lang"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on any error."""
    database: Database = request.app.state.database
    session = database.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function": the transaction commits before the response is sent (the default scope
# would run the commit after the response - an acknowledged write could still fail).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def caller(request: Request, session: SessionDep) -> tuple[User, WebSession | None] | None:
    """The user behind a bearer token or a session cookie (cookie requests must carry the CSRF token)."""
    cached = getattr(request.state, "caller", None)
    if cached is not None:
        return cached if cached else None
    found: tuple[User, WebSession | None] | None = None
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = accounts.token_user(session, auth[7:].strip())
        found = (user, None) if user is not None else None
    elif raw := request.cookies.get(SESSION_COOKIE):
        found_web = accounts.web_session_user(session, raw)
        found = (found_web[0], found_web[1]) if found_web else None
    request.state.caller = found or False
    if found is not None:
        request.state.user_language = found[0].language
    return found


def current_user_optional(request: Request, session: SessionDep) -> User | None:
    found = caller(request, session)
    return found[0] if found else None


def current_user(request: Request, session: SessionDep) -> User:
    found = caller(request, session)
    if found is None:
        raise ApiError(401, "api.not_authenticated")
    user, web = found
    if web is not None and request.method in UNSAFE_METHODS:
        check_csrf(request, web.csrf_token)
    return user


def check_csrf(request: Request, expected: str) -> None:
    sent = request.headers.get("x-csrf-token") or getattr(request.state, "form_csrf", None)
    if not sent or not _same(sent, expected):
        raise ApiError(403, "api.csrf_failed")


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(current_user_optional)]


def require_role(*roles: Role):  # type: ignore[no-untyped-def]
    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise ApiError(403, "api.role_required", role="/".join(r.value for r in roles))
        return user

    return Depends(check)


def resolve_language(request: Request) -> str:
    """Profile, then ?lang=, then the language cookie, then Accept-Language, then the default."""
    settings: Settings = request.app.state.settings
    default = settings.default_language or DEFAULT_LANGUAGE
    profile = getattr(request.state, "user_language", None)
    if profile:
        return normalise_language(profile, default)
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate:
            return normalise_language(candidate, default)
    return from_accept_language(request.headers.get("accept-language")) or default


def language(request: Request, user: OptionalUser) -> str:
    return resolve_language(request)


LangDep = Annotated[str, Depends(language)]
