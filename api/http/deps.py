"""Request dependencies: the database session, the current user, permission checks and the
services' context of a request (``context_for``). The runtime the services own (user, index
holder, errors) and the context are re-exported here for the routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.core.context import Context
from api.core.runtime import (
    BusyError,
    ForbiddenError,
    IndexHolder,
    TooManyRequestsError,
    UnauthorizedError,
    User,
    bump_data_version,
)
from api.core.security import Permission, Role, allowed, hash_token, not_allowed
from api.http.ratelimit import RateLimiter
from api.storage.tables import TokenRow, UserRow
from features.errors import InvalidInputError
from features.schemas.errors import FieldError

__all__ = [
    "BusyError",
    "Context",
    "CurrentUser",
    "ForbiddenError",
    "IndexHolder",
    "SessionDep",
    "TooManyRequestsError",
    "UnauthorizedError",
    "User",
    "bearer",
    "bump_data_version",
    "context_for",
    "reject_unknown_query",
    "request_context",
    "require",
    "user_for_token",
]


async def _session(request: Request) -> AsyncIterator[Session]:
    """A session whose writes are committed by the route itself (``session.commit()``) before
    the response: whatever was not committed is rolled back. Async, though the session is
    not: opening it does no I/O, and closing it gives back a connection the route has already
    committed or rolled back — two hops to a worker thread a request saved."""
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session:
        try:
            yield session
        finally:
            session.rollback()


SessionDep = Annotated[Session, Depends(_session)]
bearer = HTTPBearer(auto_error=False)


async def _current_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    # On the event loop: one primary-key lookup, cheaper than the hop to a worker thread.
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthorizedError("a bearer token is required")
    user = user_for_token(session, credentials.credentials)
    limit_user(request, user)
    return user


def limit_user(request: Request, user: User) -> None:
    """Each user's own allowance of requests a minute (whatever token or address they use)."""
    limiter: RateLimiter | None = getattr(request.app.state, "user_limiter", None)
    if limiter is None:
        return
    wait = limiter.retry_after(f"user:{user.id}")
    if wait:
        raise TooManyRequestsError(
            f"more than {limiter.per_minute} requests a minute; retry later", wait
        )


def user_for_token(session: Session, token: str) -> User:
    """The active user a token belongs to (API bearer tokens and web sessions alike)."""
    found = session.execute(
        select(UserRow, TokenRow.expires_at)
        .join(TokenRow, TokenRow.user_id == UserRow.id)
        .where(TokenRow.token_hash == hash_token(token))
    ).first()
    if found is None:
        raise UnauthorizedError("unknown token")
    user, expires = found
    if not user.active or expires < datetime.now(UTC):
        raise UnauthorizedError("the token has expired or the user is inactive")
    current = User(user.id, user.name, Role(user.role), user.area)
    # Give the connection back before the route waits for a worker thread: under load, held
    # connections of queued requests would exhaust the pool for the running ones.
    session.rollback()
    return current


CurrentUser = Annotated[User, Depends(_current_user)]


def _declared_query(request: Request, path: str, method: str) -> dict[str, bool]:
    """Query parameters the OpenAPI document declares for an operation, each with whether it
    may repeat (an array); cached per operation."""
    cache: dict[tuple[str, str], dict[str, bool]] = request.app.state.__dict__.setdefault(
        "query_names", {}
    )
    if (path, method) not in cache:
        operation = request.app.openapi()["paths"].get(path, {}).get(method, {})
        cache[(path, method)] = {
            p["name"]: "array" in str(p.get("schema", {}))
            for p in operation.get("parameters", [])
            if p.get("in") == "query"
        }
    return cache[(path, method)]


async def reject_unknown_query(request: Request) -> None:
    """Query parameters a route does not declare are an error, not silently ignored."""
    route = request.scope.get("route")
    if route is None or not request.query_params or not getattr(route, "include_in_schema", True):
        return  # web pages (not in the OpenAPI document) validate their own parameters
    declared = _declared_query(request, route.path, request.method.lower())
    problems = [
        FieldError(name, "unknown query parameter")
        for name in sorted(set(request.query_params) - set(declared))
    ]
    problems += [
        FieldError(name, "given more than once")
        for name, repeats in sorted(declared.items())
        if not repeats and len(request.query_params.getlist(name)) > 1
    ]
    if problems:
        raise InvalidInputError(problems[:20])


def require(permission: Permission) -> object:
    """A dependency that lets the request through only for roles with ``permission``."""

    async def check(user: CurrentUser) -> User:  # async: no worker-thread hop for a lookup
        if not allowed(user.role, permission):
            raise ForbiddenError(not_allowed(user.role, permission))
        return user

    return Depends(check)


def context_for(permission: Permission) -> Any:
    """An API route's services context, for a user whose role has ``permission``, in one
    parameter: ``ctx: Annotated[Context, context_for(Permission.PROPOSE)]``. The checks are
    ``require(permission)``'s, resolved as when a route declares that user itself (no valid
    bearer token: 401, then the role: 403); the session is the request's ``SessionDep``."""
    checked: Any = require(permission)

    # Async, and no I/O of its own (the user's lookup is ``require``'s): assembling the context
    # costs no hop to a worker thread. The user's dependency is a default, not ``Annotated``:
    # this module's annotations are strings, read against its globals, where ``permission``
    # is not.
    async def context(request: Request, session: SessionDep, user: User = checked) -> Context:
        return request_context(request, session, user)

    return Depends(context)


def request_context(request: Request, session: Session, user: User) -> Context:
    """The context of a web request: the app's index and model. API routes get it through
    ``context_for``, the web pages through ``page_context_for`` (:mod:`api.http.pages`)."""
    state = request.app.state
    return Context(session=session, actor=user, index=state.index, reranker=state.reranker,
                   batch=state.batch_runs)  # fmt: skip
