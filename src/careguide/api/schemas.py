"""Request and response bodies of the foundation's routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from careguide.store.models import ConsentPurpose, ConsentScope, Role


class RegisterBody(BaseModel):
    username: str = Field(min_length=3, max_length=80)
    password: str = Field(min_length=1, max_length=200)
    full_name: str = Field(default="", max_length=200)
    role: Literal["patient", "caregiver"] = "patient"
    language: Literal["en", "zh"] | None = None
    sex: Literal["F", "M"] | None = None
    birth_date: date | None = None
    city: str | None = Field(default=None, max_length=80)


class LoginBody(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    user_id: int


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: Role
    full_name: str
    language: str | None
    senior_mode: bool


class ProfileUpdate(BaseModel):
    full_name: str | None = Field(default=None, max_length=200)
    language: Literal["en", "zh"] | None = None
    senior_mode: bool | None = None
    sex: Literal["F", "M"] | None = None
    birth_date: date | None = None
    city: str | None = Field(default=None, max_length=80)
    phone: str | None = Field(default=None, max_length=40)


class PersonProfile(BaseModel):
    """The demographic part of a person's health record."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    full_name: str
    sex: str | None
    birth_date: date | None
    city: str | None
    phone: str | None


class ConsentCreate(BaseModel):
    grantee_username: str = Field(min_length=3, max_length=80)
    purpose: ConsentPurpose
    scope: ConsentScope = ConsentScope.READ
    expires_at: datetime | None = None


class ConsentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subject_id: int
    grantee_id: int
    purpose: ConsentPurpose
    scope: ConsentScope
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class AuditReport(BaseModel):
    ok: bool
    events: int
    first_bad_seq: int | None
    first_bad_id: int | None
    problem: str
