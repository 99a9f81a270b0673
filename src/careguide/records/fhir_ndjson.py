"""FHIR NDJSON, the Bulk Data export format: one resource per line, streamed line by line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from careguide.records.base import ImportIssue, ImportOptions, Incoming, RecordFileError


class FhirNdjsonImporter:
    name = "fhir_ndjson"

    def sniff(self, filename: str, head: bytes) -> bool:
        name = filename.lower()
        return name.endswith((".ndjson", ".jsonl", ".ndjson.txt")) and head.lstrip().startswith(b"{")

    def read(self, stream: IO[bytes], options: ImportOptions) -> Iterator[Incoming | ImportIssue]:
        line_no = 0
        for raw_line in stream:
            line_no += 1
            line = raw_line.strip()
            if not line:
                continue
            try:
                resource = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                if not raw_line.endswith(b"\n"):
                    raise RecordFileError("ndjson_truncated", line=line_no) from exc
                yield ImportIssue(where=f"line {line_no}", code="line_not_json", message=str(exc)[:120])
                continue
            if not isinstance(resource, dict):
                yield ImportIssue(where=f"line {line_no}", code="line_not_json", message="not an object")
                continue
            yield Incoming(resource=resource, where=f"line {line_no}", source="fhir")
