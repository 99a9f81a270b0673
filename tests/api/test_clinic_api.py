"""From a finished interview to the clinic: refer, queue, claim (access follows), summary, packet, close."""

from __future__ import annotations

from careguide import accounts
from careguide.store.models import Role


def _doctor(database, username, department):
    with database.session() as session:
        user = accounts.create_user(session, accounts.NewUser(username, "password-123", Role.DOCTOR,
                                                              department=department))
        return user.id, {"Authorization": f"Bearer {accounts.issue_token(session, user)}"}


def _finished_interview(client, headers, text):
    body = client.post("/api/v1/triage/sessions", json={"text": text, "age": 40, "sex": "female"},
                       headers=headers).json()
    for _ in range(25):
        if body["kind"] != "question":
            return body
        options = [o["id"] for o in body["question"]["options"]]
        value = "no" if "no" in options else (options[-1] if options else "3 days")
        body = client.post(f"/api/v1/triage/sessions/{body['id']}/answer", headers=headers,
                           json={"question_id": body["question"]["id"], "value": value}).json()
    raise AssertionError("no outcome")


def test_referral_flow_gives_access_only_while_the_case_is_claimed(client, people, database):
    person, headers = people.make("patient1")
    done = _finished_interview(client, headers, "I have had a dry cough for three weeks, no fever, no blood")
    referral = client.post(f"/api/v1/triage/sessions/{done['id']}/refer", headers=headers)
    assert referral.status_code == 201, referral.text
    department = referral.json()["department"]
    doctor, doctor_h = _doctor(database, "drgp", department)
    other_doctor, other_h = _doctor(database, "drother", "dermatology" if department != "dermatology" else "urology")

    assert [r["id"] for r in client.get("/api/v1/clinic/queue", headers=doctor_h).json()] == [referral.json()["id"]]
    assert client.get("/api/v1/clinic/queue", headers=other_h).json() == []
    rid = referral.json()["id"]
    assert client.get(f"/api/v1/clinic/referrals/{rid}/summary", headers=doctor_h).status_code == 403  # not yet claimed
    assert client.post(f"/api/v1/clinic/referrals/{rid}/claim", headers=other_h).status_code == 404
    assert client.post(f"/api/v1/clinic/referrals/{rid}/claim", headers=doctor_h).json()["status"] == "claimed"

    summary = client.get(f"/api/v1/clinic/referrals/{rid}/summary?lang=zh", headers=doctor_h).json()
    assert summary["language"] == "zh" and summary["patient_words"].startswith("I have had a dry cough")
    assert summary["pertinent_negatives"]
    packet = client.get(f"/api/v1/clinic/referrals/{rid}/fhir?lang=zh", headers=doctor_h).json()
    types = [e["resource"]["resourceType"] for e in packet["entry"]]
    assert types.count("Composition") == 2 and "QuestionnaireResponse" in types  # doctor's and patient's language
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(packet)  # a valid FHIR R4(B) document any hospital can import

    mine = client.get("/api/v1/me/referrals", headers=headers).json()
    assert mine[0]["status"] == "claimed"
    assert client.post(f"/api/v1/clinic/referrals/{rid}/close", headers=doctor_h).json()["status"] == "closed"
    assert client.get(f"/api/v1/clinic/referrals/{rid}/summary", headers=doctor_h).status_code == 403


def test_patients_cannot_see_the_clinic_queue(client, people):
    _, headers = people.make("patient2")
    assert client.get("/api/v1/clinic/queue", headers=headers).status_code == 403


def test_someone_else_cannot_refer_my_interview(client, people):
    _, mine = people.make("patient3")
    _, theirs = people.make("patient4")
    done = _finished_interview(client, mine, "sore throat for two days, no fever")
    assert client.post(f"/api/v1/triage/sessions/{done['id']}/refer", headers=theirs).status_code == 403


def test_note_is_drafted_edited_signed_and_filed_and_a_handout_reaches_the_patient(client, people, database):
    person, headers = people.make("patient5")
    done = _finished_interview(client, headers, "I have had a dry cough for three weeks, no fever, no blood")
    rid = client.post(f"/api/v1/triage/sessions/{done['id']}/refer", headers=headers).json()["id"]
    department = client.get("/api/v1/me/referrals", headers=headers).json()[0]["department"]
    _, doctor_h = _doctor(database, "drnotes", department)
    assert client.post(f"/api/v1/clinic/referrals/{rid}/notes", headers=doctor_h,
                       json={"transcript": "Doctor: hello"}).status_code == 404  # not claimed yet
    client.post(f"/api/v1/clinic/referrals/{rid}/claim", headers=doctor_h)
    transcript = "Patient: I cough at night.\nDoctor: Lungs clear on auscultation.\nDoctor: Review in two weeks."
    note = client.post(f"/api/v1/clinic/referrals/{rid}/notes", headers=doctor_h, json={"transcript": transcript})
    assert note.status_code == 201 and "Lungs clear" in note.json()["text"]
    nid = note.json()["id"]
    edited = client.put(f"/api/v1/clinic/notes/{nid}", headers=doctor_h,
                        json={"text": note.json()["text"] + "\nSmoking cessation advice given."})
    assert edited.json()["text"].endswith("advice given.")
    signed = client.post(f"/api/v1/clinic/notes/{nid}/sign", headers=doctor_h).json()
    assert signed["status"] == "signed" and signed["seconds_to_sign"] >= 0 and signed["record_resource_id"]
    assert client.put(f"/api/v1/clinic/notes/{nid}", headers=doctor_h, json={"text": "x"}).status_code == 409
    exported = client.get(f"/api/v1/records/{person}/export", headers=headers)
    assert signed["record_resource_id"] in exported.text

    topic = client.get("/api/v1/clinic/handouts/topics", headers=doctor_h).json()[0]["id"]
    sent = client.post(f"/api/v1/clinic/referrals/{rid}/handout", headers=doctor_h,
                       json={"article_id": topic, "additions": "Walk 30 minutes a day."})
    assert sent.status_code == 200 and sent.json()["doctor_additions"] == "Walk 30 minutes a day."
    inbox = client.get("/api/v1/me/notifications", headers=headers).json()
    assert any(n["kind"] == "handout" and "Walk 30 minutes" in n["body"] for n in inbox)
