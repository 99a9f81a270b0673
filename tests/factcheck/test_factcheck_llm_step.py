"""The optional model step can only make the answer more careful, and says when it ran."""

from careguide.factcheck import Verdict, check_text


class _Model:
    name = "fake"
    model = "fake-1"
    generates = True

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.prompts: list[str] = []

    def available(self) -> bool:
        return True

    def complete(self, messages, *, max_tokens=512, temperature=0.2):
        self.prompts.append(messages[-1].content)
        return self.reply

    def stream(self, messages, *, max_tokens=512, temperature=0.2):
        yield self.reply


def test_model_doubt_turns_cannot_judge_into_unsupported_and_the_step_is_recorded():
    model = _Model('{"verdict": "misleading", "reason": "sounds like a scam"}')
    result = check_text("This herbal drink supports your wellbeing every morning.", llm=model)
    assert result.verdict == Verdict.UNSUPPORTED
    assert result.steps[-1] == "llm" and result.llm_opinion == Verdict.MISLEADING
    assert "Text:" in model.prompts[0]


def test_model_cannot_clear_a_text_the_rules_found_misleading():
    result = check_text("祖传秘方，包治百病，可以停掉降压药。", llm=_Model('{"verdict": "consistent_with_evidence"}'))
    assert result.verdict == Verdict.MISLEADING
    assert result.llm_opinion == Verdict.CONSISTENT


def test_a_model_answer_out_of_format_changes_nothing():
    plain = check_text("Vitamin D supplements prevent cancer.")
    result = check_text("Vitamin D supplements prevent cancer.", llm=_Model("I think it is fine!"))
    assert result.verdict == plain.verdict
    assert "llm" not in result.steps and result.llm_note == "unparsed"
