"""Bad input gets a clear, localised error and writes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from careguide.store.models import User


def _users(database):
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(User))


def test_body_over_the_limit_gets_413_and_writes_nothing(client, database):
    before = _users(database)
    big = b'{"username": "' + b"a" * 2_000_000 + b'"}'
    response = client.post("/api/v1/auth/register", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"
    assert _users(database) == before


def test_streamed_body_without_length_over_the_limit_gets_413(client):
    def chunks():
        for _ in range(40):
            yield b"x" * 50_000

    response = client.post("/api/v1/auth/register", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_malformed_json_gets_422(client, database):
    before = _users(database)
    response = client.post("/api/v1/auth/register", content=b'{"username": "al', headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "malformed_json"
    assert _users(database) == before


def test_invalid_field_gets_422_naming_the_field(client):
    response = client.post("/api/v1/auth/register", json={"username": "valid_name", "password": "password-123",
                                                           "birth_date": "not-a-date"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "birth_date"


def test_error_message_follows_accept_language(client):
    zh = client.post("/api/v1/auth/register", json={"username": "x"}, headers={"accept-language": "zh-CN,zh;q=0.9"})
    en = client.post("/api/v1/auth/register", json={"username": "x"}, headers={"accept-language": "en-GB"})
    assert "请检查" in zh.json()["error"]["message"]
    assert "Please check" in en.json()["error"]["message"]


def test_unknown_language_falls_back_to_the_default(client):
    response = client.post("/api/v1/auth/register?lang=xx", json={"username": "x"}, headers={"accept-language": "fr"})
    assert "Please check" in response.json()["error"]["message"]  # tests run with default_language=en


def test_weak_password_is_refused_in_the_users_language(client, database):
    before = _users(database)
    response = client.post("/api/v1/auth/register?lang=zh", json={"username": "weakling", "password": "123"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "password" and "密码" in response.json()["error"]["message"]
    assert _users(database) == before
