"""Doctor agents: clinic-wide red-flag rules, general questions answered from the specialty's own
knowledge, and the frame that tells a general question from the person's own case.

The phrasings here are written for the tests; they are not items of evals/agent_requests.jsonl."""

import pytest

from careguide.assistant.agents import AgentRunner, escalations, load_agents
from careguide.language import normalise


@pytest.fixture(scope="module")
def runner() -> AgentRunner:
    return AgentRunner(allow_unsigned=True)


@pytest.mark.parametrize(("agent", "text"), [
    ("urology", "I have a kidney stone and now I'm shivering with a temperature of 39"),
    ("urology", "肾结石疼了两天，今天开始发高烧、打寒战"),
    ("urology", "Burning when I pee for three days and now a high temperature and pain in my side"),
    ("urology", "结石疼得受不了，一直呕吐，止痛药也不管用"),
    ("urology", "Fever and a deep ache in the perineum, and it burns when I pee"),
    ("urology", "同房时阴茎咔嚓一声，马上肿起来发紫了"),
    ("pediatrics", "My toddler is floppy and hard to wake this morning"),
    ("pediatrics", "宝宝呕吐物是绿色的，肚子胀"),
    ("pediatrics", "My son swallowed a button battery from the remote"),
    ("cardiology", "My heart is racing and I feel faint and light-headed"),
    ("cardiology", "血压180/120，头痛得厉害，看东西也模糊"),
    ("endocrinology", "I'm on insulin and my wife says I'm confused and sweaty"),
    ("endocrinology", "糖尿病，脚趾上的伤口发黑还有臭味"),
    ("dermatology", "There are purple spots on my legs that don't fade when I press a glass on them"),
    ("dermatology", "额头和眼睛周围长了带状疱疹"),
])
def test_specialty_red_flags_are_referred(runner, agent, text):
    answer = runner.ask(agent, text)
    assert answer.action == "refer", answer.safety_rules
    assert answer.referral.urgency in ("emergency", "urgent")


def test_fever_with_loin_pain_is_a_red_flag_even_without_the_word_urine(runner):
    answer = runner.ask("urology", "Pain in my left flank since yesterday and now fever and chills")
    assert answer.action == "refer" and "red_flag" in answer.referral.reasons


def test_a_general_question_naming_a_condition_is_answered_not_referred(runner):
    answer = runner.ask("sleep", "What is obstructive sleep apnoea and who is at risk of it?")
    assert answer.action == "answer" and answer.sources


def test_the_same_condition_in_the_persons_own_case_is_referred(runner):
    answer = runner.ask("sleep", "My husband stops breathing for a while in his sleep and gasps")
    assert answer.action == "refer"


def test_general_frame_never_hides_a_red_flag():
    pack = load_agents()["urology"]
    fired = escalations(pack, normalise("What is the usual cause of fever with loin pain and burning urine?"))
    assert any(rule.reason == "red_flag" for rule in fired)


@pytest.mark.parametrize(("agent", "text"), [
    ("sleep", "Should I avoid caffeine in the afternoon if I sleep badly?"),
    ("sleep", "倒班工作的人怎样才能睡得好一些？"),
    ("urology", "What do pelvic floor exercises involve?"),
    ("urology", "做膀胱镜检查是什么过程？"),
    ("pediatrics", "How much weight do newborns normally lose after birth?"),
    ("pediatrics", "宝宝几个月可以开始吃辅食？"),
    ("dermatology", "What does the PA rating on a sunscreen mean?"),
    ("dermatology", "脚气平时怎么预防？"),
    ("cardiology", "How much exercise a week is good for the heart?"),
    ("endocrinology", "What does the thyroid gland do in the body?"),
])
def test_ordinary_clinic_questions_are_answered_from_the_specialty_pack(runner, agent, text):
    answer = runner.ask(agent, text)
    assert answer.action == "answer", answer.referral.reasons if answer.referral else None
    pack = load_agents()[agent]
    assert all(source.split("#")[0] in pack.knowledge for source in answer.sources)
