from booking_testkit import NOW, free_slots, make_person

from careguide.booking import booking
from careguide.booking.visit_guide import STEP_ORDER, visit_guide
from careguide.store.db import Database


def _booked(db: Database, department: str, language: str = "zh"):
    person = make_person(db, language=language)
    [slot_id] = free_slots(db, department=department)
    with db.session() as s:
        return person, booking.book(s, person, person.id, slot_id, now=NOW)


def test_the_guide_lists_the_steps_in_order_with_building_and_floor_from_the_directory(db: Database):
    person, view = _booked(db, "gastroenterology")
    with db.session() as s:
        guide = visit_guide(s, person, view.id, emergency_number="120")
    assert [step.kind for step in guide.steps] == list(STEP_ORDER)
    assert [step.order for step in guide.steps] == [1, 2, 3, 4, 5, 6]
    arrive = guide.steps[2].text
    assert view.place.building.zh in arrive and f"{view.place.floor}层" in arrive
    assert "身份证" in guide.steps[0].text
    assert "120" in guide.steps[-1].text


def test_a_department_whose_usual_tests_need_fasting_says_so_with_the_time_to_stop_eating(db: Database):
    person, view = _booked(db, "endocrinology", language="en")
    with db.session() as s:
        guide = visit_guide(s, person, view.id, emergency_number="120")
    fasting = guide.steps[1].text
    assert "without food" in fasting and "fasting blood sugar" in fasting
    assert "the evening before" in fasting or " on " in fasting


def test_a_department_without_fasting_tests_says_eat_normally(db: Database):
    person, view = _booked(db, "dermatology", language="en")
    with db.session() as s:
        guide = visit_guide(s, person, view.id, emergency_number="120")
    assert "no need to fast" in guide.steps[1].text


def test_senior_mode_gives_short_steps_and_department_specific_items(db: Database):
    person, view = _booked(db, "ophthalmology", language="zh")
    with db.session() as s:
        full = visit_guide(s, person, view.id, emergency_number="120", senior_mode=False)
        short = visit_guide(s, person, view.id, emergency_number="120", senior_mode=True)
    assert short.senior_mode and all(
        len(a.text) <= len(b.text) for a, b in zip(short.steps, full.steps, strict=True)
    )
    assert "眼镜" in full.steps[0].text
