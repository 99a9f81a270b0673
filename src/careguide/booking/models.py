"""Booking tables: the care directory (FHIR-shaped), slots, appointments, wait-list, referrals.

Double booking is prevented by the database, not by Python: a slot is claimed with a
conditional ``UPDATE ... WHERE status = 'free'`` whose row count says who won, and a partial
unique index allows at most one active (held or booked) appointment per slot.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from careguide.privacy.crypto import EncryptedText
from careguide.store.base import Base, utcnow


def _values(enum_cls: type[enum.Enum]) -> list[str]:
    return [str(member.value) for member in enum_cls]


def _enum(enum_cls: type[enum.Enum], length: int = 20) -> Enum:
    return Enum(enum_cls, native_enum=False, length=length, values_callable=_values)


class OrganizationLevel(enum.StrEnum):
    """China's hospital grading (医院分级): 三级 tertiary, 二级 secondary, 一级/社区 community."""

    TERTIARY = "tertiary"
    SECONDARY = "secondary"
    COMMUNITY = "community"


class Title(enum.StrEnum):
    """Clinical professional titles (主任医师, 副主任医师, 主治医师), most senior first."""

    CHIEF = "chief"
    ASSOCIATE_CHIEF = "associate_chief"
    ATTENDING = "attending"

    @property
    def seniority(self) -> int:
        return {Title.CHIEF: 2, Title.ASSOCIATE_CHIEF: 1, Title.ATTENDING: 0}[self]


class SlotStatus(enum.StrEnum):
    FREE = "free"
    HELD = "held"
    BOOKED = "booked"
    BLOCKED = "blocked"


class AppointmentStatus(enum.StrEnum):
    HELD = "held"  # a slot reserved for a few minutes, waiting for confirmation
    BOOKED = "booked"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # a hold that was not confirmed in time
    RESCHEDULED = "rescheduled"  # replaced by another appointment
    COMPLETED = "completed"
    NO_SHOW = "no_show"


ACTIVE_APPOINTMENT = (AppointmentStatus.HELD.value, AppointmentStatus.BOOKED.value)


class WaitlistStatus(enum.StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"  # a freed slot is held for the person
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


class ReferralStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Organization(Base):
    """A hospital or clinic (FHIR Organization)."""

    __tablename__ = "booking_organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)  # stable identifier, used in FHIR
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200))
    level: Mapped[OrganizationLevel] = mapped_column(_enum(OrganizationLevel))
    city: Mapped[str] = mapped_column(String(40), index=True)  # city key, see data/cities.yaml
    region: Mapped[str] = mapped_column(String(8), default="CN")
    phone: Mapped[str] = mapped_column(String(40), default="")
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Shanghai")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    locations: Mapped[list[Location]] = relationship(back_populates="organization")


class Location(Base):
    """A place: a campus with its address and coordinates, and where in it (building, floor)."""

    __tablename__ = "booking_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("booking_organizations.id", ondelete="CASCADE"), index=True
    )
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(40))
    district_en: Mapped[str] = mapped_column(String(80), default="")
    district_zh: Mapped[str] = mapped_column(String(80), default="")
    address_en: Mapped[str] = mapped_column(String(300), default="")
    address_zh: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    building_en: Mapped[str] = mapped_column(String(120), default="")
    building_zh: Mapped[str] = mapped_column(String(120), default="")
    floor: Mapped[str] = mapped_column(String(20), default="")

    organization: Mapped[Organization] = relationship(back_populates="locations")


