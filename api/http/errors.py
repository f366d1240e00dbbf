"""Domain errors → HTTP, in one place. No input produces a stack trace or a 500 with detail."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.core.runtime import (
    BusyError,
    ForbiddenError,
    TooManyRequestsError,
    UnauthorizedError,
)
from features.errors import ConflictError, InvalidInputError, NotFoundError, TasmaError
from features.schemas.errors import field_errors

__all__ = ["ERROR_RESPONSES", "BusyError", "install"]


log = logging.getLogger("tasma.api")

_STATUS = {
    InvalidInputError: 422,
    UnauthorizedError: 401,
    ForbiddenError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    TooManyRequestsError: 429,
    BusyError: 503,
}

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"description": "The body is not valid JSON (or not valid form data)"},
    401: {"description": "Missing, unknown or expired bearer token"},
    403: {"description": "The role may not do this"},
    404: {"description": "No such record, or not visible to the caller"},
    409: {"description": "Clashes with an existing record"},
    413: {"description": "Request body too large"},
    422: {"description": "Invalid input: every field error is listed"},
    429: {"description": "Too many requests"},
    431: {"description": "Request headers too large"},
    503: {"description": "The database is unavailable, or analyst work is queued full"},
}


def _body(code: str, message: str, errors: list[dict[str, str]] | None = None) -> dict[str, object]:
    body: dict[str, object] = {"error": code, "message": message}
    if errors is not None:
        body["errors"] = errors
    return body


def _methods_for(request: Request) -> set[str]:
    """The methods the OpenAPI document gives the requested path (Starlette's 405 names only
    the first route it tried)."""
    table = getattr(request.app.state, "allowed_methods", None)
    if table is None:
        table = [
            (
                re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", path) + "$"),
                {m.upper() for m in operations},
            )
            for path, operations in request.app.openapi()["paths"].items()
        ]
        request.app.state.allowed_methods = table
    path = request.url.path
    return set().union(*(methods for pattern, methods in table if pattern.match(path)))


Handler = Callable[[Request, Any], Awaitable[Response]]
BrowserPage = Callable[[Request, int], Response]
"""Renders the web UI's page for an error status (see :func:`install`)."""


def install(app: FastAPI, browser_page: BrowserPage | None = None) -> None:
    """Every error as JSON for the API; for an address of the web UI (``/ui/…``), the UI's own
    page for the status instead, in the user's language — a browser never shows JSON."""

    def exception_handler(kind: type[Exception]) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            async def respond(request: Request, exc: Exception) -> Response:
                response = await handler(request, exc)
                if browser_page is not None and request.url.path.startswith("/ui/"):
                    return browser_page(request, response.status_code)
                return response

            app.add_exception_handler(kind, respond)
            return handler

        return register

    @exception_handler(TasmaError)
    async def domain_error(request: Request, exc: TasmaError) -> JSONResponse:
        status = next((s for t, s in _STATUS.items() if isinstance(exc, t)), 400)
        errors = None
        if isinstance(exc, InvalidInputError):
            errors = [{"field": e.field, "message": e.message} for e in exc.errors]
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if isinstance(exc, TooManyRequestsError):
            headers = {"Retry-After": str(exc.retry_after)}
        if isinstance(exc, BusyError):
            headers = {"Retry-After": "30"}
        return JSONResponse(_body(exc.code, str(exc), errors), status_code=status, headers=headers)

    @exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(sorted(_methods_for(request)))
        return JSONResponse(
            _body(codes.get(exc.status_code, "error"), str(exc.detail)),
            status_code=exc.status_code,
            headers=headers,
        )

    @exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for item in exc.errors():
            loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path")]
            message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
            errors.append({"field": ".".join(loc), "message": message})
        return JSONResponse(_body("invalid_input", "invalid input", errors), status_code=422)

    @exception_handler(ValidationError)
    async def model_error(request: Request, exc: ValidationError) -> JSONResponse:
        # A model built inside a route from checked parameters should never fail; if one
        # does (two definitions of a bound drifting apart), the caller still gets a 422 that
        # names the field, never a 500.
        errors = [{"field": e.field, "message": e.message} for e in field_errors(exc)]
        return JSONResponse(_body("invalid_input", "invalid input", errors), status_code=422)

    @exception_handler(OverflowError)
    async def overflow(request: Request, exc: OverflowError) -> JSONResponse:
        return JSONResponse(_body("invalid_input", "a number is out of range"), status_code=422)

    @exception_handler(OperationalError)
    async def database_down(request: Request, exc: OperationalError) -> JSONResponse:
        # The driver's class only: its message may quote the statement's values.
        log.error("database unavailable: %s", type(exc.orig).__name__)
        return JSONResponse(_body("unavailable", "the database is unavailable"), status_code=503)

    @exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        # Never the statement's parameters or the driver's message (it may quote values such
        # as a name or an e-mail): the error's class and the route are enough to find it.
        route = request.scope.get("route")
        log.error(
            "database error on %s %s: %s (%s)",
            request.method,
            getattr(route, "path", "?"),
            type(exc).__name__,
            type(getattr(exc, "orig", None)).__name__,
        )
        return JSONResponse(
            _body("invalid_input", "the request could not be stored as given"), status_code=422
        )

    @exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The class and the route only: an exception's text may quote personal data.
        route = request.scope.get("route")
        log.error("unexpected error on %s %s: %s", request.method,
                  getattr(route, "path", "?"), type(exc).__name__)  # fmt: skip
        return JSONResponse(_body("internal", "an unexpected error; nothing was stored"),
                            status_code=500)  # fmt: skip
