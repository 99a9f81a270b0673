"""Grounded answers, composer fallbacks, conversation state and bad input."""

from collections.abc import Iterator, Sequence

from careguide.assistant import ConversationState, compose_answer, grounded_sentences
from careguide.language import normalise
from careguide.llm import ChatMessage, LLMError


class ScriptedLLM:
    """A provider that returns a fixed reply (or fails), to test what the composer does with it."""

    name = "scripted"
    model = "scripted"
    generates = True

    def __init__(self, reply: str | None = None, error: str | None = None) -> None:
        self.reply, self.error = reply, error
        self.prompts: list[Sequence[ChatMessage]] = []

    def available(self) -> bool:
        return True

    def complete(self, messages, *, max_tokens=512, temperature=0.2) -> str:
        self.prompts.append(messages)
        if self.error:
            raise LLMError(self.error)  # type: ignore[arg-type]
        assert self.reply is not None
        return self.reply

    def stream(self, messages, *, max_tokens=512, temperature=0.2) -> Iterator[str]:
        yield self.complete(messages)


def test_answer_cites_passages_and_every_sentence_is_in_its_source(assistant, retriever):
    result = assistant.respond(ConversationState(), "How is high blood pressure usually managed?")
    assert result.sources and result.sources[0]["article"] == "hypertension"
    by_id = {p.id: p for p in retriever.passages}
    composed = compose_answer("How is high blood pressure usually managed?", "en",
                              retriever.search("How is high blood pressure usually managed?"), retriever,
                              emergency_number="120")
    cited = {s.n: by_id[s.passage_id] for s in composed.sources}
    for sentence in grounded_sentences(composed):
        assert sentence.cites
        assert any(normalise(sentence.text) in normalise(cited[n].text.en) for n in sentence.cites)


def test_chinese_question_is_answered_in_chinese_from_the_same_article(assistant):
    en = assistant.respond(ConversationState(), "What is gout?")
    zh = assistant.respond(ConversationState(), "痛风是什么病？")
    assert en.sources[0]["article"] == zh.sources[0]["article"] == "gout"
    assert zh.language == "zh" and "尿酸" in zh.answer


def test_question_outside_the_library_says_nothing_found_and_who_to_ask(assistant):
    result = assistant.respond(ConversationState(), "What is the incubation period of Lassa fever in rodents?")
    assert not result.sources
    assert "won't guess" in result.answer and "pharmacist" in result.answer


def test_false_premise_is_corrected_from_the_myth_base(assistant):
    result = assistant.respond(ConversationState(), "仰头能止鼻血吧？")
    assert result.corrected and result.sources[0]["kind"] == "myth"


def test_generated_answer_is_used_when_it_cites_and_passes_checks(retriever):
    llm = ScriptedLLM("Gout is caused by uric acid crystals in a joint [1]. Cutting down beer helps [2].")
    composed = compose_answer("What is gout?", "en", retriever.search("What is gout?"), retriever,
                              emergency_number="120", llm=llm)
    assert composed.generated and composed.text.startswith("Gout is caused")
    assert "Next steps:" in composed.text
    assert "ONLY the numbered passages" in llm.prompts[0][0].content


def test_generated_answer_with_a_dose_or_without_citations_falls_back(retriever):
    question = "What is gout?"
    for reply, reason in [("Take 500 mg of allopurinol daily [1].", "unsafe:dosing"),
                          ("Gout is a kind of arthritis.", "uncited")]:
        composed = compose_answer(question, "en", retriever.search(question), retriever, emergency_number="120",
                                  llm=ScriptedLLM(reply))
        assert composed.fell_back and composed.reason == reason and not composed.generated
        assert "[1]" in composed.text


def test_model_timeout_falls_back_to_the_knowledge_base(retriever):
    composed = compose_answer("What is gout?", "en", retriever.search("What is gout?"), retriever,
                              emergency_number="120", llm=ScriptedLLM(error="timeout"))
    assert composed.fell_back and composed.reason == "timeout" and composed.found


def test_state_round_trips_and_keeps_both_sides_of_each_turn(assistant):
    state = ConversationState(region="GB")
    result = assistant.respond(state, "What is asthma?")
    restored = ConversationState.from_json(result.state.to_json())
    assert [t.role for t in restored.turns] == ["user", "assistant"]
    assert restored.turns[1].sources and restored.language == "en"
    assert state.turns == []  # the caller's state is not modified


def test_empty_binary_and_huge_input_get_clear_answers(assistant):
    empty = assistant.respond(ConversationState(), "   ", "zh")
    assert empty.intent == "invalid_input" and "空" in empty.answer
    binary = assistant.respond(ConversationState(), "\x00\x01\x02PK\x03\x04" * 20)
    assert binary.intent == "invalid_input" and "file" in binary.answer
    huge = assistant.respond(ConversationState(), "What is asthma? " + "blah " * 5000)
    assert "only the first part" in huge.answer


def test_symptoms_start_a_triage_interview_that_an_emergency_interrupts(assistant):
    first = assistant.respond(ConversationState(), "I've had a sore throat and a blocked nose for two days.")
    assert first.intent == "symptoms"
    if first.options:  # the interview asks a question with answer buttons
        assert first.state.triage is not None
    second = assistant.respond(first.state, "Now my lips are swelling and my throat is closing up")
    assert second.emergency and second.state.triage is None


def test_a_failing_skill_gives_an_honest_answer_not_a_crash(retriever):
    from careguide.assistant import Assistant
    from careguide.llm import NoLLM

    def broken(text: str, lang: str):
        raise RuntimeError("database down")

    assistant = Assistant(llm=NoLLM(), retriever=retriever, records=broken)
    result = assistant.respond(ConversationState(), "What was my last HbA1c according to my record?")
    assert result.intent == "my_record" and "signed in" in result.answer
    assert [t.role for t in result.state.turns] == ["user", "assistant"]
