"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

router = APIRouter(tags=["system"])


@router.get("/healthz")
def liveness() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readiness(request: Request) -> JSONResponse:
    try:
        with request.app.state.database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # the probe reports any database failure as not ready
        return JSONResponse(status_code=503, content={"status": "unavailable", "database": type(exc).__name__})
    return JSONResponse({"status": "ready", "database": "ok"})
