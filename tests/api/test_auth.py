"""Log-in, tokens, throttling, sessions and CSRF."""

from __future__ import annotations


def _register(client, username="carol", password="carol-pass-1"):
    assert client.post("/api/v1/auth/register", json={"username": username, "password": password}).status_code == 201


def test_token_login_and_me(client):
    _register(client)
    token = client.post("/api/v1/auth/token", json={"username": "carol", "password": "carol-pass-1"}).json()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.json()["username"] == "carol"


def test_wrong_password_is_401_and_repeated_failures_are_throttled(client):
    _register(client)
    codes = [client.post("/api/v1/auth/token", json={"username": "carol", "password": "wrong-pass-1"}).status_code
             for _ in range(5)]
    assert codes == [401] * 5
    locked = client.post("/api/v1/auth/token", json={"username": "carol", "password": "carol-pass-1"})
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "login_throttled"


def test_duplicate_username_is_refused(client):
    _register(client)
    again = client.post("/api/v1/auth/register", json={"username": "CAROL", "password": "other-pass-1"})
    assert again.status_code == 422 and again.json()["error"]["code"] == "username_taken"


def _web_login(client, username="carol", password="carol-pass-1"):
    page = client.get("/login")
    token = page.text.split('id="login-form"')[1].split('name="csrf_token" value="')[1].split('"')[0]
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       follow_redirects=False)


def test_web_login_sets_a_secure_http_only_cookie(client):
    _register(client)
    response = _web_login(client)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "cg_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_login_form_without_csrf_token_is_refused(client):
    _register(client)
    client.get("/login")
    response = client.post("/login", data={"username": "carol", "password": "carol-pass-1", "csrf_token": "forged"})
    assert response.status_code == 403


def test_cookie_session_needs_csrf_header_for_writes(client):
    _register(client)
    _web_login(client)
    assert client.get("/api/v1/me").status_code == 200
    assert client.patch("/api/v1/me", json={"senior_mode": True}).status_code == 403
    home = client.get("/")
    csrf = home.text.split('name="csrf_token" value="')[1].split('"')[0]
    ok = client.patch("/api/v1/me", json={"senior_mode": True}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200 and ok.json()["senior_mode"] is True


def test_logout_revokes_the_session(client):
    _register(client)
    _web_login(client)
    home = client.get("/")
    csrf = home.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/logout", data={"csrf_token": csrf})
    assert client.get("/api/v1/me").status_code == 401


def test_probes_answer(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["status"] == "ready"


def test_pages_carry_a_strict_content_security_policy(client):
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
