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


def test_a_photo_without_text_gets_a_clear_message(client):
    import io

    from PIL import Image

    blank = io.BytesIO()
    Image.new("RGB", (320, 200), "white").save(blank, format="PNG")
    response = client.post("/api/v1/check/image?lang=en", files={"image": ("ad.png", blank.getvalue(), "image/png")})
    assert response.status_code == 422 and response.json()["error"]["field"] == "image"


def test_something_that_is_not_an_image_is_refused(client):
    response = client.post("/api/v1/check/image", files={"image": ("ad.png", b"not an image at all", "image/png")})
    assert response.status_code == 422
