"""Import files into a person's record: pick the importer, check, de-duplicate, store.

One file is one unit of work: it is read inside a savepoint, and if any part of it is
wrong (a truncated file, an invalid resource, a wrong unit) the savepoint is rolled
back and nothing of that file is kept, while the other files of the same call are
unaffected. Writes are batched inside the savepoint, so a large file streams through
bounded memory and still commits all at once. Re-importing a file is safe: every
resource has a stable identity and a content hash, so it comes back as duplicates.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from careguide.i18n import t
from careguide.privacy import audit
from careguide.privacy.consent import Access, require_access
from careguide.records.apple_health import AppleHealthImporter
from careguide.records.base import (
    CountingReader,
    FileImportResult,
    Importer,
    ImportIssue,
    ImportOptions,
    ImportSummary,
    Incoming,
    ProgressCallback,
    RecordFileError,
    Skipped,
)
from careguide.records.device_csv import DeviceFileImporter
from careguide.records.fhir_bundle import FhirBundleImporter
from careguide.records.fhir_ndjson import FhirNdjsonImporter
from careguide.records.validate import check_resource, identify
from careguide.records.writer import BATCH_SIZE, ResourceWriter
from careguide.store.models import User

IMPORTERS: tuple[Importer, ...] = (
    FhirNdjsonImporter(),
    FhirBundleImporter(),
    AppleHealthImporter(),
    DeviceFileImporter(),
)
MAX_ERRORS = 50  # per file; after that the rest of the file is not examined
_SNIFF_BYTES = 8192


def import_files(
    session: Session,
    actor: User,
    person_id: int,
    paths: Sequence[Path],
    *,
    lang: str | None = None,
    options: ImportOptions | None = None,
) -> ImportSummary:
    """Import several files into one person's record (each file all or nothing)."""
    summary = ImportSummary()
    for path in paths:
        summary.add(import_file(session, actor, person_id, path, lang=lang, options=options))
    return summary


def import_file(
    session: Session,
    actor: User,
    person_id: int,
    path: Path,
    *,
    lang: str | None = None,
    options: ImportOptions | None = None,
    progress: ProgressCallback | None = None,
) -> FileImportResult:
    """Import one file; the caller's transaction keeps it unless ``committed`` is False."""
    return import_stream(session, actor, person_id, path.name, lambda: path.open("rb"), lang=lang, options=options,
                         progress=progress, label=str(path))


def import_stream(
    session: Session,
    actor: User,
    person_id: int,
    name: str,
    opener: Callable[[], IO[bytes]],
    *,
    lang: str | None = None,
    options: ImportOptions | None = None,
    progress: ProgressCallback | None = None,
    label: str | None = None,
    reference: str | None = None,
) -> FileImportResult:
    """Import one file given by its name (which picks the importer with its first bytes) and a
    function that opens it, e.g. an upload decrypted into memory; ``label`` names it in issues.

    The audit trail never names the file (a file's name can be a diagnosis: "hiv-test.pdf"),
    only ``reference`` when the caller has a meaningless one, such as a staged upload's id."""
    label = label or name
    resource = f"records/import/{reference}" if reference else "records/import"
    require_access(session, actor, person_id, Access.WRITE, resource=resource)
    options = options or ImportOptions()
    result = FileImportResult(file=label)
    try:
        options.zone  # noqa: B018 - an unknown time zone is the person's error, reported before reading
    except (ZoneInfoNotFoundError, ValueError):
        result.errors.append(ImportIssue(file=label, code="timezone_unknown",
                                         message=t("records.timezone_unknown", lang, zone=options.timezone)))
        return result
    try:
        with opener() as raw:
            importer = choose_importer(name, raw.read(_SNIFF_BYTES))
            raw.seek(0)
            result.format = importer.name
            stream: IO[bytes] = io.BufferedReader(CountingReader(raw, progress), buffer_size=1 << 16)  # type: ignore[type-var]
            _run(session, person_id, importer, stream, options, result)
    except RecordFileError as exc:
        result.errors.append(ImportIssue(code=exc.code, message=exc.message(lang)))
    except ValueError as exc:  # anything a parser rejects that no importer named more precisely
        result.errors.append(ImportIssue(code="content_unreadable",
                                         message=t("records.content_unreadable", lang, detail=str(exc)[:120])))
    except OSError as exc:
        result.errors.append(ImportIssue(code="file_unreadable",
                                         message=t("records.file_unreadable", lang, detail=exc.strerror or "")))
    for issue in result.errors:
        issue.file = label
        if not issue.message or issue.code in _DETAILED_CODES:
            issue.message = _issue_message(issue, lang)
    if result.errors:
        result.imported, result.updated, result.duplicates, result.committed = {}, {}, 0, False
    audit.record(
        session,
        action="records.import",
        outcome=audit.Outcome.ALLOWED if result.committed else audit.Outcome.ERROR,
        actor_id=actor.id,
        subject_id=person_id,
        resource=resource,
        detail={"format": result.format, "imported": sum(result.imported.values()),
                "updated": sum(result.updated.values()), "duplicates": result.duplicates,
                "errors": len(result.errors)},
    )
    return result


