"""Rule mechanics: denials, unknown red flags, duration windows, the deciding specialty."""

from careguide.knowledge import Disposition, load_knowledge
from careguide.triage import Profile, answer, start
from careguide.triage.understand import understand


def finish(step, reply="dont_know", limit=20):
    for _ in range(limit):
        if step.kind != "question":
            break
        step = answer(step.evidence, reply if step.question.kind == "findings" else "dont_know")
    return step


def test_an_explicit_denial_outweighs_a_bare_mention():
    read = understand(load_knowledge(), "月经推迟了5天，验孕棒测了两次都是阴性")
    assert read.findings["pregnant"] == "absent"
    read = understand(load_knowledge(), "She cried straight away after bumping her head")
    assert read.findings["head_injury_loss_of_consciousness"] == "absent"


def test_not_knowing_about_loss_of_consciousness_after_a_head_injury_is_not_self_care():
    step = finish(start(Profile(age_years=30), "I banged my head on a cupboard door"))
    assert step.outcome.disposition is Disposition.URGENT
    assert any(r.kind == "unknown_red_flag" for r in step.outcome.why)


def test_a_clear_head_knock_without_warning_signs_is_self_care():
    step = finish(start(Profile(age_years=30), "I banged my head on a cupboard door, didn't black out, no vomiting"), reply="no")
    assert step.outcome.disposition is Disposition.SELF_CARE


def test_stroke_signs_that_began_days_ago_are_urgent_not_an_ambulance():
    assert start(Profile(age_years=70), "her face has been drooping on one side for 10 days").outcome.disposition \
        is Disposition.URGENT
    assert start(Profile(age_years=70), "her face suddenly started drooping on one side").outcome.disposition \
        is Disposition.AMBULANCE


def test_reduced_fetal_movements_go_to_the_maternity_unit_first():
    step = finish(start(Profile(age_years=30, sex="female"), "I'm 32 weeks pregnant and the baby is moving much less than usual"))
    assert step.outcome.disposition is Disposition.EMERGENCY
    assert step.outcome.departments[0].id == "obstetrics"


def test_a_barking_cough_alone_is_not_stridor():
    step = finish(start(Profile(age_years=4), "barking cough at night since yesterday, no noisy breathing at rest"), reply="no")
    assert step.outcome.disposition is Disposition.SELF_CARE


def test_glucose_and_blood_pressure_readings_enter_their_protocols():
    assert "blood_sugar" in start(Profile(age_years=40), "空腹血糖7.3").evidence.protocols
    step = finish(start(Profile(age_years=40), "my blood pressure was 185/125 and I have a headache"))
    assert step.outcome.disposition in (Disposition.EMERGENCY, Disposition.AMBULANCE)


def test_once_the_level_is_settled_at_most_two_questions_separate_departments():
    step = start(Profile(age_years=35, sex="female"), "I feel tired all the time")
    separating = []
    while step.kind == "question":
        if step.question.id.startswith("d:"):
            separating.append(step.question)
        step = answer(step.evidence, "no" if step.question.kind == "findings" else "dont_know")
    assert 1 <= len(separating) <= 2
    assert all(q.rationale and q.targets for q in separating)
    assert step.outcome.disposition is Disposition.SELF_CARE
