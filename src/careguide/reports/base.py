"""The extension point for report formats: one ``Extractor`` per format, each in its own module."""

from __future__ import annotations

from typing import Protocol

from careguide.reports.models import ExtractedDocument

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # a lab report PDF or phone photo is far below this


class Extractor(Protocol):
    """Reads one kind of file into printed lines (or structured results) without interpreting them."""

    format: str

    def accepts(self, data: bytes, filename: str | None = None) -> bool:
        """Whether these bytes look like this extractor's format (by signature, then by name)."""
        ...

    def extract(self, data: bytes) -> ExtractedDocument:
        """The document's lines; raises ``ReportError`` with a catalog key on unreadable input."""
        ...
