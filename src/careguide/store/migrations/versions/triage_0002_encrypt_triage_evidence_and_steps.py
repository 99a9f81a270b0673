"""encrypt triage evidence and steps

The evidence holds the person's own words and answers; the step repeats them.
Existing rows are sealed in place (``careguide.privacy.column_migration``), so the upgrade needs
the master key the application will use (the data directory's key files or CAREGUIDE_MASTER_KEY).

Revision ID: triage_0002
Revises: triage_0001
"""

from __future__ import annotations

import sqlalchemy as sa

from careguide.privacy.column_migration import Sealed, decrypt_columns, encrypt_columns

revision = "triage_0002"
down_revision = "triage_0001"
branch_labels = None
depends_on = None

TRIAGE_SESSIONS = {
    "evidence": Sealed("triage.session.evidence", sa.JSON()),
    "step": Sealed("triage.session.step", sa.JSON()),
}


def upgrade() -> None:
    encrypt_columns("triage_sessions", TRIAGE_SESSIONS)


def downgrade() -> None:
    decrypt_columns("triage_sessions", TRIAGE_SESSIONS)
