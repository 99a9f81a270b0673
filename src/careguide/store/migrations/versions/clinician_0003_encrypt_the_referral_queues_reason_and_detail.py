"""encrypt the referral queue's reason and detail

A referral's reason is the person's complaint in their own words; the detail carries the interview.
Existing rows are sealed in place (``careguide.privacy.column_migration``), so the upgrade needs
the master key the application will use (the data directory's key files or CAREGUIDE_MASTER_KEY).

Revision ID: clinician_0003
Revises: clinician_0002
"""

from __future__ import annotations

import sqlalchemy as sa

from careguide.privacy.column_migration import Sealed, decrypt_columns, encrypt_columns

revision = "clinician_0003"
down_revision = "clinician_0002"
branch_labels = None
depends_on = None

CLINIC_REFERRALS = {
    "reason": Sealed("clinician.referral.reason", sa.Text()),
    "detail": Sealed("clinician.referral.detail", sa.JSON()),
}


def upgrade() -> None:
    encrypt_columns("clinic_referrals", CLINIC_REFERRALS)


def downgrade() -> None:
    decrypt_columns("clinic_referrals", CLINIC_REFERRALS)
