"""Triage interviews over the API: stored between answers, consent-checked, safety-netted."""

from __future__ import annotations

from sqlalchemy import select

from careguide.store.models import Notification


def _run(client, headers, text, answer="no", **extra):
    step = client.post("/api/v1/triage/sessions", json={"text": text, **extra}, headers=headers)
    assert step.status_code == 201, step.text
    body = step.json()
    for _ in range(20):
        if body["kind"] != "question":
            return body
        question = body["question"]
        value = answer if any(o["id"] == answer for o in question["options"]) else (
            question["options"][-1]["id"] if question["options"] else "two days")
        body = client.post(f"/api/v1/triage/sessions/{body['id']}/answer", headers=headers,
                           json={"question_id": question["id"], "value": value}).json()
    raise AssertionError("the interview did not end")


def test_chest_pain_with_sweating_is_an_ambulance_with_the_regions_number(client, people):
    _, headers = people.make("ann")
    body = _run(client, headers, "Crushing chest pain spreading to my left arm, I am sweating a lot", age=58)
    assert body["outcome"]["disposition"] == "ambulance"
    assert body["outcome"]["emergency_number"] == "120"  # CAREGUIDE_REGION defaults to CN


def test_a_mild_case_schedules_a_check_back_and_worse_reopens_it(client, people, database):
    person, headers = people.make("ben")
    body = _run(client, headers, "I have had a mild sore throat for two days, no fever, eating and drinking fine",
                age=30, sex="male")
    outcome = body["outcome"]
    assert outcome["disposition"] not in ("ambulance", "emergency")
    with database.session() as session:
        due = session.scalars(select(Notification).where(Notification.user_id == person,
                                                         Notification.kind == "check_back")).all()
    assert len(due) == 1 and due[0].link == f"/triage/{body['id']}"
    worse = client.post(f"/api/v1/triage/sessions/{body['id']}/check-back", headers=headers,
                        json={"status": "worse"}).json()
    assert worse["status"] in ("open", "done")
    if worse["kind"] == "outcome":
        order = ["self_care", "routine", "urgent", "emergency", "ambulance"]
        assert order.index(worse["outcome"]["disposition"]) > order.index(outcome["disposition"])


def test_another_patient_cannot_read_or_answer_my_interview(client, people):
    _, mine = people.make("cat")
    _, theirs = people.make("dan")
    started = client.post("/api/v1/triage/sessions", json={"text": "headache for a week"}, headers=mine).json()
    assert client.get(f"/api/v1/triage/sessions/{started['id']}", headers=theirs).status_code == 403
    answered = client.post(f"/api/v1/triage/sessions/{started['id']}/answer", headers=theirs, json={"value": "no"})
    assert answered.status_code == 403


def test_gibberish_gets_a_question_not_a_silent_self_care(client, people):
    _, headers = people.make("eve")
    body = client.post("/api/v1/triage/sessions", json={"text": "🙂🙂 asdkjh qwe"}, headers=headers).json()
    assert body["kind"] in ("question", "message") or body["outcome"]["disposition"] != "self_care"
