"""Errors as JSON: a code, a message in the caller's language, and the offending field."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from careguide.i18n import t

log = logging.getLogger("careguide.api")


class ApiError(Exception):
    """An error a route raises; ``key`` is a catalog key, ``params`` fill its placeholders."""

    def __init__(self, status: int, key: str, field: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.field = field
        self.params = params


def error_body(request: Request, status: int, key: str, field: str | None = None, **params: object) -> JSONResponse:
    from careguide.api.deps import resolve_language

    lang = resolve_language(request)
    return JSONResponse(
        status_code=status,
        content={"error": {"code": key.split(".")[-1], "message": t(key, lang, **params), "field": field}},
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return error_body(request, exc.status, exc.key, exc.field, **exc.params)

    from careguide.api.middleware import RequestTooLarge
    from careguide.privacy.consent import AccessDenied

    @app.exception_handler(AccessDenied)
    async def access_denied(request: Request, exc: AccessDenied) -> Response:
        # The refusal is already audited by require_access; a missing person reads as not found.
        return error_body(request, 404 if exc.decision.reason == "not_found" else 403,
                          "api.not_found" if exc.decision.reason == "not_found" else "api.forbidden")

    @app.exception_handler(RequestTooLarge)
    async def too_large(request: Request, exc: RequestTooLarge) -> Response:
        return error_body(request, 413, "api.request_too_large", limit=exc.limit)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        from careguide.api.deps import resolve_language

        lang = resolve_language(request)
        first = exc.errors()[0] if exc.errors() else {}
        loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
        field = ".".join(loc) or None
        if first.get("type") == "json_invalid":
            return error_body(request, 422, "api.malformed_json", "body")
        if first.get("type") == "missing":
            problem = t("api.field_required", lang)
        else:
            problem = t("api.field_invalid", lang, detail=str(first.get("msg", "")))
        return error_body(request, 422, "api.invalid_input", field, name=field or "body", problem=problem)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # FastAPI reports any failure while reading the body as 400; the cause tells a too-large body.
        if isinstance(exc.__cause__, RequestTooLarge):
            return error_body(request, 413, "api.request_too_large", limit=exc.__cause__.limit)
        key = {400: "api.bad_request", 404: "api.not_found", 405: "api.method_not_allowed",
               401: "api.not_authenticated"}.get(
            exc.status_code, "api.server_error"
        )
        return error_body(request, exc.status_code, key)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_body(request, 500, "api.server_error")

