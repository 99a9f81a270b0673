"""Drafting, editing and signing notes; sending handouts - for a case the doctor holds."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session

from careguide.clinician.handout import Handout, build_handout
from careguide.clinician.notes import SECTIONS, NoteInputError, draft_note
from careguide.clinician.queue import QueueError
from careguide.clinician.queue_models import ClinicNote, ClinicReferral
from careguide.i18n import t
from careguide.llm import LLM
from careguide.privacy import audit
from careguide.privacy.consent import Access, require_access
from careguide.store.base import utcnow
from careguide.store.models import Notification, User


def start_note(session: Session, doctor: User, referral_id: int, transcript: str, lang: str,
               llm: LLM | None = None) -> ClinicNote:
    referral = _held_case(session, doctor, referral_id)
    draft = draft_note(transcript, llm)
    headings: dict[str, str] = {name: t(f"clinician.note_{name}", lang) for name in SECTIONS}
    note = ClinicNote(referral_id=referral.id, person_id=referral.person_id, doctor_id=doctor.id,
                      language=draft.language, method=draft.method, transcript=transcript, text=draft.text(headings))
    session.add(note)
    session.flush()
    audit.record(session, action="note.draft", outcome=audit.Outcome.ALLOWED, actor_id=doctor.id,
                 subject_id=referral.person_id, resource=f"note/{note.id}", purpose="care",
                 detail={"method": draft.method, "fell_back": draft.fell_back})
    return note


def edit_note(session: Session, doctor: User, note_id: int, text: str) -> ClinicNote:
    note = _own_note(session, doctor, note_id)
    if note.status == "signed":
        raise QueueError("note_signed")
    if not text.strip():
        raise NoteInputError("note_empty")
    note.text = text[:50_000]
    return note


def sign_note(session: Session, doctor: User, note_id: int) -> ClinicNote:
    """Sign and file the note in the person's record as a FHIR Composition (a document)."""
    from careguide.records.lab_history import save_resources

    note = _own_note(session, doctor, note_id)
    if note.status == "signed":
        raise QueueError("note_signed")
    now = utcnow()
    note.status = "signed"
    note.signed_at = now
    note.seconds_to_sign = int((now - note.created_at).total_seconds())
    resource_id = hashlib.sha256(f"careguide-note:{note.id}".encode()).hexdigest()[:40]
    composition = _composition(note, doctor, resource_id)
    result = save_resources(session, doctor, note.person_id,
                            {"resourceType": "Bundle", "type": "collection",
                             "entry": [{"fullUrl": f"Composition/{resource_id}", "resource": composition}]},
                            name="clinic-note.json", lang=note.language)
    if not result.committed:
        raise QueueError("note_not_filed")
    note.record_resource_id = resource_id
    audit.record(session, action="note.sign", outcome=audit.Outcome.ALLOWED, actor_id=doctor.id,
                 subject_id=note.person_id, resource=f"note/{note.id}", purpose="care",
                 detail={"seconds_to_sign": note.seconds_to_sign})
    return note


def send_handout(session: Session, doctor: User, referral_id: int, article_id: str, additions: str,
                 patient_lang: str) -> Handout:
    referral = _held_case(session, doctor, referral_id)
    handout = build_handout(article_id, patient_lang, additions)
    if handout is None:
        raise QueueError("topic_not_found")
    lang = handout.language
    session.add(Notification(user_id=referral.person_id, kind="handout", title=handout.title,
                             body=handout.as_text(t("clinician.doctor_adds", lang), t("clinician.sources", lang)),
                             link="/notifications"))
    audit.record(session, action="handout.send", outcome=audit.Outcome.ALLOWED, actor_id=doctor.id,
                 subject_id=referral.person_id, resource=f"referral/{referral_id}", purpose="care",
                 detail={"article": article_id})
    return handout


def _held_case(session: Session, doctor: User, referral_id: int) -> ClinicReferral:
    referral = session.get(ClinicReferral, referral_id)
    if referral is None or referral.doctor_id != doctor.id or referral.status != "claimed":
        raise QueueError("referral_not_found")
    require_access(session, doctor, referral.person_id, Access.WRITE, resource=f"referral/{referral_id}/note")
    return referral


def _own_note(session: Session, doctor: User, note_id: int) -> ClinicNote:
    note = session.get(ClinicNote, note_id)
    if note is None or note.doctor_id != doctor.id:
        raise QueueError("note_not_found")
    require_access(session, doctor, note.person_id, Access.WRITE, resource=f"note/{note_id}")
    return note


def _composition(note: ClinicNote, doctor: User, resource_id: str) -> dict[str, Any]:
    stamp = (note.signed_at or utcnow()).isoformat()
    body = "".join(f"<p>{_escape(p)}</p>" for p in note.text.split("\n") if p.strip())
    return {
        "resourceType": "Composition", "id": resource_id, "status": "final",
        "language": "zh-CN" if note.language == "zh" else "en",
        "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4", "display": "Consult note"}]},
        "subject": {"reference": f"Patient/{note.person_id}"}, "date": stamp,
        "author": [{"display": doctor.full_name or doctor.username}],
        "attester": [{"mode": "legal", "time": stamp, "party": {"display": doctor.full_name or doctor.username}}],
        "title": t("clinician.note_title", note.language),
        "section": [{"title": t("clinician.note_title", note.language),
                     "text": {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}}],
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
