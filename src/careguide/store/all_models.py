"""Imports every module that defines tables, so Alembic and tests see the whole schema.

A domain that adds tables adds its models module here (one line).
"""

from careguide.booking import models as booking_models  # noqa: F401
from careguide.clinician import queue_models as clinician_models  # noqa: F401
from careguide.jobs import models as jobs_models  # noqa: F401
from careguide.records import models as records_models  # noqa: F401
from careguide.store import agents as agent_models  # noqa: F401
from careguide.store import conversations as conversation_models  # noqa: F401
from careguide.store import models  # noqa: F401
from careguide.store import triage as triage_models  # noqa: F401
from careguide.store.base import Base

__all__ = ["Base"]
