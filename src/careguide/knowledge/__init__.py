"""careguide.knowledge: the clinical knowledge base (YAML validated by pydantic) and its loader.

Triage knowledge lives here: findings (symptoms, signs, measurements, risk factors), chief-complaint
protocols, conditions with ICD-10 codes, and the department taxonomy.
"""

from careguide.knowledge.loader import DATA_DIR, Knowledge, KnowledgeError, load_knowledge
from careguide.knowledge.schema import (
    Advice,
    Bilingual,
    Condition,
    Criteria,
    Department,
    Disposition,
    Finding,
    Modifier,
    Protocol,
    Rule,
)

__all__ = [
    "DATA_DIR", "Advice", "Bilingual", "Condition", "Criteria", "Department", "Disposition", "Finding",
    "Knowledge", "KnowledgeError", "Modifier", "Protocol", "Rule", "load_knowledge",
]
