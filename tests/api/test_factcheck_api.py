"""The claim-check endpoint: verdicts with highlighted phrases, clear errors, nothing stored."""

from __future__ import annotations


def test_stop_insulin_advert_is_misleading_with_spans(client):
    text = "This herbal tea cures diabetes for good - you can stop insulin, no side effects!"
    body = client.post("/api/v1/check", json={"text": text}).json()
    assert body["verdict"] == "misleading"
    for span in body["highlights"]:
        assert text[span["start"]:span["end"]] == span["text"]


def test_empty_text_is_422_in_the_callers_language(client):
    response = client.post("/api/v1/check?lang=zh", json={"text": "   "})
    assert response.status_code == 422 and response.json()["error"]["field"] == "text"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["error"]["message"])


def test_unsupported_language_is_refused_clearly(client):
    response = client.post("/api/v1/check", json={"text": "Этот чай лечит диабет навсегда, бросьте инсулин."})
    assert response.status_code == 422
