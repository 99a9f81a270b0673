"""Triage interviews a person ran: the engine's evidence after each step, and the outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from careguide.privacy.crypto import EncryptedJSON
from careguide.store.base import Base, utcnow


class TriageSession(Base):
    """The evidence (the person's own words, answers) and the engine's step are encrypted at rest;
    ``disposition`` and the check-back columns stay clear: booking and the scheduler select on them."""

    __tablename__ = "triage_sessions"
    __table_args__ = (Index("ix_triage_sessions_person_created", "person_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | done
    language: Mapped[str] = mapped_column(String(8))
    evidence: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("triage.session.evidence"))
    step: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("triage.session.step"))
    disposition: Mapped[str | None] = mapped_column(String(20))
    check_back_due: Mapped[datetime | None]
    check_back_status: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
