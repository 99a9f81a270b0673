"""Doctor agents in the running app: an agent answers only under a doctor's stored sign-off of its current
version and content; sampled answers are audited by that doctor, and corrections stay with the version."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from careguide import accounts
from careguide.assistant import Assistant, agent_governance
from careguide.assistant.agents import AgentRunner, load_agents
from careguide.store.models import Role

QUESTION = "What habits help with insomnia?"
QUESTION_ZH = "失眠的人平时有哪些好的睡眠习惯？"


def _doctor(database, username, full_name="Dr. Test Signer"):
    with database.session() as session:
        user = accounts.create_user(session, accounts.NewUser(username, "password-123", Role.DOCTOR, full_name,
                                                              department="sleep_medicine"))
        return user.id, {"Authorization": f"Bearer {accounts.issue_token(session, user)}"}


def _use_packs(client, packs):
    client.app.state.assistant = Assistant(client.app.state.settings, use_embeddings=False,
                                           agents=AgentRunner(packs))


def _ask(client, headers, text, agent="sleep"):
    conversation = client.post("/api/v1/chat/conversations", json={"agent_id": agent}, headers=headers)
    assert conversation.status_code == 201, conversation.text
    said = client.post(f"/api/v1/chat/conversations/{conversation.json()['id']}/messages", json={"text": text},
                       headers=headers)
    assert said.status_code == 200, said.text
    return said.json()["agent"]


def _sleep(client, headers):
    listed = client.get("/api/v1/clinic/agents", headers=headers)
    assert listed.status_code == 200, listed.text
    return next(a for a in listed.json() if a["id"] == "sleep")


def test_unsigned_agent_refers_until_a_doctor_signs_it_and_a_patient_cannot_sign(client, people, database):
    _, patient = people.make("sleepless")
    _, doctor = _doctor(database, "dr_sleep")
    before = _ask(client, patient, QUESTION)
    assert before["action"] == "refer" and before["referral"]["reasons"] == ["agent_inactive"]

    status = _sleep(client, doctor)
    assert status["status"] == "awaiting_signoff" and not status["active"] and status["physician"] is None
    url = f"/api/v1/clinic/agents/sleep/versions/{status['version']}/sign"
    refused = client.post(url, json={"digest": status["digest"]}, headers=patient)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "agent_doctor_only"
    assert client.get("/api/v1/clinic/agents", headers=patient).status_code == 403
    assert client.post(f"/api/v1/clinic/agents/sleep/versions/{status['version'] + 1}/sign", json={},
                       headers=doctor).status_code == 409  # a version that is not the one loaded
    signed = client.post(url, json={"digest": status["digest"]}, headers=doctor)
    assert signed.status_code == 200, signed.text
    assert signed.json()["active"] and signed.json()["physician"] == "Dr. Test Signer"

    for text in (QUESTION, QUESTION_ZH):
        after = _ask(client, patient, text)
        assert after["action"] == "answer" and after["active"] and after["sources"], after
    assert _ask(client, patient, QUESTION, agent="cardiology")["referral"]["reasons"] == ["agent_inactive"]


def test_an_edited_pack_file_is_not_covered_by_the_earlier_sign_off(client, people, database, tmp_path: Path):
    from careguide.assistant.agents import AGENTS_DIR

    pack_file = tmp_path / "sleep.yaml"
    data = yaml.safe_load((AGENTS_DIR / "sleep.yaml").read_text("utf-8"))
    pack_file.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    _use_packs(client, load_agents(tmp_path))
    _, patient = people.make("sleepless2")
    _, doctor = _doctor(database, "dr_sleep2")
    first = _sleep(client, doctor)
    assert client.post("/api/v1/clinic/agents/sleep/versions/1/sign", json={"digest": first["digest"]},
                       headers=doctor).status_code == 200
    assert _ask(client, patient, QUESTION)["action"] == "answer"

    data["audit_rate"] = 0.5  # an edit that keeps the version number
    pack_file.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    load_agents.cache_clear()
    try:
        _use_packs(client, load_agents(tmp_path))
        edited = _sleep(client, doctor)
        assert edited["version"] == first["version"] and edited["digest"] != first["digest"]
        assert edited["status"] == "awaiting_signoff" and not edited["active"]
        assert _ask(client, patient, QUESTION)["referral"]["reasons"] == ["agent_inactive"]
        stale = client.post("/api/v1/clinic/agents/sleep/versions/1/sign", json={"digest": first["digest"]},
                            headers=doctor)
        assert stale.status_code == 409 and stale.json()["error"]["code"] == "agent_changed"
    finally:
        load_agents.cache_clear()


def test_sampled_answers_are_audited_by_the_signing_doctor_and_corrections_stay_with_the_version(
        client, people, database):
    packs = {k: v.model_copy(update={"audit_rate": 1.0}) for k, v in load_agents().items()}
    _use_packs(client, packs)
    person_id, patient = people.make("sleepless3")
    _, doctor = _doctor(database, "dr_sleep3", "Dr. Audit Signer")
    _, stranger = _doctor(database, "dr_other")
    version = packs["sleep"].version
    assert client.post(f"/api/v1/clinic/agents/sleep/versions/{version}/sign", json={},
                       headers=doctor).status_code == 200
    answered = _ask(client, patient, QUESTION)
    assert answered["action"] == "answer" and answered["audit_sampled"]
    assert _ask(client, patient, "I nearly fell asleep while driving on the motorway again")["action"] == "refer"

    queue = client.get("/api/v1/clinic/agents/audit", headers=doctor).json()
    assert [(i["agent_id"], i["version"], i["request"]) for i in queue] == [("sleep", version, QUESTION)]
    assert queue[0]["answer"] == answered["answer"] and "person_id" not in queue[0]
    assert _sleep(client, doctor)["pending_audits"] == 1
    item = f"/api/v1/clinic/agents/audit/{queue[0]['id']}"
    assert client.get("/api/v1/clinic/agents/audit", headers=stranger).json() == []  # not the signing doctor
    assert client.post(item, json={"decision": "approve"}, headers=stranger).status_code == 404
    assert client.post(item, json={"decision": "approve"}, headers=patient).status_code == 403
    missing = client.post(item, json={"decision": "correct", "corrected_answer": "  "}, headers=doctor)
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "corrected_answer"

    correction = "Keep a regular wake-up time every day, including weekends; see your doctor if it lasts a month."
    done = client.post(item, json={"decision": "correct", "corrected_answer": correction}, headers=doctor)
    assert done.status_code == 200 and done.json()["status"] == "corrected"
    assert client.post(item, json={"decision": "approve"}, headers=doctor).status_code == 409
    with database.session() as session:
        kept = agent_governance.corrections(session, "sleep", version)
        assert [(c.request, c.corrected_answer, c.physician) for c in kept] == [
            (QUESTION, correction, "Dr. Audit Signer")]
        assert agent_governance.corrections(session, "sleep", version + 1) == []
    status = _sleep(client, doctor)
    assert status["corrections"] == 1 and status["pending_audits"] == 0
    corrected = client.get("/api/v1/clinic/agents/audit?status=corrected", headers=doctor).json()
    assert [i["corrected_answer"] for i in corrected] == [correction]
    assert person_id  # the item belongs to the person (erased with them), but is shown without their identity


def test_a_sign_off_whose_physician_account_is_closed_no_longer_covers_the_pack(client, people, database):
    doctor_id, doctor = _doctor(database, "dr_leaving")
    _, patient = people.make("sleepless4")
    assert client.post(f"/api/v1/clinic/agents/sleep/versions/{load_agents()['sleep'].version}/sign", json={},
                       headers=doctor).status_code == 200
    assert _ask(client, patient, QUESTION)["action"] == "answer"
    with database.session() as session:
        from careguide.store.models import User

        user = session.get(User, doctor_id)
        assert user is not None
        user.is_active = False
    assert _ask(client, patient, QUESTION)["referral"]["reasons"] == ["agent_inactive"]
    _, successor = _doctor(database, "dr_successor", "Dr. Successor")
    resigned = client.post(f"/api/v1/clinic/agents/sleep/versions/{load_agents()['sleep'].version}/sign", json={},
                           headers=successor)
    assert resigned.status_code == 200 and resigned.json()["physician"] == "Dr. Successor"
    assert _ask(client, patient, QUESTION)["action"] == "answer"


@pytest.mark.parametrize("role", ["patient", "caregiver", "admin"])
def test_only_doctors_reach_the_audit_queue(client, people, role):
    _, headers = people.make(f"not_a_doctor_{role}", role)
    assert client.get("/api/v1/clinic/agents/audit", headers=headers).status_code == 403


def test_the_demo_seed_signs_the_shipped_packs_as_the_demo_doctor_once(database):
    from careguide import demo
    from careguide.store.agents import AgentSignoff

    with database.session() as session:
        first = demo.seed(session)
    with database.session() as session:
        again = demo.seed(session)
        statuses = agent_governance.agent_statuses(session)
        assert first["agents_signed_for_the_demo"] == len(load_agents()) and again["agents_signed_for_the_demo"] == 0
        assert all(s.active and s.physician == "张华 Dr. Zhang Hua" for s in statuses)
        assert session.query(AgentSignoff).count() == len(load_agents())
    with database.session() as session:
        assert all(not pack.active for pack in load_agents().values())  # the files themselves stay unsigned
