"""The importer extension point and the types every importer speaks.

An importer turns one file (a byte stream) into FHIR resource dicts, one at a time,
so a file of any size streams through bounded memory. It yields ``Incoming``
resources and, for a row it cannot read, an ``ImportIssue``; a file it cannot read
at all (truncated, not its format) raises ``RecordFileError``. Checking, de-duplication
and storage are the same for every importer (``records.service``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from careguide.i18n import t


@dataclass(frozen=True)
class Incoming:
    """One resource read from a file; ``where`` locates it for error messages."""

    resource: dict[str, Any]
    where: str
    source: str


@dataclass(frozen=True)
class Skipped:
    """Something in the file the record does not keep (an unmapped wearable type), counted by kind."""

    kind: str


class ImportIssue(BaseModel):
    """A problem with one part of a file, named precisely enough to fix it."""

    file: str = ""
    where: str = ""  # "entry 12", "line 5", "row 7"
    resource: str = ""  # "Observation/abc" or "Observation"
    field: str = ""  # dotted FHIR path, e.g. "valueQuantity.unit"
    code: str  # message key under records.*
    message: str = ""


class RecordFileError(Exception):
    """The file as a whole cannot be read; ``code`` is a records.* message key."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params

    def message(self, lang: str | None) -> str:
        return t(f"records.{self.code}", lang, **self.params)


@dataclass
class ImportOptions:
    """What the person told us about the file beyond its bytes."""

    timezone: str = "UTC"  # for device files whose times carry no offset
    profile: str | None = None  # device profile id; detected from the header when None
    device_subject: str | None = None  # which device user's rows, for multi-user device exports
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Importer(Protocol):
    """One file format. ``sniff`` looks at the name and first bytes; ``read`` streams resources."""

    name: str

    def sniff(self, filename: str, head: bytes) -> bool:
        """True when this importer reads files that start like ``head``."""
        ...

    def read(self, stream: IO[bytes], options: ImportOptions) -> Iterator[Incoming | ImportIssue | Skipped]:
        """Yield the file's resources (and per-row issues, skipped parts) in file order."""
        ...


class FileImportResult(BaseModel):
    """What one file did to the record. ``committed`` is False when nothing of it was kept."""

    file: str
    format: str = ""
    imported: dict[str, int] = Field(default_factory=dict)
    updated: dict[str, int] = Field(default_factory=dict)
    duplicates: int = 0
    skipped: dict[str, int] = Field(default_factory=dict)
    errors: list[ImportIssue] = Field(default_factory=list)
    committed: bool = False


class ImportSummary(BaseModel):
    """Several files together: the shape ``careguide records import --json`` prints."""

    imported: dict[str, int] = Field(default_factory=dict)
    updated: dict[str, int] = Field(default_factory=dict)
    duplicates: int = 0
    skipped: dict[str, int] = Field(default_factory=dict)
    errors: list[ImportIssue] = Field(default_factory=list)
    files: list[FileImportResult] = Field(default_factory=list)

    def add(self, result: FileImportResult) -> None:
        self.files.append(result)
        for target, counts in ((self.imported, result.imported), (self.updated, result.updated),
                               (self.skipped, result.skipped)):
            for key, n in counts.items():
                target[key] = target.get(key, 0) + n
        self.duplicates += result.duplicates
        self.errors.extend(result.errors)


ProgressCallback = Callable[[int], None]  # called with the byte position reached


class CountingReader(io.RawIOBase):
    """A raw binary stream that reports its position as it is read, for progress bars.
    Wrap it in ``io.BufferedReader`` for the full file API."""

    def __init__(self, raw: IO[bytes], progress: ProgressCallback | None = None) -> None:
        super().__init__()
        self._raw = raw
        self._progress = progress
        self.position = 0

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.position += size
        if self._progress is not None and size:
            self._progress(self.position)
        return size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._raw.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = self._raw.seek(offset, whence)
        return self.position

    def tell(self) -> int:
        return self.position
