"""The voice page: one large button where an engine listens; a plain message and typing where none does."""

from __future__ import annotations

import pytest

from careguide.voice.engines import reset_engines
from careguide.voice.settings import get_voice_settings


def _signed_in(sqlite_client, username: str, language: str) -> dict[str, str]:
    from careguide import accounts
    from careguide.store.models import Role

    with sqlite_client.app.state.database.session() as session:
        user = accounts.create_user(session, accounts.NewUser(username, "password-123", Role.PATIENT,
                                                              language=language))
        return {"Authorization": f"Bearer {accounts.issue_token(session, user)}"}


@pytest.fixture
def no_chinese_recogniser(monkeypatch, tmp_path):
    """A deployment whose configured Chinese model is not there (a real setting, not a stub)."""
    monkeypatch.setenv("CAREGUIDE_VOICE_STT_MODEL_ZH", str(tmp_path / "missing-whisper-model"))
    get_voice_settings.cache_clear()
    reset_engines()
    yield
    monkeypatch.undo()
    get_voice_settings.cache_clear()
    reset_engines()


def test_the_page_has_one_large_talk_button_and_bilingual_words(sqlite_client):
    for language, words in (("en", "Press to talk"), ("zh", "按下说话")):
        page = sqlite_client.get("/voice", headers=_signed_in(sqlite_client, f"voicepage_{language}", language))
        assert page.status_code == 200
        assert page.text.count('class="talk"') == 1 and words in page.text
        assert 'src="/static/voice.js"' in page.text and "<script>" not in page.text  # CSP: no inline script


def test_without_a_chinese_recogniser_the_page_says_so_and_offers_typing(sqlite_client, no_chinese_recogniser):
    page = sqlite_client.get("/voice", headers=_signed_in(sqlite_client, "voicepage_nozh", "zh"))
    assert page.status_code == 200
    assert 'id="talk"' not in page.text
    assert "本服务暂时不能识别这种语言的语音，请改用打字输入。" in page.text
    assert 'id="voice-type-form"' in page.text
    english = sqlite_client.get("/voice", headers=_signed_in(sqlite_client, "voicepage_en_ok", "en"))
    assert 'id="talk"' in english.text  # English still listens


def test_the_page_asks_to_sign_in_first(sqlite_client):
    assert sqlite_client.get("/voice", follow_redirects=False).headers["location"] == "/login"