class Service(Base):
    """A department of one hospital (FHIR HealthcareService), typed by the shared taxonomy id."""

    __tablename__ = "booking_services"
    __table_args__ = (UniqueConstraint("organization_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("booking_organizations.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(ForeignKey("booking_locations.id"))
    department_id: Mapped[str] = mapped_column(String(40), index=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")

    organization: Mapped[Organization] = relationship()
    location: Mapped[Location] = relationship()


class Practitioner(Base):
    """A doctor (FHIR Practitioner). ``user_id`` links a doctor's account, when there is one."""

    __tablename__ = "booking_practitioners"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str] = mapped_column(String(120))
    gender: Mapped[str] = mapped_column(String(10), default="unknown")
    title: Mapped[Title] = mapped_column(_enum(Title))
    specialty_en: Mapped[str] = mapped_column(String(300), default="")
    specialty_zh: Mapped[str] = mapped_column(String(300), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # BCP-47 primary tags: zh, en, yue
    fee_cny: Mapped[int] = mapped_column(Integer, default=0)  # registration fee, whole yuan
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PractitionerRole(Base):
    """A doctor working in one hospital department (FHIR PractitionerRole)."""

    __tablename__ = "booking_practitioner_roles"
    __table_args__ = (
        UniqueConstraint("practitioner_id", "service_id"),
        Index("ix_booking_roles_department_org", "department_id", "organization_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("booking_practitioners.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("booking_services.id", ondelete="CASCADE"))
    # copies of the service's, so matching filters roles without joins
    organization_id: Mapped[int] = mapped_column(ForeignKey("booking_organizations.id", ondelete="CASCADE"))
    department_id: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    practitioner: Mapped[Practitioner] = relationship()
    service: Mapped[Service] = relationship()


class Schedule(Base):
    """The bookable calendar of one practitioner role (FHIR Schedule)."""

    __tablename__ = "booking_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    role_id: Mapped[int] = mapped_column(
        ForeignKey("booking_practitioner_roles.id", ondelete="CASCADE"), index=True
    )
    comment: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Slot(Base):
    """One bookable time (FHIR Slot). ``held_until`` is set while a hold reserves it."""

    __tablename__ = "booking_slots"
    __table_args__ = (
        UniqueConstraint("schedule_id", "start"),
        # the earliest free slot of a role is one index seek
        Index("ix_booking_slots_role_status_start", "role_id", "status", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("booking_schedules.id", ondelete="CASCADE"))
    role_id: Mapped[int] = mapped_column(ForeignKey("booking_practitioner_roles.id", ondelete="CASCADE"))
    start: Mapped[datetime]
    end: Mapped[datetime]
    status: Mapped[SlotStatus] = mapped_column(_enum(SlotStatus, 10), default=SlotStatus.FREE)
    held_until: Mapped[datetime | None]


class Appointment(Base):
    """A hold or a booking of one slot by one person (FHIR Appointment)."""

    __tablename__ = "booking_appointments"
    __table_args__ = (
        # At most one active appointment per slot, enforced by the database on every backend.
        Index(
            "uq_booking_appointments_active_slot",
            "slot_id",
            unique=True,
            sqlite_where=text("status IN ('held', 'booked')"),
            postgresql_where=text("status IN ('held', 'booked')"),
        ),
        Index("ix_booking_appointments_person_status", "person_id", "status"),
        Index("ix_booking_appointments_slot_status", "slot_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("booking_slots.id"))
    role_id: Mapped[int] = mapped_column(ForeignKey("booking_practitioner_roles.id"))
    status: Mapped[AppointmentStatus] = mapped_column(_enum(AppointmentStatus))
    hold_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(EncryptedText("booking.appointment.reason"), default="")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("booking_appointments.id"))
    waitlist_entry_id: Mapped[int | None] = mapped_column(ForeignKey("booking_waitlist.id"))

    slot: Mapped[Slot] = relationship()
    role: Mapped[PractitionerRole] = relationship()


class WaitlistEntry(Base):
    """A person waiting for a slot in a department (optionally with one doctor) in a date range."""

    __tablename__ = "booking_waitlist"
    __table_args__ = (Index("ix_booking_waitlist_department_status", "department_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[str] = mapped_column(String(40))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("booking_organizations.id"))
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("booking_practitioners.id"))
    earliest: Mapped[datetime]
    latest: Mapped[datetime]
    status: Mapped[WaitlistStatus] = mapped_column(_enum(WaitlistStatus), default=WaitlistStatus.WAITING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    offered_appointment_id: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8), default="zh")


class Referral(Base):
    """Care in another city: an out-of-area filing/referral record (异地就医备案/转诊) and its status."""

    __tablename__ = "booking_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filing_type: Mapped[str] = mapped_column(String(40))  # key in data/referral_checklists.yaml
    from_city: Mapped[str] = mapped_column(String(40))
    to_city: Mapped[str] = mapped_column(String(40))
    to_organization_id: Mapped[int] = mapped_column(ForeignKey("booking_organizations.id"), index=True)
    department_id: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(EncryptedText("booking.referral.reason"), default="")
    status: Mapped[ReferralStatus] = mapped_column(_enum(ReferralStatus), default=ReferralStatus.DRAFT)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("booking_appointments.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    clinic_note: Mapped[str] = mapped_column(EncryptedText("booking.referral.clinic_note"), default="")

    documents: Mapped[list[ReferralDocument]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ReferralDocument.id"
    )
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ReferralEvent.id"
    )


class ReferralDocument(Base):
    """One item of a referral's document checklist."""

    __tablename__ = "booking_referral_documents"
    __table_args__ = (UniqueConstraint("referral_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("booking_referrals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    provided_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(EncryptedText("booking.referral_document.note"), default="")

    referral: Mapped[Referral] = relationship(back_populates="documents")


class ReferralEvent(Base):
    """A status change of a referral, for the history both sides see."""

    __tablename__ = "booking_referral_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("booking_referrals.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ReferralStatus] = mapped_column(_enum(ReferralStatus))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(EncryptedText("booking.referral_event.note"), default="")

    referral: Mapped[Referral] = relationship(back_populates="events")
