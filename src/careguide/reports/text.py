"""Pasted or plain-text reports: one printed line per line, cells split on tabs, bars or wide gaps."""

from __future__ import annotations

import re

from careguide.reports.errors import ReportError
from careguide.reports.models import ExtractedDocument, RawLine


class TextExtractor:
    format = "text"

    def accepts(self, data: bytes, filename: str | None = None) -> bool:
        if filename and filename.lower().endswith((".txt", ".text", ".csv", ".tsv")):
            return True
        head = data[:4096]
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # a multi-byte character cut at the 4096th byte is still text
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                return False
        return True

    def extract(self, data: bytes) -> ExtractedDocument:
        text = decode_text(data)
        return extract_text(text)


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportError("unreadable_text", "neither UTF-8 nor GB18030")


def extract_text(text: str) -> ExtractedDocument:
    if not text.strip():
        raise ReportError("empty", "no text")
    lines: list[RawLine] = []
    for raw in text.splitlines():
        cells = [cell.strip() for cell in re.split(r"\t|\s*\|\s*|\s{2,}", raw) if cell.strip()]
        if cells:
            lines.append(RawLine(cells=cells))
    return ExtractedDocument(source_format="text", lines=lines)
