"""Consent, the audit chain, and (later) encryption, export, erasure and de-identification."""
