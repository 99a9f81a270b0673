"""Record imports as background jobs: the upload is staged on disk, a job imports it later.

The API stages the uploaded bytes under ``<data_dir>/uploads/`` (a volume every API and
worker host shares) and enqueues ``records.import_file`` in the request's transaction, so
the job row and the request's other writes commit together. The job runs the same
``careguide.records.service.import_file`` as the synchronous route, inside the job's
transaction: the imported rows and the job's "done" mark commit at once, so a worker killed
mid-import leaves nothing behind and the retry imports the file once. The staged file is
removed only after that commit.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from careguide.jobs.models import JobRecord
from careguide.jobs.queue import Backend, enqueue
from careguide.jobs.registry import task
from careguide.records.base import ImportOptions
from careguide.store.models import User

UPLOAD_DIR = "uploads"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def stage_upload(data_dir: Path, filename: str, content: bytes) -> str:
    """Write ``content`` under ``data_dir/uploads`` and return its name relative to that folder."""
    folder = data_dir / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    safe = _SAFE_NAME.sub("_", Path(filename or "upload").name)[-80:] or "upload"
    name = f"{uuid.uuid4().hex}-{safe}"
    (folder / name).write_bytes(content)
    return name


def enqueue_import(session: Session, actor: User, person_id: int, staged: str, *, lang: str | None = None,
                   options: ImportOptions | None = None, key: str | None = None,
                   backend: Backend | None = None) -> JobRecord:
    """A ``records.import_file`` job for a staged upload, delivered when ``session`` commits."""
    options = options or ImportOptions()
    args: dict[str, Any] = {
        "actor_id": actor.id, "person_id": person_id, "staged": staged, "lang": lang,
        "timezone": options.timezone, "profile": options.profile, "device_subject": options.device_subject,
    }
    return enqueue(session, "records.import_file", args, key=key, backend=backend)


# The lease bounds how long a job waits after its worker dies (lease, then the next sweep). An
# upload is at most CAREGUIDE_MAX_UPLOAD_BYTES (20 MB: some 50,000 readings), which imports in
# seconds; a run past the lease is rolled back and retried, so keep the two in step.
@task("records.import_file", max_attempts=3, lease_seconds=30, retry_base_seconds=2.0)
def import_file(session: Session, *, actor_id: int, person_id: int, staged: str, lang: str | None = None,
                timezone: str = "UTC", profile: str | None = None,
                device_subject: str | None = None) -> dict[str, Any]:
    """Import one staged upload into ``person_id``'s record on behalf of ``actor_id``."""
    from careguide.config import get_settings
    from careguide.records.service import import_file as import_one

    path = _staged_path(get_settings().data_dir, staged)
    actor = session.get(User, actor_id)
    if actor is None:
        raise LookupError(f"records.import_file: user {actor_id} does not exist")
    if not path.is_file():
        raise FileNotFoundError(f"records.import_file: staged upload {staged!r} is missing")
    options = ImportOptions(timezone=timezone, profile=profile, device_subject=device_subject)
    result = import_one(session, actor, person_id, path, lang=lang, options=options)
    result.file = staged.split("-", 1)[-1]

    @event.listens_for(session, "after_commit", once=True)
    def _remove_staged(_session: Session) -> None:
        path.unlink(missing_ok=True)

    return result.model_dump(mode="json")


def _staged_path(data_dir: Path, staged: str) -> Path:
    """The staged file, refusing any name that would leave the uploads folder."""
    folder = (data_dir / UPLOAD_DIR).resolve()
    path = (folder / staged).resolve()
    if path.parent != folder:
        raise ValueError(f"records.import_file: {staged!r} is not a staged upload name")
    return path
