from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from booking_testkit import NOW

from careguide.booking.matching import MatchRequest, PersonContext, match
from careguide.booking.models import Title
from careguide.store.db import Database

BEIJING = PersonContext(city="北京", language="zh")


def _match(db: Database, **fields) -> object:
    request = MatchRequest(emergency_number="120", **fields)
    with db.session() as s:
        return match(s, request, now=NOW)


@pytest.mark.parametrize("disposition", ["ambulance", "emergency"])
def test_emergency_outcomes_book_nothing_and_give_the_number_and_nearest_emergency_departments(
    db: Database, disposition
):
    near = PersonContext(city="beijing", latitude=39.96, longitude=116.30, language="en")
    result = _match(db, disposition=disposition, department_ids=["cardiology"], person=near)
    assert result.book is False and result.proposals == []
    assert "120" in result.message.en and "120" in result.message.zh
    distances = [option.distance_km for option in result.emergency_departments]
    assert len(distances) == 3 and distances == sorted(distances)
    assert all(option.place.city.en == "Beijing" for option in result.emergency_departments)


def test_urgent_care_is_only_offered_today_or_tomorrow(db: Database):
    result = _match(
        db, disposition="urgent", department_ids=["respiratory", "general_practice"], person=BEIJING
    )
    end_of_tomorrow = datetime.combine(
        NOW.astimezone(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=2),
        time(0),
        ZoneInfo("Asia/Shanghai"),
    )
    assert result.book and result.proposals
    assert all(NOW < p.start < end_of_tomorrow for p in result.proposals)


def test_routine_care_gives_three_proposals_best_department_first_each_with_a_bilingual_why(db: Database):
    result = _match(
        db, disposition="routine", department_ids=["gastroenterology", "general_practice"], person=BEIJING
    )
    assert len(result.proposals) == 3
    assert result.proposals[0].department_id == "gastroenterology"
    assert len({p.practitioner.id for p in result.proposals}) == 3
    for p in result.proposals:
        assert p.why.en and p.why.zh and p.why.en != p.why.zh
        assert p.place.city.en == "Beijing"
    assert "fits your symptoms best" in result.proposals[0].why.en


def test_a_case_that_calls_for_seniority_gets_senior_doctors(db: Database):
    result = _match(
        db, disposition="routine", department_ids=["neurology"], person=BEIJING, prefer_senior=True
    )
    assert result.proposals
    assert result.proposals[0].practitioner.title in (Title.CHIEF, Title.ASSOCIATE_CHIEF)
    assert any("senior" in r.en for r in result.proposals[0].reasons)


def test_an_english_speaker_is_matched_with_doctors_who_speak_english_first(db: Database):
    result = _match(
        db,
        disposition="routine",
        department_ids=["general_practice"],
        person=PersonContext(city="Shanghai", language="en"),
    )
    assert "en" in result.proposals[0].practitioner.languages
    assert any("English" in r.en for r in result.proposals[0].reasons)


def test_a_preferred_hospital_is_chosen_when_it_has_a_slot(db: Database):
    first = _match(db, disposition="routine", department_ids=["dermatology"], person=BEIJING)
    others = {p.place.organization_id for p in first.proposals}
    plain = _match(db, disposition="routine", department_ids=["dermatology"], person=BEIJING, limit=10)
    candidates = [p.place.organization_id for p in plain.proposals if p.place.organization_id not in others]
    preferred = candidates[0] if candidates else plain.proposals[-1].place.organization_id
    chosen = _match(
        db,
        disposition="routine",
        department_ids=["dermatology"],
        person=BEIJING.model_copy(update={"preferred_organization_ids": [preferred]}),
    )
    assert chosen.proposals[0].place.organization_id == preferred
    assert any("preferred" in r.en for r in chosen.proposals[0].reasons)


def test_a_person_in_a_city_without_the_department_is_offered_care_elsewhere_marked_cross_region(
    db: Database,
):
    result = _match(
        db,
        disposition="routine",
        department_ids=["oncology"],
        person=PersonContext(city="广州", language="zh"),
    )
    assert result.cross_region and result.proposals
    assert all(p.place.city.en != "Guangzhou" for p in result.proposals)
    assert any("异地就医" in r.zh for r in result.proposals[0].reasons)


def test_self_care_still_offers_routine_visits_with_advice_to_seek_care_if_worse(db: Database):
    result = _match(db, disposition="self_care", department_ids=[], person=BEIJING)
    assert result.proposals and result.proposals[0].department_id == "general_practice"
    assert "worse" in result.message.en


def test_unknown_departments_fall_back_to_general_practice(db: Database):
    result = _match(db, disposition="routine", department_ids=["not_a_department"], person=BEIJING)
    assert {p.department_id for p in result.proposals} == {"general_practice"}
