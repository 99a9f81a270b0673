"""The personal health record: FHIR R4 import/export, wearable and device data, timeline,
insights and reminders. A library: callers pass a session and the acting user; every
read and write of a person's record goes through ``privacy.consent.require_access``.

Map:
- ``models``: ``RecordResource`` (one FHIR resource, whole, with indexed columns) and ``Reminder``.
- ``base``: the ``Importer`` protocol and the result types; importers, one file each:
  ``fhir_bundle`` (transaction/batch/collection/searchset/document, streamed with ijson),
  ``fhir_ndjson`` (Bulk Data), ``apple_health`` (export.xml, iterparse), ``device_csv``
  (CSV/JSON through a device profile, ``profiles``; profiles are data in knowledge/data/devices).
- ``validate`` (fhir.resources R4B models + required codes + units), ``writer`` (batched,
  idempotent storage), ``service`` (``import_file``: one file = one savepoint, all or nothing).
- ``export`` (the whole record as one collection Bundle), ``timeline`` and ``summary``,
  ``insights`` (thresholds in knowledge/data/prevention/reading_rules.yaml), ``reminders``
  (schedule in knowledge/data/prevention/schedule.yaml) and ``scheduler``, ``charts`` (SVG).

Transactions: an import is one transaction per file (a savepoint inside the caller's
transaction). Rows are written in batches inside it, so memory stays bounded, and any error
in the file rolls the whole file back. There is no partial resume: re-importing the file is
safe and cheap because every resource has a stable identity and a content hash, so what
was stored before comes back as duplicates without being validated again.
"""
