"""The frame of a question ("在家怎么处理", "what should I do at home") must not outrank its topic:
the answer leads with the article about the topic, in both languages."""

import pytest

from careguide.assistant import ConversationState


@pytest.mark.parametrize(("text", "lang", "topic_word"), [
    ("晒伤了在家怎么处理", "zh", "晒伤"),
    ("What should I do at home for a sunburn?", "en", "sunburn"),
    ("烫伤以后在家怎么处理", "zh", "烫伤"),
    ("How do I deal with a minor burn on my hand at home?", "en", "burn"),
])
def test_the_topic_leads_the_answer_not_the_frame(assistant, text, lang, topic_word):
    result = assistant.respond(ConversationState(region="CN"), text, lang)
    assert result.sources, result.answer
    lead = result.sources[0]
    assert topic_word in (lead.get("title") or "").lower() or topic_word in result.answer.split("[1]")[0].lower(), (
        lead, result.answer[:200])