def already_open(stream: IO[bytes]) -> Callable[[], IO[bytes]]:
    """An opener for ``import_stream`` of a stream the caller holds (an upload the server spooled)."""
    return lambda: stream


def choose_importer(filename: str, head: bytes) -> Importer:
    for importer in IMPORTERS:
        if importer.sniff(filename, head):
            return importer
    raise RecordFileError("format_unknown", name=filename)


def _run(session: Session, person_id: int, importer: Importer, stream: IO[bytes],
         options: ImportOptions, result: FileImportResult) -> None:
    skipped: Counter[str] = Counter()
    savepoint = session.begin_nested()
    writer = ResourceWriter(session, person_id)
    batch: list[Incoming] = []
    try:
        for item in importer.read(stream, options):
            if isinstance(item, Skipped):
                skipped[item.kind] += 1
            elif isinstance(item, ImportIssue):
                result.errors.append(item)
            else:
                batch.append(item)
                if len(batch) >= BATCH_SIZE:
                    _check_and_store(batch, writer, result)
                    batch = []
            if len(result.errors) >= MAX_ERRORS:
                break
        _check_and_store(batch, writer, result)
        if not result.errors:
            writer.flush()
    except BaseException:
        savepoint.rollback()
        raise
    if result.errors:
        savepoint.rollback()
        return
    savepoint.commit()
    result.imported = dict(writer.imported)
    result.updated = dict(writer.updated)
    result.duplicates = writer.duplicates
    result.skipped = dict(skipped)
    result.committed = True


def _check_and_store(batch: list[Incoming], writer: ResourceWriter, result: FileImportResult) -> None:
    """Validate and store one batch; a resource already stored unchanged is counted as a
    duplicate without validating it again (it was valid when it was stored)."""
    identified = []
    for item in batch:
        resource, digest = identify(item.resource)
        identified.append((Incoming(resource, item.where, item.source), digest))
    keys = [(str(i.resource.get("resourceType")), str(i.resource.get("id"))) for i, _ in identified]
    stored = writer.stored_hashes(keys) if not result.errors else {}
    for (item, digest), key in zip(identified, keys, strict=True):
        if stored.get(key) == digest:
            writer.count_duplicate()
            continue
        checked = check_resource(item, digest)
        if isinstance(checked, list):
            result.errors.extend(checked)
        elif not result.errors:
            writer.add(checked)
            stored[key] = digest


_DETAILED_CODES = {"invalid_field", "code_not_allowed", "unit_not_accepted", "value_not_plausible",
                   "value_not_number", "time_unreadable", "line_not_json", "no_resource_type",
                   "unknown_resource_type", "entry_without_resource", "bp_half_missing"}


def _issue_message(issue: ImportIssue, lang: str | None) -> str:
    return t(f"records.{issue.code}", lang, where=issue.where or "-", resource=issue.resource or "-",
             field=issue.field or "-", detail=issue.message or "")
