"""Demo data that ``make run`` seeds: a few accounts and consents to try every role.

Idempotent: seeding twice changes nothing. Each skill adds its own demo data through
``DEMO_SEEDERS`` (module paths of ``seed(session, today) -> dict[str, int]`` functions).
"""

from __future__ import annotations

import importlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide import accounts
from careguide.privacy import consent
from careguide.store.models import ConsentPurpose, ConsentScope, Role, User

DEMO_PASSWORD = "careguide-demo-1"

DEMO_USERS: list[accounts.NewUser] = [
    accounts.NewUser("demo", DEMO_PASSWORD, Role.PATIENT, "王秀英 Wang Xiuying", language="zh", sex="F",
                     birth_date=date(1952, 4, 18), city="北京"),
    accounts.NewUser("demo_en", DEMO_PASSWORD, Role.PATIENT, "Emily Chen", language="en", sex="F",
                     birth_date=date(1988, 9, 2), city="上海"),
    accounts.NewUser("caregiver", DEMO_PASSWORD, Role.CAREGIVER, "李明 Li Ming", language="zh", sex="M",
                     birth_date=date(1979, 1, 30), city="北京"),
    accounts.NewUser("doctor", DEMO_PASSWORD, Role.DOCTOR, "张华 Dr. Zhang Hua", language="zh", sex="M", city="北京",
                     department="general_practice"),
    accounts.NewUser("doctor_en", DEMO_PASSWORD, Role.DOCTOR, "Dr. Sarah Lin", language="en", sex="F", city="上海",
                     department="general_practice"),
    accounts.NewUser("admin", DEMO_PASSWORD, Role.ADMIN, "Administrator", language="en"),
]

# Skills append "module:function" entries for their demo data. The agents entry is a demo sign-off: the
# demo doctor signs the shipped agent packs so they answer in ``make run`` (see assistant/agent_demo.py).
DEMO_SEEDERS: list[str] = ["careguide.booking.demo:demo_seed", "careguide.assistant.agent_demo:demo_seed"]


def seed(session: Session, today: date | None = None) -> dict[str, int]:
    """Create the demo accounts (once) and the senior's consents to her son and her doctor."""
    today = today or date.today()
    created = 0
    users: dict[str, User] = {}
    for new in DEMO_USERS:
        existing = session.scalar(select(User).where(User.username == new.username))
        if existing is None:
            existing = accounts.create_user(session, new)
            created += 1
        elif new.department and not existing.department:
            existing.department = new.department
        users[new.username] = existing
    counts = {"users_created": created}
    senior = users["demo"]
    for grantee, purpose, scope in (
        (users["caregiver"], ConsentPurpose.CAREGIVING, ConsentScope.WRITE),
        (users["doctor"], ConsentPurpose.CARE, ConsentScope.READ),
    ):
        if consent.active_consent(session, senior.id, grantee.id, consent.Access.READ) is None:
            consent.grant(session, senior, grantee, purpose=purpose, scope=scope)
            counts["consents_created"] = counts.get("consents_created", 0) + 1
    for entry in DEMO_SEEDERS:
        module_name, _, function = entry.partition(":")
        counts.update(getattr(importlib.import_module(module_name), function)(session, today))
    return counts
