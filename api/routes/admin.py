"""Proposals and outcomes, overrides, the audit log, users, tokens and health."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from api.audit import record
from api.deps import CurrentUser, SessionDep, UnauthorizedError, User, require
from api.models import (
    Created,
    EventCreate,
    IdPath,
    OverrideCreate,
    ProposalCreate,
    TokenRequest,
    UserCreate,
)
from api.routes.jobseekers import visible_row
from api.security import Permission, hash_password, hash_token, new_token, verify_password
from api.storage import repository
from api.storage.tables import (
    AuditRow,
    OverrideRow,
    ProposalRow,
    SuggestionRow,
    TokenRow,
    UserRow,
)
from features.errors import ConflictError, NotFoundError
from features.schemas import Proposal

router = APIRouter()


@router.get("/health", tags=["operations"], summary="Liveness and database check")
def health(session: SessionDep) -> dict[str, str]:
    session.execute(select(1))
    return {"status": "ok"}


@router.post("/auth/token", tags=["auth"], summary="Log in: a bearer token for a user")
def login(body: TokenRequest, request: Request, session: SessionDep) -> dict[str, str]:
    user = session.scalar(select(UserRow).where(UserRow.name == body.username))
    if (
        user is None
        or not user.active
        or not user.password_hash
        or not verify_password(user.password_hash, body.password)
    ):
        raise UnauthorizedError("wrong user name or password")
    token = issue_token(session, user.id, request.app.state.settings.token_days)
    record(
        session,
        actor=user.name,
        role=user.role,
        action="login",
        object_type="user",
        object_id=user.id,
    )
    session.commit()
    return {"access_token": token, "token_type": "bearer"}


def issue_token(session: SessionDep, user_id: int, days: int) -> str:
    token = new_token()
    session.add(
        TokenRow(
            user_id=user_id,
            token_hash=hash_token(token),
            expires_at=datetime.now(UTC) + timedelta(days=days),
        )
    )
    session.flush()
    return token


@router.get("/me", tags=["auth"], summary="Who am I")
def me(user: CurrentUser) -> dict[str, str | None]:
    return {"name": user.name, "role": user.role.value, "area": user.area}


@router.post("/users", tags=["users"], status_code=201, summary="Add a user (admin)")
def create_user(
    body: UserCreate,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.MANAGE_USERS)],
) -> dict[str, object]:
    if session.scalar(select(UserRow.id).where(UserRow.name == body.name)):
        raise ConflictError(f"a user named {body.name!r} exists")
    row = UserRow(
        name=body.name,
        role=body.role,
        area=body.area,
        password_hash=hash_password(body.password) if body.password else None,
    )
    session.add(row)
    session.flush()
    token = issue_token(session, row.id, request.app.state.settings.token_days)
    record(
        session,
        actor=user.name,
        role=user.role,
        action="create_user",
        object_type="user",
        object_id=row.id,
        details={"role": body.role},
    )
    session.commit()
    return {"id": row.id, "token": token}


@router.post(
    "/proposals",
    tags=["proposals"],
    response_model=Created,
    status_code=201,
    summary="Record that a match was proposed",
)
def create_proposal(
    body: ProposalCreate,
    session: SessionDep,
    user: Annotated[User, require(Permission.PROPOSE)],
) -> Created:
    proposal_id = repository.add_proposal(session, proposal=body.proposal)
    record(
        session,
        actor=user.name,
        role=user.role,
        action="propose",
        object_type="proposal",
        object_id=proposal_id,
        ruleset_version=body.proposal.ruleset_version,
        details={"suggestion_id": body.suggestion_id, "task_ids": body.proposal.task_ids},
    )
    session.commit()
    return Created(id=proposal_id)


@router.get(
    "/proposals/{proposal_id}",
    tags=["proposals"],
    response_model=Proposal,
    summary="A proposal and what happened",
)
def get_proposal(
    proposal_id: IdPath, session: SessionDep, user: Annotated[User, require(Permission.PROPOSE)]
) -> Proposal:
    _check_proposal(session, user, proposal_id)
    return repository.get_proposal(session, proposal_id=proposal_id)


def _in_area(session: SessionDep, user: User, jobseeker_id: int | None, missing: str) -> None:
    """Something about a person is out of a coordinator's reach exactly when the person is:
    then it is 404 (``missing``), as if it did not exist."""
    if user.area is None or jobseeker_id is None:
        return
    try:
        visible_row(session, user, jobseeker_id)
    except NotFoundError:
        raise NotFoundError(missing) from None


def _check_proposal(session: SessionDep, user: User, proposal_id: int) -> None:
    """A coordinator reaches only the proposals of their own area's people (404 otherwise,
    as for the people themselves)."""
    row = session.get(ProposalRow, proposal_id)
    if row is None:
        raise NotFoundError(f"no proposal with id {proposal_id}")
    _in_area(session, user, row.jobseeker_id, f"no proposal with id {proposal_id}")


@router.post(
    "/proposals/{proposal_id}/events",
    tags=["proposals"],
    status_code=201,
    summary="Record an answer, a work trial, a hire or a follow-up",
)
def add_event(
    proposal_id: IdPath,
    body: EventCreate,
    session: SessionDep,
    user: Annotated[User, require(Permission.PROPOSE)],
) -> dict[str, str]:
    _check_proposal(session, user, proposal_id)
    repository.add_outcome_event(session, proposal_id=proposal_id, event=body.event)
    record(
        session,
        actor=user.name,
        role=user.role,
        action="outcome",
        object_type="proposal",
        object_id=proposal_id,
        details={"kind": body.event.kind.value},
    )
    session.commit()
    return {"status": "recorded"}


@router.post(
    "/suggestions/{suggestion_id}/overrides",
    tags=["proposals"],
    response_model=Created,
    status_code=201,
    summary="Override a suggestion, with the reason",
)
def override(
    suggestion_id: IdPath,
    body: OverrideCreate,
    session: SessionDep,
    user: Annotated[User, require(Permission.OVERRIDE)],
) -> Created:
    suggestion = session.get(SuggestionRow, suggestion_id)
    if suggestion is None:
        raise NotFoundError(f"no suggestion with id {suggestion_id}")
    _in_area(session, user, suggestion.jobseeker_id, f"no suggestion with id {suggestion_id}")
    original = list(suggestion.results.get("ids", []))
    row = OverrideRow(
        suggestion_id=suggestion_id,
        actor=user.name,
        original=original,
        chosen=body.chosen,
        reason=body.reason,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=user.name,
        role=user.role,
        action="override",
        object_type="suggestion",
        object_id=suggestion_id,
        ruleset_version=suggestion.ruleset_version,
        details={"original": original, "chosen": body.chosen, "reason": body.reason},
    )
    session.commit()
    return Created(id=row.id)


@router.get("/audit", tags=["audit"], summary="The audit log (admin)")
def audit_log(
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_AUDIT)],
    actor: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    action: Annotated[str | None, Query(min_length=1, max_length=48)] = None,
    object_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, object]]:
    query = select(AuditRow)
    if actor:
        query = query.where(AuditRow.actor == actor)
    if action:
        query = query.where(AuditRow.action == action)
    if object_id:
        query = query.where(AuditRow.object_id == object_id)
    rows = session.scalars(query.order_by(AuditRow.id.desc()).limit(limit).offset(offset))
    return [
        {
            "id": r.id,
            "at": r.at.isoformat(),
            "actor": r.actor,
            "role": r.role,
            "action": r.action,
            "object_type": r.object_type,
            "object_id": r.object_id,
            "purpose": r.purpose,
            "ruleset_version": r.ruleset_version,
            "details": r.details,
        }
        for r in rows
    ]
