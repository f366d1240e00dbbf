"""The FastAPI application: thin routes over :mod:`matching` and storage."""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import sessionmaker

from api import errors
from api.deps import IndexHolder, reject_unknown_query
from api.ratelimit import RateLimiter
from api.routes import admin, employers, jobseekers, matching
from api.settings import Settings, get_settings
from api.storage.engine import make_engine
from api.storage.migrate import upgrade
from matching.rules import default_ruleset

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    app = FastAPI(
        title="Täsmä",
        version="0.1.0",
        description="Matches jobseekers with partial work ability to tasks carved out of "
        "employers' jobs, with explanations. Every match is stored with the rule-set version "
        "that produced it; every access to a person's data is audited.",
        responses=errors.ERROR_RESPONSES,
        dependencies=[Depends(reject_unknown_query)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessionmaker(engine, expire_on_commit=False)
    app.state.index = IndexHolder(engine, default_ruleset())
    errors.install(app)

    limiter = RateLimiter(settings.rate_limit_per_minute)

    @app.middleware("http")
    async def limit_rate(request: Request, call_next):  # noqa: ANN001, ANN202
        # Per bearer token (its last characters suffice), else per client address.
        token = request.headers.get("authorization", "")[-16:]
        client = token or (request.client.host if request.client else "unknown")
        wait = limiter.retry_after(client)
        if wait:
            return JSONResponse(
                {
                    "error": "too_many_requests",
                    "message": f"more than {settings.rate_limit_per_minute} "
                    "requests a minute; retry later",
                },
                status_code=429,
                headers={"Retry-After": str(wait)},
            )
        return await call_next(request)

    @app.middleware("http")
    async def limit_body(request: Request, call_next):  # noqa: ANN001, ANN202
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            return JSONResponse(
                {"error": "too_large", "message": "request body too large"}, status_code=413
            )
        return await call_next(request)

    for module in (admin, jobseekers, employers, matching):
        app.include_router(module.router)
    logging.getLogger("tasma.api").info("Täsmä API on %s", settings.database_url.split("@")[-1])
    return app
