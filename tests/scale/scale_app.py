"""The app the scale tests serve: careguide's, plus the booking router and the database-outage
handler where ``create_app`` does not register them yet (``uvicorn scale_app:create_app --factory``)."""

from __future__ import annotations

from typing import Any


def create_app() -> Any:
    from careguide.api import resilience
    from careguide.api.app import create_app as careguide_app

    app = careguide_app()
    from careguide.api.app import ROUTER_MODULES

    if "careguide.api.routers.booking" not in ROUTER_MODULES:
        from careguide.api.routers.booking import router

        app.include_router(router)
    resilience.install(app)  # idempotent when create_app installed it already
    return app
