"""Department choice from free text alone (no interview): knowledge signals, optionally blended with
a small learned character n-gram model.

The knowledge ranking covers all 41 departments of the taxonomy; the learned model only knows the
departments in its training data, so it re-weights the knowledge ranking rather than replacing it.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from careguide.knowledge import Knowledge
from careguide.language import normalise
from careguide.triage.departments import DepartmentSignals, rank_departments
from careguide.triage.understand import understand


def split_of(key: str) -> str:
    """A fixed 50/50 train/test split by hash of the id, so figures are reproducible."""
    return "train" if int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == 0 else "test"


def _ngrams(text: str) -> list[str]:
    norm = normalise(text)
    chars = [c for c in norm if not c.isspace()]
    grams = ["".join(chars[i:i + 2]) for i in range(len(chars) - 1)]
    grams += ["".join(chars[i:i + 3]) for i in range(len(chars) - 2)]
    return grams


class NgramDepartmentModel:
    """Multinomial naive Bayes over character bigrams and trigrams."""

    def __init__(self, counts: dict[str, Counter[str]], priors: Counter[str]):
        self.counts = counts
        self.priors = priors
        self.totals = {d: sum(c.values()) for d, c in counts.items()}
        self.vocabulary = len({g for c in counts.values() for g in c})

    @classmethod
    def train(cls, examples: Iterable[tuple[str, list[str]]]) -> NgramDepartmentModel:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        priors: Counter[str] = Counter()
        for text, departments in examples:
            grams = _ngrams(text)
            for dept in departments:
                counts[dept].update(grams)
                priors[dept] += 1
        return cls(dict(counts), priors)

    def probabilities(self, text: str) -> dict[str, float]:
        grams = _ngrams(text)
        total_docs = sum(self.priors.values())
        logs = {}
        for dept, counter in self.counts.items():
            denom = self.totals[dept] + self.vocabulary
            logs[dept] = math.log(self.priors[dept] / total_docs) + sum(
                math.log((counter.get(g, 0) + 1) / denom) for g in grams)
        if not logs:
            return {}
        top = max(logs.values())
        weights = {d: math.exp((v - top) / max(len(grams), 1) * 8) for d, v in logs.items()}
        total = sum(weights.values())
        return {d: w / total for d, w in weights.items()}


class DepartmentRouter:
    """Rank departments for a free-text question."""

    def __init__(self, knowledge: Knowledge, model: NgramDepartmentModel | None = None, model_weight: float = 0.5):
        self.kb = knowledge
        self.model = model
        self.model_weight = model_weight

    def rank(self, text: str, age_years: float | None = None, sex: str | None = None) -> list[tuple[str, float]]:
        kb = self.kb
        read = understand(kb, text)
        present = {f for f, s in read.findings.items() if s == "present"}
        protocols = [p.id for p in kb.protocols.values() if present & set(p.triggers)]
        signals = DepartmentSignals(
            findings=dict(read.findings), conditions_named=read.conditions,
            departments_named=read.departments_named, keyword_departments=read.keyword_departments,
            protocols=protocols, age_years=age_years if age_years is not None else read.age_years,
            sex=sex or read.sex,
        )
        ranked, _ = rank_departments(kb, signals)
        if self.model is None:
            return ranked
        learned = self.model.probabilities(text)
        blended = {d: (1 - self.model_weight) * s for d, s in ranked}
        for dept, p in learned.items():
            blended[dept] = blended.get(dept, 0.0) + self.model_weight * p
        return sorted(blended.items(), key=lambda ds: -ds[1])
