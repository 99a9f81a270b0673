import yaml

from careguide.i18n import _LOCALES_DIR, LANGUAGES, catalog, from_accept_language, normalise_language, t


def test_every_catalog_key_has_every_language():
    missing = []
    for path in sorted(_LOCALES_DIR.glob("*.yaml")):
        for key, texts in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            for lang in LANGUAGES:
                if not isinstance(texts, dict) or not str(texts.get(lang) or "").strip():
                    missing.append(f"{path.name}:{key}:{lang}")
    assert missing == []
    assert catalog()


def test_unknown_language_falls_back_to_default():
    assert normalise_language("fr-FR") == "en"
    assert normalise_language("zh-Hans-CN") == "zh"
    assert t("common.app_name", "xx") == t("common.app_name", "en")


def test_accept_language_picks_highest_supported_weight():
    assert from_accept_language("fr;q=1.0, zh-CN;q=0.8, en;q=0.5") == "zh"
    assert from_accept_language("de, fr") is None
