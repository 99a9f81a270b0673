"""Record imports as background jobs: the upload is staged on disk, a job imports it later.

The API stages the uploaded bytes under ``<data_dir>/uploads/`` (a volume every API and
worker host shares), sealed like every stored health value (``privacy.crypto``, bound to the
staged name, which is a random id and the file's extension), and enqueues
``records.import_file`` in the request's transaction, so the job row and the request's other
writes commit together. The job runs the same import as the synchronous route
(``careguide.records.service.import_stream``, on the bytes opened in memory), inside the job's
transaction: the imported rows and the job's "done" mark commit at once, so a worker killed
mid-import leaves nothing behind and the retry imports the file once. The staged file is
removed only after that commit.
"""

from __future__ import annotations

import io
import os
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
_EXTENSION = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


def stage_upload(data_dir: Path, filename: str, content: bytes) -> str:
    """Write ``content`` sealed under ``data_dir/uploads`` and return its name in that folder:
    a random id plus the file's extension (which helps pick the importer); the rest of the
    original name, which can say what the file is about, is not kept."""
    from careguide.privacy.crypto import seal

    folder = data_dir / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    suffix = Path(filename or "").suffix
    name = uuid.uuid4().hex + (suffix.lower() if _EXTENSION.match(suffix) else "")
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(seal(content, _purpose(name)))
    return name


def read_staged(data_dir: Path, staged: str) -> bytes:
    """The clear bytes of a staged upload."""
    from careguide.privacy.crypto import open_sealed

    return open_sealed(_staged_path(data_dir, staged).read_bytes(), _purpose(staged))


def _purpose(staged: str) -> str:
    return f"records.upload:{staged}"  # a sealed file renamed to another upload's name does not open


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
    from careguide.records.service import import_stream

    data_dir = get_settings().data_dir
    path = _staged_path(data_dir, staged)
    actor = session.get(User, actor_id)
    if actor is None:
        raise LookupError(f"records.import_file: user {actor_id} does not exist")
    if not path.is_file():
        raise FileNotFoundError(f"records.import_file: staged upload {staged!r} is missing")
    options = ImportOptions(timezone=timezone, profile=profile, device_subject=device_subject)
    clear = read_staged(data_dir, staged)
    result = import_stream(session, actor, person_id, staged, lambda: io.BytesIO(clear), lang=lang, options=options,
                           reference=staged)

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
