"""encrypt record documents, names and reminder parameters

The whole FHIR resource and its name in words (a condition, a medication) are health data; the
columns queries filter on (type, code, category, status, time, value) stay clear.
Existing rows are sealed in place (``careguide.privacy.column_migration``), so the upgrade needs
the master key the application will use (the data directory's key files or CAREGUIDE_MASTER_KEY).

Revision ID: records_0002
Revises: records_0001
"""

from __future__ import annotations

import sqlalchemy as sa

from careguide.privacy.column_migration import Sealed, decrypt_columns, encrypt_columns

revision = "records_0002"
down_revision = "records_0001"
branch_labels = None
depends_on = None

RECORD_RESOURCES = {
    "document": Sealed("records.resource.document", sa.JSON()),
    "display": Sealed("records.resource.display", sa.String(length=300), nullable=True),
}

RECORD_REMINDERS = {
    "params": Sealed("records.reminder.params", sa.JSON()),
}


def upgrade() -> None:
    encrypt_columns("record_resources", RECORD_RESOURCES)
    encrypt_columns("record_reminders", RECORD_REMINDERS)


def downgrade() -> None:
    decrypt_columns("record_reminders", RECORD_REMINDERS)
    decrypt_columns("record_resources", RECORD_RESOURCES)
