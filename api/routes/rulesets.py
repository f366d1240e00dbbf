"""Rule sets: list, read, compare, validate a draft, store a new version, activate one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request

from api.audit import record
from api.deps import SessionDep, User, require
from api.models import EvaluationRequest, RuleSetCreate, RulesetVersion
from api.security import Permission
from api.services import evaluation
from api.services.context import request_context
from api.services.evaluation import run_heavy
from api.storage import rulesets
from api.storage.tables import RuleSetRow
from matching.rules import RuleSet, diff_rulesets

router = APIRouter(prefix="/rulesets", tags=["rulesets"])
evaluations = APIRouter(tags=["evaluations"])


def _summary(row: RuleSetRow, active: str | None) -> dict[str, Any]:
    return {
        "version": row.version,
        "parent": row.parent,
        "author": row.author,
        "created_at": row.created_at.isoformat(),
        "note": row.note,
        "fingerprint": row.fingerprint,
        "active": row.version == active,
    }


@router.get("", summary="Rule sets, oldest first, with the active one marked")
def list_rulesets(
    session: SessionDep, user: Annotated[User, require(Permission.READ_RULESETS)]
) -> list[dict[str, Any]]:
    active = rulesets.active_version(session)
    return [_summary(row, active) for row in rulesets.list_rulesets(session)]


@router.get("/{version}", summary="A rule set: its history entry and content")
def get_ruleset(
    version: RulesetVersion,
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_RULESETS)],
) -> dict[str, Any]:
    row = rulesets.get_ruleset(session, version)
    return {**_summary(row, rulesets.active_version(session)), "rules": row.content}


@router.get("/{version}/diff/{other}", summary="What changes from one rule set to another")
def diff(
    version: RulesetVersion,
    other: RulesetVersion,
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_RULESETS)],
) -> dict[str, Any]:
    old = rulesets.rules_of(rulesets.get_ruleset(session, version))
    new = rulesets.rules_of(rulesets.get_ruleset(session, other))
    return {
        "from": version,
        "to": other,
        "changes": [{"path": p, "from": a, "to": b} for p, a, b in diff_rulesets(old, new)],
    }


@router.post("/drafts/validate", summary="Validate a draft rule set (nothing is stored)")
def validate_ruleset(
    draft: RuleSet, user: Annotated[User, require(Permission.READ_RULESETS)]
) -> dict[str, object]:
    return {"valid": True, "version": draft.version, "fingerprint": draft.fingerprint()}


@router.post("", status_code=201, summary="Store a new rule-set version (not yet active)")
def create_ruleset(
    body: RuleSetCreate,
    session: SessionDep,
    user: Annotated[User, require(Permission.WRITE_RULESETS)],
) -> dict[str, Any]:
    parent = body.parent or rulesets.active_version(session)
    row = rulesets.add_ruleset(session, body.rules, author=user.name, parent=parent, note=body.note)
    record(
        session,
        actor=user.name,
        role=user.role,
        action="create_ruleset",
        object_type="ruleset",
        object_id=row.version,
        ruleset_version=row.version,
        details={"parent": parent, "fingerprint": row.fingerprint},
    )
    session.commit()
    return _summary(row, rulesets.active_version(session))


@router.post("/{version}/activate", summary="Make a rule set the one every match uses")
def activate(
    version: RulesetVersion,
    session: SessionDep,
    user: Annotated[User, require(Permission.ACTIVATE_RULESET)],
) -> dict[str, Any]:
    previous = rulesets.activate(session, version, actor=user.name, role=user.role)
    session.commit()
    return {"active": version, "previous": previous}


@evaluations.post("/evaluations", summary="Replay the recorded history under rule sets")
async def evaluate(
    body: EvaluationRequest,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.EVALUATE)],
) -> dict[str, Any]:
    """Hit rate, recall, NDCG, MRR, coverage, adjustments, variety and the fairness report
    for a rule set, and with ``against`` both side by side with bootstrap intervals of the
    differences. Aggregates only: no person appears in the answer, and only the outcomes of
    people whose consent covers evaluation are used. One runs at a time per process; 503 when
    others are already waiting."""
    ctx = request_context(request, session, user)
    return await run_heavy(request, lambda: evaluation.evaluate(ctx, body))
