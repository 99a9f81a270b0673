"""The health-article knowledge base: coverage, both languages, sources, no doses."""

import yaml

from careguide.assistant import check_output
from careguide.assistant.retrieval import EMBEDDINGS_FILE
from careguide.knowledge.articles import ARTICLES_DIR, content_hash, load_articles, passages


def test_at_least_150_topics_in_both_languages_with_sources():
    articles = load_articles()
    assert len(articles) >= 150
    categories = {a.category for a in articles}
    assert {"condition", "test", "medicine_class", "prevention", "self_management"} <= categories
    for article in articles:
        assert article.summary.en.strip() and article.summary.zh.strip()
        assert article.sources


def test_departments_are_ids_of_the_shared_taxonomy():
    departments = {d["id"] for d in yaml.safe_load((ARTICLES_DIR.parent / "departments.yaml").read_text("utf-8"))}
    unknown = {a.id: a.department for a in load_articles() if a.department and a.department not in departments}
    assert unknown == {}


def test_no_passage_gives_a_dose_or_states_a_diagnosis():
    bad = []
    for passage in passages():
        for lang in ("en", "zh"):
            check = check_output(passage.text.get(lang), lang, require_next_steps=False)
            if not check.ok:
                bad.append((passage.id, lang, check.violations))
    assert bad == []


def test_shipped_embeddings_match_the_articles():
    import json

    payload = json.loads(EMBEDDINGS_FILE.read_text("utf-8"))
    assert payload["hash"] == content_hash(), "run: python -m careguide.assistant.retrieval"
