"""Open referrals by department: the doctor queue's index on PostgreSQL

Revision ID: scale_0001
Revises:
Create Date: 2026-11-23 03:36:12.806969

The doctor queue asks for the open cases of one department, most urgent then longest
waiting. ``ix_clinic_referrals_status_urgency_created`` walks every department's open cases
and filters; with 50,000 referrals (2,500 open in 12 departments) that took 6.2 ms per queue
read (bench/explain_hot.py). A partial index on the open cases, department first, reads just
the page it returns. PostgreSQL only: it is a scale index, and keeping it out of SQLite keeps
it out of autogenerate's scratch database (which would otherwise propose dropping it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'scale_0001'
down_revision = None
branch_labels = ('scale',)
depends_on = ('clinician_0001',)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index("ix_clinic_referrals_open_department", "clinic_referrals",
                    ["department", "urgency_rank", "created_at"], postgresql_where=sa.text("status = 'open'"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_clinic_referrals_open_department", table_name="clinic_referrals")
