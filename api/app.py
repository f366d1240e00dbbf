"""The FastAPI application, the composition root: it builds the engine, the match index and
the lanes, and puts each domain's API routes and web pages together with the HTTP plumbing
(:mod:`api.http`). Nothing but the CLI's ``serve`` (and the tests) imports it."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import sessionmaker

from api.auth import pages as auth_pages
from api.auth import routes as auth_routes
from api.auth.login_throttle import LoginThrottle
from api.core.settings import Settings, get_settings
from api.employers import network_routes
from api.employers import pages as employers_pages
from api.employers import routes as employers_routes
from api.events import pages as events_pages
from api.events import routes as events_routes
from api.http import errors, pages
from api.http.csrf import CsrfError, csrf_key
from api.http.deps import IndexHolder, reject_unknown_query
from api.http.headers import SecurityHeaders
from api.http.lanes import Lane
from api.http.logs import AccessLog
from api.http.ratelimit import RateLimiter, RequestGuard
from api.jobs.model_store import load_active_reranker
from api.jobs.run_store import BatchRuns
from api.market import pages as market_pages
from api.market import routes as market_routes
from api.market.schedule import BatchSchedule
from api.people import contact_pages, import_pages, intake_pages, plan_pages, referral_pages
from api.people import pages as people_pages
from api.people import routes as people_routes
from api.proposals import follow_up_routes
from api.proposals import pages as proposals_pages
from api.proposals import routes as proposals_routes
from api.reports import pages as reports_pages
from api.reports import routes as reports_routes
from api.rulesets import pages as rulesets_pages
from api.rulesets import routes as rulesets_routes
from api.storage.backup import serving
from api.storage.engine import make_engine, transaction
from api.storage.files import keep_private, secure_folder
from api.storage.migrate import upgrade
from api.storage.rulesets import ensure_default
from api.suggestions import pages as suggestions_pages
from api.suggestions import routes as suggestions_routes
from features.supports import load_supports
from matching.rules import default_ruleset

__all__ = ["create_app"]

API_ROUTERS = (
    auth_routes.router,
    proposals_routes.router,
    auth_routes.audit,
    people_routes.router,
    employers_routes.router,
    suggestions_routes.router,
    rulesets_routes.router,
    network_routes.router,
    follow_up_routes.router,
    market_routes.router,
    rulesets_routes.evaluations,
    employers_routes.tasks_router,
    reports_routes.router,
    events_routes.router,
)
"""The API's routers, each domain's, in the order their routes are matched."""
PAGES = (
    auth_pages,
    intake_pages,  # /ui/jobseekers/new and /import before /ui/jobseekers/{id}
    import_pages,
    people_pages,
    contact_pages,
    referral_pages,
    plan_pages,
    proposals_pages,
    suggestions_pages,
    rulesets_pages,
    employers_pages,
    market_pages,
    reports_pages,
    events_pages,
)
"""Each domain's web pages (an ``APIRouter`` under ``/ui`` each, CSRF-checked)."""
"""Failed log-ins a minute from one address before it must wait."""


def _lifespan(threads: int, warm: bool):  # noqa: ANN202
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Few worker threads: the routes are CPU-bound under the GIL, and dozens of threads
        # contending for it serve fewer requests a second, each more slowly, than a few.
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        # Marked as served while it runs: `tasma restore` refuses to replace the database.
        with serving(app.state.engine):
            if warm:  # ready means ready: the first match does not wait for the index
                await anyio.to_thread.run_sync(_warm, app)
            schedule = None
            if app.state.settings.batch_nightly_at:
                state = app.state
                schedule = BatchSchedule(
                    state.settings, state.sessions, state.index, state.batch_runs
                )
                schedule.start()
            yield
            if schedule is not None:
                schedule.stop()

    return lifespan


