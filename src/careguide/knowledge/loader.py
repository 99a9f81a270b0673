"""Load and cross-check the knowledge base; build the lexicons the skills match text with."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from careguide.knowledge.schema import Condition, Department, Finding, Protocol
from careguide.language import Lexicon

DATA_DIR = Path(__file__).parent / "data"
# libyaml parses the knowledge base about 20x faster than the pure-Python loader; same safe subset
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

M = TypeVar("M", bound=BaseModel)


class KnowledgeError(ValueError):
    """A knowledge file that does not validate, named with the file and the entry."""


def _load_list(paths: Iterable[Path], model: type[M]) -> list[M]:
    items: list[M] = []
    adapter = TypeAdapter(list[model])  # type: ignore[valid-type]
    for path in sorted(paths):
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or []
        try:
            items.extend(adapter.validate_python(raw))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = first["loc"]
            entry = raw[where[0]].get("id", where[0]) if where and isinstance(where[0], int) else "?"
            raise KnowledgeError(f"{path.name}: entry {entry!r}: {first['msg']} at {where}") from exc
    return items


def _index(items: list[M], kind: str) -> dict[str, M]:
    index: dict[str, M] = {}
    for item in items:
        key = item.id  # type: ignore[attr-defined]
        if key in index:
            raise KnowledgeError(f"duplicate {kind} id {key!r}")
        index[key] = item
    return index


class Knowledge:
    """The validated knowledge base: findings, protocols, conditions and departments by id."""

    def __init__(self, findings: list[Finding], protocols: list[Protocol], conditions: list[Condition],
                 departments: list[Department]):
        self.findings = _index(findings, "finding")
        self.protocols = _index(protocols, "protocol")
        self.conditions = _index(conditions, "condition")
        self.departments = _index(departments, "department")
        self._check_references()

    def _check_references(self) -> None:
        problems: list[str] = []

        def need(kind: str, key: str, table: dict[str, object], where: str) -> None:
            if key not in table:
                problems.append(f"{where}: unknown {kind} {key!r}")

        for f in self.findings.values():
            for key in f.implies:
                need("finding", key, self.findings, f"finding {f.id} implies")  # type: ignore[arg-type]
        for p in self.protocols.values():
            for key in p.triggers:
                need("finding", key, self.findings, f"protocol {p.id} trigger")  # type: ignore[arg-type]
            for key in p.departments:
                need("department", key, self.departments, f"protocol {p.id}")  # type: ignore[arg-type]
            for when, rid in [(r.when, r.id) for r in p.rules] + [(m.when, m.id) for m in p.modifiers]:
                for key in when.findings():
                    need("finding", key, self.findings, f"protocol {p.id} rule {rid}")  # type: ignore[arg-type]
            for rule in p.rules:
                for key in rule.departments:
                    need("department", key, self.departments, f"protocol {p.id} rule {rule.id}")  # type: ignore[arg-type]
        for c in self.conditions.values():
            for key in c.findings:
                need("finding", key, self.findings, f"condition {c.id}")  # type: ignore[arg-type]
            for key in c.departments:
                need("department", key, self.departments, f"condition {c.id}")  # type: ignore[arg-type]
        if problems:
            raise KnowledgeError("; ".join(problems))

    @cached_property
    def finding_lexicon(self) -> Lexicon:
        """Findings by their synonyms and names, both languages."""
        return Lexicon({
            f.id: {"en": [*f.synonyms.en, f.name.en.split(" (")[0]], "zh": [*f.synonyms.zh, f.name.zh.split("（")[0]]}
            for f in self.findings.values()
        })

    @cached_property
    def denial_lexicon(self) -> Lexicon:
        """Phrases that rule a finding out ("cried straight away" after a head knock: no loss of consciousness)."""
        return Lexicon({f.id: {"en": f.denials.en, "zh": f.denials.zh} for f in self.findings.values() if f.denials})

    @cached_property
    def condition_lexicon(self) -> Lexicon:
        """Conditions by the names people use for them."""
        entries = {}
        for c in self.conditions.values():
            en, zh = [c.name.en.split(" (")[0]], [c.name.zh.split("（")[0]]
            if c.synonyms:
                en, zh = [*en, *c.synonyms.en], [*zh, *c.synonyms.zh]
            entries[c.id] = {"en": en, "zh": zh}
        return Lexicon(entries)

    @cached_property
    def department_lexicon(self) -> Lexicon:
        """Department names and aliases (not the keywords)."""
        return Lexicon({
            d.id: {"en": [d.name.en, *d.aliases.en], "zh": [d.name.zh, *d.aliases.zh]} for d in self.departments.values()
        })

    @cached_property
    def keyword_lexicon(self) -> Lexicon:
        """Organ, disease and test words that point to departments; concept ids are ``kw:<n>``."""
        entries: dict[str, dict[str, list[str]]] = {}
        self.keyword_departments: dict[str, list[str]] = {}
        by_phrase: dict[tuple[str, str], list[str]] = {}
        for d in self.departments.values():
            for lang, words in (("en", d.keywords.en), ("zh", d.keywords.zh)):
                for word in words:
                    by_phrase.setdefault((lang, word), []).append(d.id)
        for n, ((lang, word), depts) in enumerate(by_phrase.items()):
            entries[f"kw:{n}"] = {lang: [word]}
            self.keyword_departments[f"kw:{n}"] = depts
        return Lexicon(entries)

    def department_by_name(self, name: str) -> str | None:
        """The department id for an id, an English or Chinese name or an alias ("心内科" -> cardiology)."""
        if name in self.departments:
            return name
        key = name.strip().lower()
        for d in self.departments.values():
            if key in (d.name.en.lower(), d.name.zh) or key in [a.lower() for a in d.aliases.en] or key in d.aliases.zh:
                return d.id
        return None


@lru_cache(maxsize=4)
def load_knowledge(data_dir: Path = DATA_DIR) -> Knowledge:
    """Parse, validate and cross-check every knowledge file under ``data_dir`` (cached)."""
    return Knowledge(
        findings=_load_list((data_dir / "findings").glob("*.yaml"), Finding),
        protocols=_load_list((data_dir / "protocols").glob("*.yaml"), Protocol),
        conditions=_load_list((data_dir / "conditions").glob("*.yaml"), Condition),
        departments=_load_list([data_dir / "departments.yaml"], Department),
    )
