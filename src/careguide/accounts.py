"""Accounts: password hashing, login throttling, web sessions and API tokens.

Everything lives in the database (nothing in process memory), so any number of API
workers can serve the same users.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from careguide.privacy import audit
from careguide.store.base import utcnow
from careguide.store.models import ApiToken, LoginAttempt, Role, User, WebSession

_hasher = PasswordHasher()
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,80}$")
MIN_PASSWORD_LENGTH = 10


class AccountError(Exception):
    """A problem a person can fix; ``key`` is the message catalog key (accounts.<key>)."""

    def __init__(self, key: str, field: str | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.field = field


@dataclass(frozen=True)
class NewUser:
    username: str
    password: str
    role: Role = Role.PATIENT
    full_name: str = ""
    email: str | None = None
    language: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    city: str | None = None
    department: str | None = None  # doctors: the department whose referral queue they work


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short", "password")
    if password.isdigit() or password.isalpha():
        raise AccountError("password_too_simple", "password")


def create_user(session: Session, new: NewUser) -> User:
    if not USERNAME_RE.match(new.username):
        raise AccountError("username_invalid", "username")
    check_password_policy(new.password)
    if session.scalar(select(User.id).where(func.lower(User.username) == new.username.lower())) is not None:
        raise AccountError("username_taken", "username")
    user = User(
        username=new.username,
        password_hash=hash_password(new.password),
        role=new.role,
        full_name=new.full_name,
        email=new.email,
        language=new.language,
        sex=new.sex,
        birth_date=new.birth_date,
        city=new.city,
        department=new.department,
    )
    session.add(user)
    session.flush()
    audit.record(session, action="account.create", outcome=audit.Outcome.ALLOWED, actor_id=user.id,
                 subject_id=user.id, resource=f"user/{user.id}", detail={"role": new.role.value})
    return user


def is_throttled(session: Session, username: str, client: str, max_failures: int, window: timedelta) -> bool:
    """Too many recent failures for this username, or from this client address."""
    since = utcnow() - window
    by_user = session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.username == username.lower(), LoginAttempt.success.is_(False), LoginAttempt.at > since
        )
    )
    by_client = session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.client == client, LoginAttempt.success.is_(False), LoginAttempt.at > since
        )
    )
    return (by_user or 0) >= max_failures or (by_client or 0) >= max_failures * 4


def authenticate(
    session: Session, username: str, password: str, *, client: str = "", max_failures: int = 5,
    lockout: timedelta = timedelta(minutes=15),
) -> User:
    """The user for these credentials, or AccountError("login_failed" / "login_throttled").

    Every attempt is recorded; the attempt row commits with the caller's transaction."""
    if is_throttled(session, username, client, max_failures, lockout):
        raise AccountError("login_throttled")
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    ok = False
    if user is not None and user.is_active:
        try:
            ok = _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
        if ok and _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
    else:
        _hasher.hash(password)  # spend the same time whether or not the user exists
    session.add(LoginAttempt(username=username.lower(), client=client[:64], success=ok))
    if not ok or user is None:
        raise AccountError("login_failed")
    return user


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def open_web_session(session: Session, user: User, hours: int) -> tuple[str, WebSession]:
    """A new browser session; returns the cookie value (only its digest is stored)."""
    raw = secrets.token_urlsafe(32)
    web = WebSession(id=_digest(raw), user_id=user.id, csrf_token=secrets.token_urlsafe(24),
                     expires_at=utcnow() + timedelta(hours=hours))
    session.add(web)
    return raw, web


def web_session_user(session: Session, raw: str) -> tuple[User, WebSession] | None:
    web = session.get(WebSession, _digest(raw))
    if web is None or web.revoked_at is not None or web.expires_at <= utcnow():
        return None
    user = session.get(User, web.user_id)
    if user is None or not user.is_active:
        return None
    return user, web


def close_web_session(session: Session, raw: str) -> None:
    web = session.get(WebSession, _digest(raw))
    if web is not None and web.revoked_at is None:
        web.revoked_at = utcnow()


def issue_token(session: Session, user: User, name: str = "api", days: int | None = 90) -> str:
    raw = "cg_" + secrets.token_urlsafe(32)
    expires: datetime | None = utcnow() + timedelta(days=days) if days else None
    session.add(ApiToken(user_id=user.id, token_hash=_digest(raw), name=name, expires_at=expires))
    return raw


def token_user(session: Session, raw: str) -> User | None:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(raw)))
    if token is None or token.revoked_at is not None or (token.expires_at and token.expires_at <= utcnow()):
        return None
    user = session.get(User, token.user_id)
    return user if user is not None and user.is_active else None