def _warm(app: FastAPI) -> None:
    with app.state.sessions() as session:
        started = time.perf_counter()
        index = app.state.index.get(session)
        session.rollback()
    logging.getLogger("tasma.index").info(
        "match index ready: %d people, %d tasks in %.1f s",
        len(index.people.ids),
        len(index.tasks.ids),
        time.perf_counter() - started,
    )


def _to_the_ui() -> RedirectResponse:
    return RedirectResponse("/ui/", status_code=307)


def _offline_docs(app: FastAPI) -> None:
    """Swagger UI at /docs and ReDoc at /redoc, their scripts from /static/docs/."""

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Täsmä – API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon-32x32.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title="Täsmä – API",
            redoc_js_url="/static/docs/redoc.standalone.js",
            redoc_favicon_url="/static/docs/favicon-32x32.png",
            with_google_fonts=False,
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    keep_private()
    for folder in {settings.data_dir, settings.batch_folder()}:
        if repaired := secure_folder(folder):
            logging.getLogger("tasma.api").warning(
                "made owner-only in %s (others could read them): %s", folder, ", ".join(repaired)
            )
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with transaction(engine) as session:
        ensure_default(session)
    app = FastAPI(
        title="Täsmä",
        version="0.1.0",
        description="Matches jobseekers with partial work ability to tasks carved out of "
        "employers' jobs, with explanations. Every match is stored with the rule-set version "
        "that produced it; every access to a person's data is audited.",
        responses=errors.ERROR_RESPONSES,
        dependencies=[Depends(reject_unknown_query)],
        lifespan=_lifespan(settings.worker_threads, settings.warm_index),
        # Served below from the package's own copies: a municipality's network often has no
        # way out to a CDN, and the documentation must not go blank there.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessionmaker(engine, expire_on_commit=False)
    app.state.index = IndexHolder(engine, default_ruleset(), settings.index_snapshots())
    app.state.reranker = load_active_reranker(settings.models_dir)
    app.state.batch_runs = BatchRuns(settings.batch_folder())
    app.state.supports = load_supports(settings.supports_file)
    errors.install(app, browser_page=pages.error_page)

    # Each worker process keeps its own windows; the kernel spreads connections over the
    # workers, so each enforces its share of a limit.
    share = -(-settings.rate_limit_per_minute // settings.workers)
    app.state.user_limiter = RateLimiter(share)
    app.state.heavy_lane = Lane()  # evaluations and training, one at a time
    app.state.market_lane = Lane()  # what-ifs and hand-over options, one at a time
    app.state.health_limiter = anyio.CapacityLimiter(2)
    app.add_middleware(RequestGuard, limiter=RateLimiter(share),
                       max_body_bytes=settings.max_body_bytes,
                       max_in_flight=settings.max_concurrent_requests,
                       body_seconds=settings.body_seconds)  # fmt: skip
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog, enabled=settings.access_log)

    for router in API_ROUTERS:
        app.include_router(router)
    for domain in PAGES:  # each domain's web pages, under /ui
        app.include_router(domain.router)
    # The service's own address leads a browser to the web UI (the API lives at its paths).
    app.add_api_route("/", _to_the_ui, include_in_schema=False)
    app.add_exception_handler(pages.LoginRequiredError, pages.login_redirect)  # type: ignore[arg-type]
    app.add_exception_handler(CsrfError, pages.csrf_refused)  # type: ignore[arg-type]
    app.state.csrf_key = csrf_key(settings, engine)
    # Its own key, derived under a label, so no hash it makes can pass as a CSRF signature.
    app.state.login_throttle = LoginThrottle(
        hmac.new(app.state.csrf_key, b"tasma: login attempts", hashlib.sha256).digest()
    )
    app.mount(
        "/static", StaticFiles(directory=Path(pages.__file__).parent / "static"), name="static"
    )
    _offline_docs(app)
    logging.getLogger("tasma.api").info("Täsmä API on %s", settings.database_url.split("@")[-1])
    return app
