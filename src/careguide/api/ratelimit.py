"""ASGI middleware: request rate limits per client address and per credential, answered with 429.

Every request counts against its client address (``per_client``); a request with a bearer token
or session cookie also counts against that credential (``per_credential``, a stand-in for the
user that needs no database read); unsafe requests to the costly routes (uploads and OCR, chat
turns, interviews, claim checks, registration) count against a tighter ``costly`` limit too.
Random credentials buy nothing: the address limit still applies. Behind a proxy, run uvicorn
with ``--proxy-headers --forwarded-allow-ips=<proxy>`` so the address is the client's.
"""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from careguide.api.errors import error_body
from careguide.privacy.ratelimit import Limit, RateLimiter

COSTLY_PREFIXES = ("/api/v1/reports", "/api/v1/records/import", "/api/v1/check", "/api/v1/chat", "/api/v1/triage",
                   "/api/v1/voice", "/api/v1/auth/register", "/api/v1/people")
EXEMPT_PREFIXES = ("/static/",)
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class RateLimit:
    def __init__(self, app: ASGIApp, limiter: RateLimiter, *, per_client: Limit, per_credential: Limit,
                 costly: Limit, costly_prefixes: tuple[str, ...] = COSTLY_PREFIXES) -> None:
        self.app = app
        self.limiter = limiter
        self.per_client = per_client
        self.per_credential = per_credential
        self.costly = costly
        self.costly_prefixes = costly_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        client = request.client.host if request.client else "unknown"
        credential = _credential(request)
        checks = [(client, self.per_client)]
        if credential:
            checks.append((credential, self.per_credential))
        if request.method in UNSAFE and path.startswith(self.costly_prefixes):
            checks.append((credential or client, self.costly))
        verdict = self.limiter.check(checks)
        if verdict.allowed:
            await self.app(scope, receive, send)
            return
        response = error_body(request, 429, "privacy_rights.rate_limited", seconds=verdict.retry_after_s)
        response.headers["Retry-After"] = str(verdict.retry_after_s)
        await response(scope, receive, send)


def _credential(request: Request) -> str:
    from careguide.api.deps import SESSION_COOKIE

    auth = request.headers.get("authorization", "")
    raw = auth[7:].strip() if auth.lower().startswith("bearer ") else request.cookies.get(SESSION_COOKIE, "")
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32] if raw else ""
