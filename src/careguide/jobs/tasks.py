"""The built-in background tasks. Each runs inside its job's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from careguide.jobs.registry import task


@task("records.plan_reminders", max_attempts=3, lease_seconds=900)
def plan_reminders(session: Session) -> dict[str, Any]:
    """Re-plan everyone's preventive, medication and lab follow-up reminders."""
    from careguide.records.reminders import plan_all

    return {"planned": plan_all(session)}


@task("records.deliver_reminders", max_attempts=3, lease_seconds=300)
def deliver_reminders(session: Session) -> dict[str, Any]:
    """Turn reminders that are due into in-app notifications."""
    from careguide.records.reminders import run_due

    return {"delivered": run_due(session)}


@task("assistant.purge_conversations", max_attempts=3, lease_seconds=600)
def purge_conversations(session: Session) -> dict[str, Any]:
    """Delete conversations older than the retention setting."""
    from careguide.assistant.conversations import purge_expired
    from careguide.config import get_settings

    return {"deleted": purge_expired(session, get_settings().conversation_retention_days)}


from careguide.jobs import tasks_records  # noqa: E402,F401  (registers records.import_file)
