import pytest
from booking_testkit import NOW, make_person
from sqlalchemy import select

from careguide.booking import referrals
from careguide.booking.errors import BookingError
from careguide.booking.models import Organization, Practitioner, PractitionerRole, Referral, ReferralStatus
from careguide.store.db import Database
from careguide.store.models import AuditEvent, Notification, Role


def _hospital(db: Database, code: str) -> int:
    with db.session() as s:
        return s.scalar(select(Organization.id).where(Organization.code == code))


def _staff_of(db: Database, org_id: int):
    """A doctor account linked to a practitioner of the hospital."""
    doctor = make_person(db, role=Role.DOCTOR)
    with db.session() as s:
        practitioner = s.scalars(
            select(Practitioner)
            .join(PractitionerRole, PractitionerRole.practitioner_id == Practitioner.id)
            .where(PractitionerRole.organization_id == org_id, Practitioner.user_id.is_(None))
            .limit(1)
        ).one()
        practitioner.user_id = doctor.id
    return doctor


def test_a_cross_region_referral_goes_from_checklist_to_submission_to_the_receiving_clinic(db: Database):
    person = make_person(db, language="en", city="beijing")
    shanghai = _hospital(db, "demo-shanghai-t1")
    with db.session() as s:
        draft = referrals.create_referral(
            s,
            person,
            person.id,
            filing_type="referral",
            from_city="北京",
            to_organization_id=shanghai,
            department_id="oncology",
            now=NOW,
        )
    assert draft.status is ReferralStatus.DRAFT and "referral_letter" in draft.missing_required
    with pytest.raises(BookingError) as caught, db.session() as s:
        referrals.submit_referral(s, person, draft.id, now=NOW)
    assert caught.value.code == "missing_documents"
    assert "Referral letter" in caught.value.message("en")
    with db.session() as s:
        for kind in draft.missing_required:
            referrals.mark_document(s, person, draft.id, kind, now=NOW)
        submitted = referrals.submit_referral(s, person, draft.id, now=NOW)
    assert submitted.status is ReferralStatus.SUBMITTED and submitted.missing_required == []
    doctor = _staff_of(db, shanghai)
    with db.session() as s:
        inbox = referrals.referrals_for_clinic(s, doctor, shanghai)
        assert draft.id in [r.id for r in inbox]
        answered = referrals.answer_referral(
            s, doctor, draft.id, accept=True, note="Bring the pathology slides.", now=NOW
        )
    assert answered.status is ReferralStatus.ACCEPTED
    assert [h.status for h in answered.history] == [
        ReferralStatus.DRAFT,
        ReferralStatus.SUBMITTED,
        ReferralStatus.ACCEPTED,
    ]
    with db.session() as s:
        note = s.scalars(
            select(Notification).where(
                Notification.user_id == person.id, Notification.kind == "booking.referral"
            )
        ).one()
        assert "accepted" in note.title and "pathology" in note.body
        mine = referrals.referrals_of(s, person, person.id)
    assert mine[0].status is ReferralStatus.ACCEPTED and mine[0].clinic_note


def test_staff_of_another_hospital_cannot_see_or_answer_the_referral(db: Database):
    person = make_person(db, city="beijing")
    shanghai, chengdu = _hospital(db, "demo-shanghai-t2"), _hospital(db, "demo-chengdu-t1")
    with db.session() as s:
        ref = referrals.create_referral(
            s,
            person,
            person.id,
            filing_type="temporary_trip",
            from_city="beijing",
            to_organization_id=shanghai,
            department_id="cardiology",
        )
        for kind in ref.missing_required:
            referrals.mark_document(s, person, ref.id, kind)
        referrals.submit_referral(s, person, ref.id)
    outsider = _staff_of(db, chengdu)
    # the API's pattern (one plain session per request): the refusal commits its own audit event
    with pytest.raises(BookingError) as caught, db.sessions() as s:
        referrals.answer_referral(s, outsider, ref.id, accept=True)
    assert caught.value.code == "not_receiving_clinic"
    with pytest.raises(BookingError), db.sessions() as s:
        referrals.referrals_for_clinic(s, outsider, shanghai)
    with db.session() as s:
        denied = s.scalars(
            select(AuditEvent.resource).where(
                AuditEvent.actor_id == outsider.id, AuditEvent.outcome == "denied"
            )
        ).all()
        assert f"booking/referral/{ref.id}" in denied
        assert s.get(Referral, ref.id).status is ReferralStatus.SUBMITTED


def test_a_referral_inside_ones_own_city_or_of_an_unknown_kind_is_refused(db: Database):
    person = make_person(db, city="beijing")
    beijing = _hospital(db, "demo-beijing-t1")
    with pytest.raises(BookingError) as caught, db.session() as s:
        referrals.create_referral(
            s,
            person,
            person.id,
            filing_type="referral",
            from_city="Beijing",
            to_organization_id=beijing,
            department_id="oncology",
        )
    assert caught.value.code == "same_city"
    with pytest.raises(BookingError) as caught, db.session() as s:
        referrals.create_referral(
            s,
            person,
            person.id,
            filing_type="holiday",
            from_city="Beijing",
            to_organization_id=beijing,
            department_id="oncology",
        )
    assert caught.value.code == "unknown_filing_type"


def test_every_filing_type_lists_only_known_documents_in_both_languages():
    data = referrals.checklists()
    assert set(data.filing_types) >= {"referral", "long_term_residence", "temporary_trip"}
    for filing in data.filing_types.values():
        for kind in filing.required + filing.optional:
            assert data.documents[kind].en and data.documents[kind].zh
