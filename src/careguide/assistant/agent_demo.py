"""Demo only: the demo doctor account signs the shipped agent packs, so ``make run`` shows agents answering.

This is a demonstration sign-off by a fictional account ("doctor", 张华 Dr. Zhang Hua), not a clinical
endorsement: the pack files stay ``awaiting_signoff`` with no physician, and a real deployment has its
own physicians sign each version on the clinic's agents page (``/clinic/agents``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide.assistant.agent_governance import agent_statuses, sign
from careguide.store.models import User

DEMO_SIGNER = "doctor"


def demo_seed(session: Session, today: date) -> dict[str, int]:
    doctor = session.scalar(select(User).where(User.username == DEMO_SIGNER))
    if doctor is None:
        return {}
    signed = 0
    for agent in agent_statuses(session):
        if agent.status in ("draft", "awaiting_signoff"):
            sign(session, doctor, agent.id, agent.version, agent.digest)
            signed += 1
    return {"agents_signed_for_the_demo": signed}
