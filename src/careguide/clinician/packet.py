"""The portable pre-visit packet: the summary as FHIR R4, so any hospital can import it.

A document Bundle with a Composition per language (the doctor's and the patient's), the
interview as a QuestionnaireResponse, and the record entries the summary cites.
"""

from __future__ import annotations

import uuid
from typing import Any

from careguide import triage
from careguide.clinician.models import PreVisitSummary
from careguide.i18n import t

LOINC = "http://loinc.org"


def packet_bundle(summaries: list[PreVisitSummary], evidence: triage.Evidence | None,
                  record_documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``record_documents``: the cited record resources by reference (``Condition/abc``)."""
    first = summaries[0]
    patient_ref = f"Patient/{first.person_id}"
    entries: list[dict[str, Any]] = []
    questionnaire_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"careguide:qr:{first.person_id}:{first.triage_session_id}"))
    if evidence is not None:
        entries.append({"fullUrl": f"urn:uuid:{questionnaire_id}", "resource": questionnaire_response(
            questionnaire_id, patient_ref, evidence, first)})
    for summary in summaries:
        entries.insert(0, {"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": composition(
            summary, patient_ref, questionnaire_id if evidence is not None else None)})
    for ref, document in record_documents.items():
        entries.append({"fullUrl": ref, "resource": document})
    return {"resourceType": "Bundle", "type": "document", "timestamp": first.generated_at.isoformat(),
            "identifier": {"system": "urn:careguide:previsit", "value": str(uuid.uuid4())}, "entry": entries}


def composition(summary: PreVisitSummary, patient_ref: str, questionnaire_id: str | None) -> dict[str, Any]:
    lang = summary.language
    sections = []
    for key, facts in summary.sections():
        if not facts:
            continue
        items = "".join(f"<li>{_escape(f.text)}</li>" for f in facts)
        section: dict[str, Any] = {
            "title": t(key, lang),
            "text": {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><ul>{items}</ul></div>'},
        }
        refs = [f.ref for f in facts if f.source == "record"]
        if refs:
            section["entry"] = [{"reference": ref} for ref in refs]
        sections.append(section)
    words = _escape(summary.patient_words)
    sections.insert(0, {"title": t("clinician.patient_words", lang), "text": {
        "status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{words}</p></div>'}})
    if questionnaire_id:
        sections[0]["entry"] = [{"reference": f"urn:uuid:{questionnaire_id}"}]
    return {
        "resourceType": "Composition",
        "status": "preliminary",
        "language": "zh-CN" if lang == "zh" else "en",
        "type": {"coding": [{"system": LOINC, "code": "34133-9", "display": "Summary of episode note"}]},
        "subject": {"reference": patient_ref},
        "date": summary.generated_at.isoformat(),
        "author": [{"display": "careguide triage assistant"}],
        "title": t("clinician.summary_title", lang),
        "section": sections,
    }


def questionnaire_response(resource_id: str, patient_ref: str, evidence: triage.Evidence,
                           summary: PreVisitSummary) -> dict[str, Any]:
    items = [{"linkId": "complaint", "text": "complaint", "answer": [{"valueString": evidence.text}]}]
    for number, record in enumerate(evidence.answers, start=1):
        items.append({"linkId": f"{number}:{record.question_id}", "text": record.question,
                      "answer": [{"valueString": record.value}]})
    return {"resourceType": "QuestionnaireResponse", "id": resource_id, "status": "completed",
            "subject": {"reference": patient_ref}, "authored": summary.generated_at.isoformat(),
            "language": "zh-CN" if evidence.language == "zh" else "en", "item": items}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
