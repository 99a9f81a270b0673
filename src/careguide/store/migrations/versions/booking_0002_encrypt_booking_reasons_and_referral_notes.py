"""encrypt booking reasons and referral notes

A visit's reason and the notes of an out-of-area referral are written by the person or the clinic.
Existing rows are sealed in place (``careguide.privacy.column_migration``), so the upgrade needs
the master key the application will use (the data directory's key files or CAREGUIDE_MASTER_KEY).

Revision ID: booking_0002
Revises: booking_0001
"""

from __future__ import annotations

import sqlalchemy as sa

from careguide.privacy.column_migration import Sealed, decrypt_columns, encrypt_columns

revision = "booking_0002"
down_revision = "booking_0001"
branch_labels = None
depends_on = None

BOOKING_APPOINTMENTS = {
    "reason": Sealed("booking.appointment.reason", sa.String(length=300)),
}

BOOKING_REFERRALS = {
    "reason": Sealed("booking.referral.reason", sa.Text()),
    "clinic_note": Sealed("booking.referral.clinic_note", sa.Text()),
}

BOOKING_REFERRAL_DOCUMENTS = {
    "note": Sealed("booking.referral_document.note", sa.String(length=300)),
}

BOOKING_REFERRAL_EVENTS = {
    "note": Sealed("booking.referral_event.note", sa.String(length=300)),
}


def upgrade() -> None:
    encrypt_columns("booking_appointments", BOOKING_APPOINTMENTS)
    encrypt_columns("booking_referrals", BOOKING_REFERRALS)
    encrypt_columns("booking_referral_documents", BOOKING_REFERRAL_DOCUMENTS)
    encrypt_columns("booking_referral_events", BOOKING_REFERRAL_EVENTS)


def downgrade() -> None:
    decrypt_columns("booking_referral_events", BOOKING_REFERRAL_EVENTS)
    decrypt_columns("booking_referral_documents", BOOKING_REFERRAL_DOCUMENTS)
    decrypt_columns("booking_referrals", BOOKING_REFERRALS)
    decrypt_columns("booking_appointments", BOOKING_APPOINTMENTS)
