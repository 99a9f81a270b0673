"""FHIR R4 Bundles (transaction, batch, collection, searchset, document), streamed with ijson.

A transaction's entries refer to each other by ``fullUrl`` (often ``urn:uuid:...``); a
server resolves those to ``Type/id`` when it stores them, and so do we. That needs the
whole fullUrl map before the first entry is stored, so a seekable file is read twice:
a quick pass collects ``fullUrl -> Type/id`` (two short strings per entry), the second
pass builds and yields one entry at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import ijson

from careguide.records.base import ImportIssue, ImportOptions, Incoming, RecordFileError

BUNDLE_TYPES = {"transaction", "batch", "collection", "searchset", "document"}


class FhirBundleImporter:
    name = "fhir_bundle"

    def sniff(self, filename: str, head: bytes) -> bool:
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return filename.lower().endswith(".json") and text.startswith(b"{") and b'"resourceType"' in head

    def read(self, stream: IO[bytes], options: ImportOptions) -> Iterator[Incoming | ImportIssue]:
        header, references = _first_pass(stream)
        stream.seek(0)
        if header.get("resourceType") != "Bundle":
            yield from _single_resource(stream)
            return
        bundle_type = header.get("type")
        if bundle_type not in BUNDLE_TYPES:
            raise RecordFileError("bundle_type_not_supported", type=bundle_type or "-")
        yield from _entries(stream, references)


def _first_pass(stream: IO[bytes]) -> tuple[dict[str, Any], dict[str, str]]:
    header: dict[str, Any] = {}
    references: dict[str, str] = {}
    full_url = rtype = rid = None
    try:
        for prefix, event, value in ijson.parse(stream, use_float=True):
            if prefix in ("resourceType", "type") and event == "string":
                header[prefix] = value
            elif prefix == "entry.item" and event == "start_map":
                full_url = rtype = rid = None
            elif prefix == "entry.item.fullUrl":
                full_url = value
            elif prefix == "entry.item.resource.resourceType":
                rtype = value
            elif prefix == "entry.item.resource.id":
                rid = value
            elif prefix == "entry.item" and event == "end_map" and full_url and rtype:
                references[full_url] = f"{rtype}/{rid or _uuid_tail(full_url)}"
    except ijson.IncompleteJSONError as exc:
        raise RecordFileError("json_truncated", detail=str(exc)[:120]) from exc
    except ijson.JSONError as exc:
        raise RecordFileError("json_invalid", detail=str(exc)[:120]) from exc
    return header, references


def _entries(stream: IO[bytes], references: dict[str, str]) -> Iterator[Incoming | ImportIssue]:
    for index, entry in enumerate(ijson.items(stream, "entry.item", use_float=True), start=1):
        yield from _entry(entry, index, references)


def _entry(entry: dict[str, Any], index: int, references: dict[str, str]) -> Iterator[Incoming | ImportIssue]:
    where = f"entry {index}"
    if not isinstance(entry, dict):  # outside input: any JSON value can stand where an entry should
        yield ImportIssue(where=where, field="entry", code="entry_without_resource")
        return
    raw_request, raw_search = entry.get("request"), entry.get("search")
    request: dict[str, Any] = raw_request if isinstance(raw_request, dict) else {}
    search: dict[str, Any] = raw_search if isinstance(raw_search, dict) else {}
    if search.get("mode") == "outcome" or request.get("method") == "DELETE":
        return
    resource = entry.get("resource")
    if not isinstance(resource, dict):
        yield ImportIssue(where=where, field="entry.resource", code="entry_without_resource")
        return
    if not resource.get("id"):
        full_url = entry.get("fullUrl")
        target = (references.get(full_url) if isinstance(full_url, str) else None) or (
            request.get("url") if request.get("method") == "PUT" else None
        )
        if isinstance(target, str) and "/" in target:
            resource = dict(resource, id=target.rsplit("/", 1)[-1].split("?")[0])
    if references:
        resource = _resolve_references(resource, references)
    yield Incoming(resource=resource, where=where, source="fhir")


def _single_resource(stream: IO[bytes]) -> Iterator[Incoming]:
    resources = ijson.items(stream, "", use_float=True)
    for resource in resources:
        yield Incoming(resource=resource, where="resource", source="fhir")


def _resolve_references(node: Any, references: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "reference" and isinstance(value, str) and value in references:
                out[key] = references[value]
            else:
                out[key] = _resolve_references(value, references)
        return out
    if isinstance(node, list):
        return [_resolve_references(item, references) for item in node]
    return node


def _uuid_tail(full_url: str) -> str:
    return full_url.rsplit(":", 1)[-1].rsplit("/", 1)[-1]
