"""Any text and any sequence of answers gives a step, never a crash and never a silent self-care on nonsense."""

from hypothesis import given, settings
from hypothesis import strategies as st

from careguide.knowledge import Disposition
from careguide.triage import Profile, answer, start

WORDS = ["fever", "cough", "胸痛", "头疼", "没有", "no", "3 days", "三天", "baby", "孕", "😀", "!!!", "血压180/120", "sweating"]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_step(text):
    step = start(Profile(), text)
    assert step.kind in ("question", "outcome", "message")
    if step.kind == "outcome":
        assert step.outcome.instruction


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), st.lists(st.sampled_from(["yes", "no", "dont_know", "??", ""]), max_size=14))
def test_any_answers_end_in_an_outcome_with_a_next_step(words, replies):
    step = start(Profile(age_years=40), " ".join(words))
    for reply in replies:
        if step.kind != "question":
            break
        if step.question.kind == "free_text":
            reply = "headache"
        elif step.question.options and reply not in {o.id for o in step.question.options}:
            reply = step.question.options[-1].id if reply == "" else reply
        step = answer(step.evidence, reply)
    assert step.kind in ("question", "outcome", "message")
    if step.kind == "outcome":
        assert step.outcome.seek_care_if and step.outcome.instruction


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet="qwxzjkvbpy ", min_size=3, max_size=40))
def test_gibberish_is_never_self_care(text):
    step = start(Profile(), text)
    if step.kind == "question" and step.question.kind == "free_text":
        step = answer(step.evidence, text)
    if step.kind == "outcome":
        assert step.outcome.disposition is not Disposition.SELF_CARE
