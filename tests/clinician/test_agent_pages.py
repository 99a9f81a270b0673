"""The doctor's agents page: every agent with its status and a sign button, the audit queue with approve /
correct, in the doctor's language; a patient is refused."""

from __future__ import annotations

from careguide import accounts
from careguide.assistant import Assistant
from careguide.assistant.agents import AgentRunner, load_agents
from careguide.store.models import Role

PASSWORD = "password-123"


def _login(client, username):
    page = client.get("/login")
    token = page.text.split('id="login-form"')[1].split('name="csrf_token" value="')[1].split('"')[0]
    done = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303, done.text


def _csrf(html):
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def test_a_doctor_signs_an_agent_and_corrects_a_sampled_answer_on_the_page(client, database):
    packs = {k: v.model_copy(update={"audit_rate": 1.0}) for k, v in load_agents().items()}
    client.app.state.assistant = Assistant(client.app.state.settings, use_embeddings=False, agents=AgentRunner(packs))
    with database.session() as session:
        accounts.create_user(session, accounts.NewUser("dr_page", PASSWORD, Role.DOCTOR, "Dr. Page Signer",
                                                       language="zh", department="sleep_medicine"))
        patient = accounts.create_user(session, accounts.NewUser("page_patient", PASSWORD))
        patient_headers = {"Authorization": f"Bearer {accounts.issue_token(session, patient)}"}
    _login(client, "dr_page")
    page = client.get("/clinic/agents")
    assert page.status_code == 200
    assert "医生助手" in page.text and "等待签署" in page.text and page.text.count('class="primary sign"') == len(packs)
    assert "<script>" not in page.text  # the CSP allows no inline script

    row = page.text.split('data-id="sleep"')[1].split("</tr>")[0]
    digest = row.split('name="digest" value="')[1].split('"')[0]
    signed = client.post("/clinic/agents/sleep/sign", data={"csrf_token": _csrf(page.text), "version": 1,
                                                            "digest": digest}, follow_redirects=False)
    assert signed.status_code == 303
    page = client.get("/clinic/agents")
    assert "已由Dr. Page Signer签署" in page.text.split('data-id="sleep"')[1].split("</tr>")[0]

    conversation = client.post("/api/v1/chat/conversations", json={"agent_id": "sleep"}, headers=patient_headers)
    reply = client.post(f"/api/v1/chat/conversations/{conversation.json()['id']}/messages",
                        json={"text": "失眠的人平时有哪些好的睡眠习惯？"}, headers=patient_headers).json()
    assert reply["agent"]["action"] == "answer"
    page = client.get("/clinic/agents")
    assert "失眠的人平时有哪些好的睡眠习惯？" in page.text and "待审核回答 1 条" in page.text
    item_id = page.text.split('class="audit-item" data-id="')[1].split('"')[0]
    corrected = client.post(f"/clinic/agents/audit/{item_id}", follow_redirects=False,
                            data={"csrf_token": _csrf(page.text), "decision": "correct",
                                  "corrected_answer": "每天固定时间起床，包括周末。"})
    assert corrected.status_code == 303
    page = client.get("/clinic/agents")
    assert 'id="audit-empty"' in page.text and "更正 1 条" in page.text


def test_a_patient_sees_no_agent_controls(client, database):
    with database.session() as session:
        accounts.create_user(session, accounts.NewUser("page_patient2", PASSWORD, language="en"))
    _login(client, "page_patient2")
    page = client.get("/clinic/agents")
    assert page.status_code == 403 and "Only a doctor can sign doctor agents" in page.text
    assert 'class="primary sign"' not in page.text
