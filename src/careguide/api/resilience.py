"""Database outages as retriable answers: 503 with Retry-After, never a bare 500.

When PostgreSQL restarts, fails over or runs out of connections, a request fails with a
driver error. That request's transaction was rolled back, so the honest answer is "nothing
was saved, try again shortly": status 503, a ``Retry-After`` header and a sentence in the
caller's language. The pool (``pool_pre_ping``) drops dead connections, so once the server
is back the next requests succeed without anyone restarting the API.

Register with ``resilience.install(app)`` in ``careguide.api.app.create_app``.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from careguide.api.errors import error_body

log = logging.getLogger("careguide.api")
RETRY_AFTER_SECONDS = 2


def is_retriable(exc: BaseException) -> bool:
    """A failure that says nothing about the request itself: lost connection, server restarting,
    pool exhausted, or a serialization failure/deadlock (psycopg reports those as OperationalError)."""
    if isinstance(exc, OperationalError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def install(app: FastAPI) -> None:
    async def database_unavailable(request: Request, exc: Exception) -> Response:
        if not is_retriable(exc):
            raise exc
        log.warning("database unavailable during %s %s: %s", request.method, request.url.path,
                    str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)
        response = error_body(request, 503, "resilience.database_unavailable", seconds=RETRY_AFTER_SECONDS)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    app.add_exception_handler(OperationalError, database_unavailable)
    app.add_exception_handler(PoolTimeout, database_unavailable)
    app.add_exception_handler(DBAPIError, database_unavailable)
