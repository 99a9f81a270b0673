"""The personal health record: FHIR R4 import/export, wearable and device data, timeline,
insights and reminders. A library: callers pass a session and the acting user; every
read and write of a person's record goes through ``privacy.consent.require_access``.
"""
