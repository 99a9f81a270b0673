"""careguide.triage"""
