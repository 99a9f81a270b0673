"""Routing: one intent per turn (messages written for these tests, not taken from the eval sets)."""

import pytest

from careguide.assistant import route


@pytest.mark.parametrize("text,intent", [
    ("What does the thyroid gland do?", "health_question"),
    ("甲状腺是做什么的？", "health_question"),
    ("My shoulder has ached for a week when I lift my arm.", "symptoms"),
    ("这两天嗓子有点疼，还流鼻涕。", "symptoms"),
    ("My ALT is 88 U/L on the report, what does that mean?", "lab_report"),
    ("化验单上尿酸480，偏高吗？", "lab_report"),
    ("What was my blood pressure last week according to my records?", "my_record"),
    ("帮我查一下我上次打流感疫苗是什么时候", "my_record"),
    ("Book me a dermatology appointment on Friday morning.", "booking"),
    ("想挂个眼科的号", "booking"),
    ("Is it true that green tea cures diabetes?", "claim_check"),
    ("朋友圈说吃洋葱能治感冒，真的吗？", "claim_check"),
    ("How do I delete my account?", "app_help"),
    ("怎么把化验单上传到这个app？", "app_help"),
    ("Who won the football last night?", "out_of_scope"),
    ("帮我写一首关于春天的诗", "out_of_scope"),
    ("Which antibiotic should I take for my cough?", "prescription_request"),
    ("我这是不是肺炎？", "diagnosis_request"),
    ("He collapsed and isn't breathing", "emergency"),
])
def test_message_goes_to_its_intent(text, intent):
    assert route(text).intent == intent
