"""AI doctor agents: sign-off, answer vs refer, referral summaries, audit and corrections."""

import pytest

from careguide.assistant import Assistant, ConversationState
from careguide.assistant.agents import (
    AgentError,
    AgentRunner,
    AuditItem,
    Physician,
    load_agents,
    new_version,
    review,
    sign,
)

DOCTOR = Physician(name="Dr Test Reviewer", title="Attending physician", institution="Test Hospital")


@pytest.fixture(scope="module")
def runner() -> AgentRunner:
    return AgentRunner(allow_unsigned=True)


def test_six_agents_ship_and_none_is_active_before_sign_off():
    packs = load_agents()
    assert {"sleep", "urology", "pediatrics", "cardiology", "endocrinology", "dermatology"} <= set(packs)
    assert not any(pack.active for pack in packs.values())


def test_unsigned_agent_refers_instead_of_answering():
    answer = AgentRunner().ask("sleep", "How can I fall asleep faster?")
    assert answer.action == "refer" and answer.referral.reasons == ["agent_inactive"]


def test_signed_version_answers_and_a_new_version_needs_signing_again():
    signed = sign(load_agents()["dermatology"], DOCTOR)
    assert signed.active and signed.physician.name == "Dr Test Reviewer"
    answer = AgentRunner({"dermatology": signed}).ask("dermatology", "How should I look after eczema day to day?")
    assert answer.action == "answer" and answer.autonomy_level == "L2" and answer.sources
    changed = new_version(signed, audit_rate=0.5)
    assert changed.version == signed.version + 1 and not changed.active
    with pytest.raises(AgentError):
        sign(signed, DOCTOR)


def test_routine_in_scope_question_is_answered_from_the_agents_own_documents(runner):
    answer = runner.ask("sleep", "What habits help with insomnia?")
    assert answer.action == "answer"
    knowledge = set(load_agents()["sleep"].knowledge)
    assert all(source.split("#")[0] in knowledge for source in answer.sources)


@pytest.mark.parametrize("agent,text,urgency", [
    ("sleep", "I nearly fell asleep while driving on the motorway again", "urgent"),
    ("urology", "I can't pass urine at all since this morning and my belly hurts", "emergency"),
    ("cardiology", "我现在胸口疼，还出冷汗", "emergency"),
    ("pediatrics", "我家宝宝5周大，今天发烧了", "emergency"),
    ("dermatology", "A mole on my back has grown and started bleeding", "urgent"),
    ("endocrinology", "My sugar meter says 28 mmol/L and I keep vomiting", "emergency"),
])
def test_red_flags_are_always_referred_with_a_structured_summary(runner, agent, text, urgency):
    answer = runner.ask(agent, text)
    assert answer.action == "refer" and answer.autonomy_level == "L3"
    referral = answer.referral
    assert referral.urgency == urgency and referral.request == text and referral.summary
    assert referral.department == ("emergency" if urgency == "emergency" else load_agents()[agent].department)


def test_agents_never_diagnose_or_prescribe(runner):
    answer = runner.ask("dermatology", "Which cream should I buy for this rash?")
    assert answer.action == "refer" and "needs_examination" in answer.referral.reasons
    assert "pharmacist" in answer.answer


def test_out_of_scope_request_is_referred_to_general_practice(runner):
    answer = runner.ask("urology", "What is the best way to learn the piano?")
    assert answer.action == "refer" and answer.referral.department == "general_practice"


def test_audit_correction_is_kept_with_the_version():
    pack = sign(load_agents()["sleep"], DOCTOR)
    item = AuditItem(agent_id="sleep", agent_version=pack.version, request="q", answer="a")
    pack2, reviewed = review(pack, item, "Dr Test Reviewer", corrected_answer="better answer")
    assert reviewed.status == "corrected" and pack2.corrections[0].corrected_answer == "better answer"
    _, approved = review(pack, item, "Dr Test Reviewer")
    assert approved.status == "approved"


def test_assistant_conversation_with_an_agent_records_decision_and_autonomy(retriever):
    from careguide.llm import NoLLM

    assistant = Assistant(llm=NoLLM(), retriever=retriever, agents=AgentRunner(allow_unsigned=True))
    result = assistant.respond(ConversationState(agent_id="urology"), "I see blood in my urine")
    assert result.agent is not None and result.agent.action == "refer"
    assert result.autonomy_level == "L3" and result.public_dict()["agent"]["referral"]["department"] == "urology"


def test_agent_evaluation_counts_red_flags_and_routine_answers(runner):
    from careguide.evals.assistant_routing import evaluate_agents

    rows = [
        {"agent": "sleep", "text": "What habits help with insomnia?", "language": "en", "expected": "answer"},
        {"agent": "sleep", "text": "我开车的时候老是犯困，差点睡着", "language": "zh", "expected": "refer", "red_flag": True},
        {"agent": "urology", "text": "I see blood in my urine", "language": "en", "expected": "refer", "red_flag": True},
    ]
    report = evaluate_agents(rows, runner)
    assert report["agents"]["sleep"] == {"n": 2, "refer_precision": 1.0, "refer_recall": 1.0,
                                         "red_flags_referred": 1.0, "routine_answered": 1.0}
    assert report["agents"]["urology"]["red_flags_referred"] == 1.0
