"""encrypt notification text

A notification's title and body can name a medication, a test result or a symptom.
Existing rows are sealed in place (``careguide.privacy.column_migration``), so the upgrade needs
the master key the application will use (the data directory's key files or CAREGUIDE_MASTER_KEY).

Revision ID: core_0003
Revises: core_0002
"""

from __future__ import annotations

import sqlalchemy as sa

from careguide.privacy.column_migration import Sealed, decrypt_columns, encrypt_columns

revision = "core_0003"
down_revision = "core_0002"
branch_labels = None
depends_on = None

NOTIFICATIONS = {
    "title": Sealed("core.notification.title", sa.String(length=200)),
    "body": Sealed("core.notification.body", sa.Text()),
}


def upgrade() -> None:
    encrypt_columns("notifications", NOTIFICATIONS)


def downgrade() -> None:
    decrypt_columns("notifications", NOTIFICATIONS)
