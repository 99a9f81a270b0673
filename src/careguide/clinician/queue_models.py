"""The clinic's referral queue: cases that doctor agents and triage send to a department."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from careguide.privacy.crypto import EncryptedJSON, EncryptedText
from careguide.store.base import Base, utcnow


class ClinicReferral(Base):
    __tablename__ = "clinic_referrals"
    __table_args__ = (Index("ix_clinic_referrals_status_urgency_created", "status", "urgency_rank", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))  # agent | triage
    department: Mapped[str] = mapped_column(String(40))
    urgency: Mapped[str] = mapped_column(String(20))  # ambulance | emergency | urgent | routine | self_care
    urgency_rank: Mapped[int] = mapped_column(Integer)  # 0 = most urgent, for sorting in the database
    reason: Mapped[str] = mapped_column(EncryptedText("clinician.referral.reason"))
    detail: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("clinician.referral.detail"), default=dict)
    triage_session_id: Mapped[int | None] = mapped_column(ForeignKey("triage_sessions.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | claimed | closed
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class ClinicNote(Base):
    """A consultation note: drafted from the transcript, edited and signed by the doctor.

    Transcript and text are encrypted at rest; ``seconds_to_sign`` measures how much of the
    doctor's time the draft saved (draft to signature)."""

    __tablename__ = "clinic_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("clinic_referrals.id", ondelete="SET NULL"))
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(8))
    method: Mapped[str] = mapped_column(String(20))
    transcript: Mapped[str] = mapped_column(EncryptedText("clinician.note.transcript"))
    text: Mapped[str] = mapped_column(EncryptedText("clinician.note.text"))
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft | signed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_at: Mapped[datetime | None]
    seconds_to_sign: Mapped[int | None] = mapped_column(Integer)
    record_resource_id: Mapped[str | None] = mapped_column(String(64))
