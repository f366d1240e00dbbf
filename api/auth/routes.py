"""Log-in and log-out, users and their tokens, who am I, the audit log and health."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import select

from api.auth import users
from api.auth.audit_log import AuditFilters, read_log
from api.auth.schemas import (
    USER_NAME,
    AuditPage,
    Health,
    Me,
    RoleChange,
    StaffContact,
    TokenPublic,
    TokenRequest,
    UserCreate,
    UserCreated,
)
from api.auth.service import log_in
from api.core.security import Permission, Role, hash_token
from api.core.settings import Environment
from api.http.deps import (
    Context,
    CurrentUser,
    SessionDep,
    User,
    bearer,
    context_for,
    require,
)

UserNameInPath = Annotated[str, PathParam(pattern=USER_NAME)]

router = APIRouter()
audit = APIRouter()
"""The audit log's route: included after the proposals' routes (as it always was matched)."""


@router.get("/health", tags=["operations"], summary="Liveness and database check")
async def health(request: Request) -> Health:
    """On a thread of its own, never behind the request threads: a service busy with work
    answers that it is alive at once."""

    def check() -> None:
        with request.app.state.engine.connect() as conn:
            conn.execute(select(1))

    await anyio.to_thread.run_sync(check, limiter=request.app.state.health_limiter)
    return Health(status="ok")


@router.post("/auth/token", tags=["auth"], summary="Log in: a bearer token for a user")
def login(body: TokenRequest, request: Request, session: SessionDep) -> TokenPublic:
    """After three wrong passwords for one name from one address, each further one makes that
    name wait there (1, 2, 4 … seconds, up to 15 minutes: 429 with Retry-After); after 30 from
    one address, names that have not logged in from it lately wait too. Unknown names are
    answered exactly like known ones."""
    token, _ = log_in(
        session,
        username=body.username,
        password=body.password,
        address=request.client.host if request.client else "unknown",
        throttle=request.app.state.login_throttle,
        days=request.app.state.settings.token_days,
        via="login",
        demo_allowed=request.app.state.settings.environment is not Environment.PRODUCTION,
    )
    return TokenPublic(access_token=token)


@router.delete("/auth/token", tags=["auth"], status_code=204, summary="Log out: end this token")
def logout(
    user: CurrentUser,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)],
) -> None:
    users.log_out(session, hash_token(credentials.credentials))


@router.post(
    "/users/{name}/deactivate",
    tags=["users"],
    status_code=204,
    summary="Switch a user off and end their tokens (admin)",
)
def deactivate(
    name: UserNameInPath,
    session: SessionDep,
    user: Annotated[User, require(Permission.MANAGE_USERS)],
) -> None:
    users.deactivate(session, name, actor=user.name, role=user.role, why="admin")


@router.put(
    "/users/{name}/role",
    tags=["users"],
    status_code=204,
    summary="Give a user another role and area (admin)",
)
def change_role(
    name: UserNameInPath,
    body: RoleChange,
    session: SessionDep,
    user: Annotated[User, require(Permission.MANAGE_USERS)],
) -> None:
    users.change_role(session, name, body.role, body.area, actor=user.name, actor_role=user.role)


@router.delete(
    "/users/{name}/tokens",
    tags=["users"],
    status_code=204,
    summary="End every token of a user, e.g. a lost laptop (admin)",
)
def revoke_tokens(
    name: UserNameInPath,
    session: SessionDep,
    user: Annotated[User, require(Permission.MANAGE_USERS)],
) -> None:
    users.end_all_tokens(session, name, actor=user.name, role=user.role)


@router.get("/me", tags=["auth"], summary="Who am I")
def me(user: CurrentUser, session: SessionDep) -> Me:
    row = users.user_by_name(session, user.name)
    return Me(name=user.name, role=user.role.value, area=user.area, contact=users.contact_of(row))


@router.put(
    "/me/contact",
    tags=["auth"],
    status_code=204,
    summary="Set one's own name and work contact details for clients",
)
def set_own_contact(
    body: StaffContact,
    session: SessionDep,
    user: Annotated[User, require(Permission.OWN_DETAILS)],
) -> None:
    """The name clients and employers read (the printed client plan), with a work phone and
    e-mail. The login name stays as it is."""
    users.set_contact(session, user.name, body, actor=user.name, role=user.role)


@router.put(
    "/users/{name}/contact",
    tags=["users"],
    status_code=204,
    summary="Set a user's name and work contact details for clients (admin)",
)
def set_contact(
    name: UserNameInPath,
    body: StaffContact,
    session: SessionDep,
    user: Annotated[User, require(Permission.MANAGE_USERS)],
) -> None:
    users.set_contact(session, name, body, actor=user.name, role=user.role)


@router.post("/users", tags=["users"], status_code=201, summary="Add a user (admin)")
def create_user(
    body: UserCreate,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.MANAGE_USERS)],
) -> UserCreated:
    user_id, token = users.create_user(
        session,
        name=body.name,
        role=Role(body.role),
        area=body.area,
        password=body.password,
        days=request.app.state.settings.token_days,
        actor=user.name,
    )
    return UserCreated(id=user_id, token=token)


@audit.get("/audit", tags=["audit"], summary="The audit log (admin), newest first")
def audit_log(
    ctx: Annotated[Context, context_for(Permission.READ_AUDIT)],
    actor: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    action: Annotated[str | None, Query(min_length=1, max_length=48)] = None,
    object_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditPage:
    """Reading the log is itself audited (``read_audit``, with the filters)."""
    filters = AuditFilters(actor, action, object_id, limit, offset)
    return read_log(ctx, filters)
