"""The claim catalogue is data: it must load, be bilingual, cite its rules, and its own examples must trigger it."""

import json
from pathlib import Path

import pytest

from careguide.factcheck import check_text
from careguide.knowledge.claims import ClaimsDataError, load_claims

TAXONOMY = Path(__file__).resolve().parents[3] / "shared" / "evals" / "factcheck" / "zh_ad_law_violation_taxonomy.json"
CATALOGUE = load_claims()


def test_catalogue_has_at_least_forty_patterns_each_with_reason_advice_and_basis():
    assert len(CATALOGUE.patterns) >= 40
    for pattern in CATALOGUE.patterns:
        assert pattern.reason.en and pattern.reason.zh and pattern.advice.en and pattern.advice.zh
        assert pattern.basis and all(b.rule.en and b.rule.zh for b in pattern.basis)


def test_issue_patterns_are_all_in_the_catalogue():
    ids = {p.id for p in CATALOGUE.patterns}
    required = {"guaranteed_cure", "cure_rate", "no_side_effects", "replaces_medicine", "stop_medication",
                "secret_ingredient", "miracle_product", "supplement_treats_disease", "fake_authority", "testimonial",
                "urgency", "scarcity", "free_gift", "free_lecture_elderly", "conspiracy_doctors", "cancer_cure",
                "detox", "stop_insulin", "unapproved_drug", "unapproved_device"}
    assert required <= ids


@pytest.mark.parametrize("pattern", CATALOGUE.patterns, ids=lambda p: p.id)
def test_every_example_of_a_pattern_triggers_that_pattern(pattern):
    for lang in ("en", "zh"):
        for example in pattern.examples.get(lang):
            found = [hit.id for hit in check_text(example).patterns]
            assert pattern.id in found, f"{lang}: {example!r} found {found}"


def test_evidence_statements_are_sourced_and_cover_every_stance():
    assert len(CATALOGUE.evidence) >= 30
    assert {e.stance for e in CATALOGUE.evidence} == {"supported", "refuted", "unproven", "mixed"}
    assert all(e.sources and e.summary.zh and e.summary.en for e in CATALOGUE.evidence)


@pytest.mark.skipif(not TAXONOMY.exists(), reason="shared advert-law taxonomy not present")
def test_cited_ad_law_codes_exist_in_the_public_taxonomy():
    def codes(nodes):
        for node in nodes:
            yield node["fcode"]
            yield from codes(node.get("children") or [])

    known = set(codes(json.loads(TAXONOMY.read_text(encoding="utf-8"))))
    cited = {code for p in CATALOGUE.patterns for b in p.basis for code in b.ad_law_codes}
    assert cited and cited <= known, sorted(cited - known)


def test_a_bad_regex_is_reported_with_the_pattern_id(tmp_path):
    source = (Path(load_claims.__code__.co_filename).parent / "data" / "claims")
    for path in source.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "patterns_dangerous.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("'停(?:掉|了)", "'停(?:掉|了", 1), encoding="utf-8")
    with pytest.raises(ClaimsDataError, match="stop_medication"):
        load_claims(tmp_path)
