"""What the doctor's pages and API call: a referral's summary and packet, under consent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide import triage
from careguide.clinician.models import PreVisitSummary
from careguide.clinician.packet import packet_bundle
from careguide.clinician.queue import QueueError
from careguide.clinician.queue_models import ClinicReferral
from careguide.clinician.record_view import record_view
from careguide.clinician.summary import RecordView, build_summary
from careguide.privacy.consent import Access, require_access
from careguide.records.models import RecordResource
from careguide.store.models import User
from careguide.store.triage import TriageSession


def referral_summary(session: Session, doctor: User, referral_id: int, lang: str
                     ) -> tuple[ClinicReferral, PreVisitSummary, triage.Evidence | None, RecordView]:
    referral = session.get(ClinicReferral, referral_id)
    if referral is None:
        raise QueueError("referral_not_found")
    require_access(session, doctor, referral.person_id, Access.READ, resource=f"referral/{referral_id}/summary")
    view = record_view(session, doctor, referral.person_id, lang)
    evidence: triage.Evidence | None = None
    outcome: triage.Outcome | None = None
    if referral.triage_session_id is not None:
        row = session.get(TriageSession, referral.triage_session_id)
        if row is not None:
            evidence = triage.Evidence.model_validate(row.evidence)
            step = triage.Step.model_validate(row.step)
            outcome = step.outcome
    if evidence is None:
        evidence = triage.Evidence(profile=triage.Profile(), language="zh" if lang == "zh" else "en",
                                   text=referral.reason)
    summary = build_summary(referral.person_id, evidence, outcome, view, lang,
                            triage_session_id=referral.triage_session_id)
    return referral, summary, evidence if referral.triage_session_id else None, view


def referral_packet(session: Session, doctor: User, referral_id: int, doctor_lang: str) -> dict[str, Any]:
    """The packet in the doctor's language and, when it differs, the patient's."""
    referral, summary, evidence, view = referral_summary(session, doctor, referral_id, doctor_lang)
    summaries = [summary]
    patient_lang = summary.patient_language
    if patient_lang in ("en", "zh") and patient_lang != doctor_lang:
        summaries.append(referral_summary(session, doctor, referral_id, patient_lang)[1])
    refs = [ref for ref in view.refs() if "/" in ref]
    documents: dict[str, dict[str, Any]] = {}
    for ref in refs:
        rtype, _, rid = ref.partition("/")
        document = session.scalar(select(RecordResource.document).where(
            RecordResource.person_id == referral.person_id, RecordResource.resource_type == rtype,
            RecordResource.resource_id == rid))
        if document is not None:
            documents[ref] = document
    return packet_bundle(summaries, evidence, documents)
