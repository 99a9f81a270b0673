"""careguide.triage: the symptom interview.

``start(profile, text) -> Step`` and ``answer(evidence, answer) -> Step`` are pure functions over the
knowledge base and the evidence carried in each step; ``check_back`` is the scheduled follow-up.
"""

from careguide.knowledge.schema import Disposition
from careguide.triage.emergency_numbers import emergency_number
from careguide.triage.engine import MAX_QUESTIONS, Answer, answer, check_back, start
from careguide.triage.models import Evidence, Outcome, Profile, Question, Step
from careguide.triage.router import DepartmentRouter

__all__ = ["MAX_QUESTIONS", "Answer", "DepartmentRouter", "Disposition", "Evidence", "Outcome", "Profile", "Question", "Step",
           "answer", "check_back", "emergency_number", "start"]
