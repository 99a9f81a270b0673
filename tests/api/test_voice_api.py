"""A spoken turn over the API: English speech in, the assistant's checked answer and speech out."""

from __future__ import annotations

import base64

import pytest

from careguide.voice import capabilities, speak


@pytest.fixture(scope="module")
def english_question() -> bytes:
    if not capabilities("en").can_speak or not capabilities("en").can_listen:
        pytest.fail("the English voice engines ship with the package and must be available")
    return speak("How much sleep do adults need?", "en").wav


def test_spoken_question_is_answered_aloud(sqlite_client, english_question):
    from careguide import accounts
    from careguide.store.models import Role

    database = sqlite_client.app.state.database
    with database.session() as session:
        user = accounts.create_user(session, accounts.NewUser("voice1", "password-123", Role.PATIENT))
        headers = {"Authorization": f"Bearer {accounts.issue_token(session, user)}"}
    cid = sqlite_client.post("/api/v1/chat/conversations", json={}, headers=headers).json()["id"]
    reply = sqlite_client.post(f"/api/v1/voice/conversations/{cid}/turn", headers=headers,
                               files={"audio": ("q.wav", english_question, "audio/wav")}, data={"language": "en"})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    heard = set(body["transcript"].lower().replace("?", " ").split())
    assert len(heard & {"how", "much", "sleep", "do", "adults", "need"}) >= 4, body["transcript"]  # tiny.en: WER ~7%
    assert body["turn"]["answer"] and body["audio_wav_base64"]
    assert base64.b64decode(body["audio_wav_base64"])[:4] == b"RIFF"


def test_not_audio_gets_a_clear_message(sqlite_client):
    from careguide import accounts
    from careguide.store.models import Role

    database = sqlite_client.app.state.database
    with database.session() as session:
        user = accounts.create_user(session, accounts.NewUser("voice2", "password-123", Role.PATIENT))
        headers = {"Authorization": f"Bearer {accounts.issue_token(session, user)}"}
    cid = sqlite_client.post("/api/v1/chat/conversations", json={}, headers=headers).json()["id"]
    reply = sqlite_client.post(f"/api/v1/voice/conversations/{cid}/turn", headers=headers,
                               files={"audio": ("q.wav", b"this is not audio", "audio/wav")})
    assert reply.status_code == 422 and reply.json()["error"]["field"] == "audio"


def _patient(sqlite_client, username: str) -> dict[str, str]:
    from careguide import accounts
    from careguide.store.models import Role

    with sqlite_client.app.state.database.session() as session:
        user = accounts.create_user(session, accounts.NewUser(username, "password-123", Role.PATIENT))
        return {"Authorization": f"Bearer {accounts.issue_token(session, user)}"}


def _triage_question_pending(sqlite_client, headers: dict[str, str]) -> str:
    cid = sqlite_client.post("/api/v1/chat/conversations", json={}, headers=headers).json()["id"]
    typed = sqlite_client.post(f"/api/v1/chat/conversations/{cid}/messages", headers=headers,
                               json={"text": "I have had a headache since yesterday.", "lang": "en"}).json()
    assert {o["id"] for o in typed["options"]} >= {"yes", "no"}, typed
    return cid


def _say(sqlite_client, headers: dict[str, str], cid: str, text: str) -> dict:
    reply = sqlite_client.post(f"/api/v1/voice/conversations/{cid}/turn", headers=headers, data={"language": "en"},
                               files={"audio": ("a.wav", speak(text, "en").wav, "audio/wav")})
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_a_spoken_no_answers_the_pending_triage_question_like_its_button(sqlite_client):
    headers = _patient(sqlite_client, "voice3")
    cid = _triage_question_pending(sqlite_client, headers)
    body = _say(sqlite_client, headers, cid, "No, I haven't.")
    assert body["answered"] == "no"
    turns = sqlite_client.get(f"/api/v1/chat/conversations/{cid}", headers=headers).json()["turns"]
    assert turns[-2]["role"] == "user" and turns[-2]["text"] == "No"  # the option's label, as the button sends
    assert body["turn"]["answer"] and body["audio_wav_base64"]


def test_an_unclear_spoken_reply_is_not_taken_for_an_answer_and_the_question_is_asked_again(sqlite_client):
    headers = _patient(sqlite_client, "voice4")
    cid = _triage_question_pending(sqlite_client, headers)
    body = _say(sqlite_client, headers, cid, "The weather is lovely today.")
    assert body["answered"] is None
    assert {o["id"] for o in body["turn"]["options"]} >= {"yes", "no", "dont_know"}  # still waiting on the question


def _ten_minutes() -> bytes:
    import numpy as np

    from careguide.voice.audio import wav_bytes

    return wav_bytes(np.full(8_000 * 600, 0.01, dtype=np.float32), 8_000)


def _noise() -> bytes:
    import numpy as np

    from careguide.voice.audio import wav_bytes

    return wav_bytes(np.random.default_rng(3).normal(0, 0.2, 16_000 * 3).astype(np.float32), 16_000)


def _silence() -> bytes:
    import numpy as np

    from careguide.voice.audio import wav_bytes

    return wav_bytes(np.zeros(16_000 * 3, dtype=np.float32), 16_000)


@pytest.mark.parametrize(("make", "code"), [
    (_silence, "silence"), (_noise, "no_speech"), (_ten_minutes, "audio_too_long"),
    (lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "unsupported_format"),
])
def test_bad_recordings_get_a_clear_message_and_leave_the_conversation_as_it_was(sqlite_client, make, code):
    headers = _patient(sqlite_client, f"voicebad_{code}")
    cid = sqlite_client.post("/api/v1/chat/conversations", json={}, headers=headers).json()["id"]
    for lang, headers_lang in (("en", "en"), ("zh", "zh-CN")):
        reply = sqlite_client.post(f"/api/v1/voice/conversations/{cid}/turn",
                                   headers=headers | {"Accept-Language": headers_lang},
                                   files={"audio": ("turn.bin", make(), "application/octet-stream")},
                                   data={"language": lang})
        assert reply.status_code == 422, reply.text
        error = reply.json()["error"]
        assert error["code"] == code and error["field"] == "audio" and len(error["message"]) > 10
        assert any("\u4e00" <= c <= "\u9fff" for c in error["message"]) == (lang == "zh")  # the person's language
    assert sqlite_client.get(f"/api/v1/chat/conversations/{cid}", headers=headers).json()["turns"] == []
