"""Chat over the API: emergencies first, refusals that help, sources, streaming, stored and encrypted."""

from __future__ import annotations

from sqlalchemy import text


def _conversation(client, headers):
    response = client.post("/api/v1/chat/conversations", json={}, headers=headers)
    assert response.status_code == 201
    return response.json()["id"]


def test_indirect_emergency_gets_the_emergency_number_first(client, people):
    _, headers = people.make("chat1")
    cid = _conversation(client, headers)
    reply = client.post(f"/api/v1/chat/conversations/{cid}/messages", headers=headers,
                        json={"text": "My dad suddenly can't lift his right arm and his words are slurred"}).json()
    assert reply["emergency"] is True and "120" in reply["answer"]


def test_dose_request_is_refused_helpfully_in_chinese(client, people):
    _, headers = people.make("chat2")
    cid = _conversation(client, headers)
    reply = client.post(f"/api/v1/chat/conversations/{cid}/messages", headers=headers,
                        json={"text": "我血压高，降压药应该吃几片？"}).json()
    assert reply["refused"] is True and reply["language"] == "zh"


def test_health_question_is_answered_with_sources_and_history_is_kept(client, people):
    _, headers = people.make("chat3")
    cid = _conversation(client, headers)
    reply = client.post(f"/api/v1/chat/conversations/{cid}/messages", headers=headers,
                        json={"text": "How much sleep do adults need?"}).json()
    assert reply["sources"] and reply["answer"]
    history = client.get(f"/api/v1/chat/conversations/{cid}", headers=headers).json()
    assert [t["role"] for t in history["turns"]] == ["user", "assistant"]


def test_streaming_reply_is_server_sent_events(client, people):
    _, headers = people.make("chat4")
    cid = _conversation(client, headers)
    with client.stream("POST", f"/api/v1/chat/conversations/{cid}/messages",
                       headers=headers | {"Accept": "text/event-stream"},
                       json={"text": "How can I lower my blood pressure without medicine?"}) as response:
        body = "".join(response.iter_text())
    assert response.headers["content-type"].startswith("text/event-stream")
    assert "event: chunk" in body and body.rstrip().split("\n")[-2] == "event: done"


def test_someone_else_cannot_read_or_write_my_conversation(client, people):
    _, mine = people.make("chat5")
    _, theirs = people.make("chat6")
    cid = _conversation(client, mine)
    assert client.get(f"/api/v1/chat/conversations/{cid}", headers=theirs).status_code == 403
    assert client.post(f"/api/v1/chat/conversations/{cid}/messages", headers=theirs,
                       json={"text": "hello"}).status_code == 403


def test_conversation_text_is_not_stored_in_clear(client, people, database):
    _, headers = people.make("chat7")
    cid = _conversation(client, headers)
    client.post(f"/api/v1/chat/conversations/{cid}/messages", headers=headers,
                json={"text": "I have been feeling very dizzy since Tuesday"})
    with database.engine.connect() as connection:
        raw = connection.execute(text("SELECT state FROM conversations WHERE id = :id"), {"id": cid}).scalar_one()
    assert b"dizzy" not in bytes(raw)


def test_empty_message_gets_a_clear_answer_and_nothing_is_lost(client, people):
    _, headers = people.make("chat8")
    cid = _conversation(client, headers)
    reply = client.post(f"/api/v1/chat/conversations/{cid}/messages", headers=headers, json={"text": "   "})
    assert reply.status_code == 200 and reply.json()["answer"]


def test_conversations_past_retention_are_purged(client, people, database):
    from datetime import timedelta

    from careguide.assistant.conversations import purge_expired
    from careguide.store.base import utcnow
    from careguide.store.conversations import Conversation

    _, headers = people.make("chat9")
    old, new = _conversation(client, headers), _conversation(client, headers)
    with database.session() as session:
        session.get(Conversation, old).updated_at = utcnow() - timedelta(days=400)
    with database.session() as session:
        assert purge_expired(session, 365) == 1
    assert client.get(f"/api/v1/chat/conversations/{old}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/chat/conversations/{new}", headers=headers).status_code == 200
