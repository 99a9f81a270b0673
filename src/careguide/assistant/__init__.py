"""careguide.assistant: the one door a person talks to.

- :class:`Assistant` - ``respond(state, text, lang) -> TurnResult``
- :class:`ConversationState` - serialisable conversation state
- :func:`screen`, :func:`check_output` - the safety layer (input and output)
- :func:`route` - one intent per turn
- :class:`Retriever`, :func:`compose_answer` - grounded answers with citations
"""

from careguide.assistant.assistant import Assistant, TurnResult
from careguide.assistant.composer import ComposedAnswer, compose_answer, grounded_sentences
from careguide.assistant.retrieval import Retriever
from careguide.assistant.router import Route, route
from careguide.assistant.safety import SafetyScreen, check_output, safety_answer, screen
from careguide.assistant.state import ConversationState, Turn

__all__ = ["Assistant", "ComposedAnswer", "ConversationState", "Retriever", "Route", "SafetyScreen", "Turn",
           "TurnResult", "check_output", "compose_answer", "grounded_sentences", "route", "safety_answer", "screen"]
