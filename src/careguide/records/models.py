"""Tables of the personal health record: FHIR resources with indexed columns, and reminders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from careguide.privacy.crypto import EncryptedJSON, EncryptedText
from careguide.store.base import Base, utcnow


class RecordResource(Base):
    """One FHIR R4 resource of a person's record, kept whole as validated JSON.

    The columns beside the document are what timelines, series and searches filter on.
    ``(person_id, resource_type, resource_id)`` is the identity of a resource: importing it
    again with the same ``content_hash`` is a duplicate, with a different one an update.
    ``value``/``unit`` hold an Observation's quantity in the canonical UCUM unit of its
    measure (see ``records.measures``) so series of one measure are comparable.

    Encrypted at rest: ``document`` (the whole resource) and ``display`` (its name in words,
    such as a condition's). The other columns stay clear because queries filter or sort on
    them (type, code, category, status, time; ``value`` for readings); see docs/security.md.
    """

    __tablename__ = "record_resources"
    __table_args__ = (
        UniqueConstraint("person_id", "resource_type", "resource_id", name="uq_record_resources_identity"),
        Index("ix_record_resources_person_time", "person_id", "effective_at"),
        Index("ix_record_resources_person_type_time", "person_id", "resource_type", "effective_at"),
        Index("ix_record_resources_person_code_time", "person_id", "code", "effective_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    resource_type: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str] = mapped_column(String(64))
    code_system: Mapped[str | None] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(64))
    display: Mapped[str | None] = mapped_column(EncryptedText("records.resource.display"))
    category: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str | None] = mapped_column(String(40))
    effective_at: Mapped[datetime | None]
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(80), default="fhir")
    content_hash: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("records.resource.document"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reminder(Base):
    """A recurring or one-off reminder of a person: the plan that ``run_due`` delivers.

    ``key`` names what it is about (``screening:colorectal``, ``medication:<id>``,
    ``lab_followup:<id>``) so planning it again updates it instead of adding a twin.
    """

    __tablename__ = "record_reminders"
    __table_args__ = (
        UniqueConstraint("person_id", "key", name="uq_record_reminders_person_key"),
        Index("ix_record_reminders_due", "active", "next_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))  # screening, vaccination, medication, lab_followup
    title_key: Mapped[str] = mapped_column(String(120))
    params: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("records.reminder.params"), default=dict)  # names a medication or test
    source: Mapped[str] = mapped_column(Text, default="")
    interval_days: Mapped[float | None] = mapped_column(Float)
    next_due_at: Mapped[datetime]
    last_sent_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
