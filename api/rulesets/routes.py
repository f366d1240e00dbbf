"""Rule sets: list, read, compare, validate a draft, store a new version, activate one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request

from api.core.security import Permission
from api.http.deps import Context, SessionDep, User, context_for, require
from api.http.lanes import run_heavy
from api.http.params import RulesetVersion
from api.rulesets import comparisons, evaluation, service
from api.rulesets.schemas import (
    Activation,
    ActivationCreate,
    ComparisonRequest,
    ComparisonRun,
    ComparisonRunList,
    DraftValid,
    EvaluationReport,
    EvaluationRequest,
    ModelCard,
    RuleSetCreate,
    RuleSetDetail,
    RuleSetDiff,
    RuleSetList,
    RuleSetSummary,
    TrainingRequest,
)
from matching.rules import RuleSet

router = APIRouter(prefix="/rulesets", tags=["rulesets"])
evaluations = APIRouter(tags=["evaluations"])

Reader = Annotated[User, require(Permission.READ_RULESETS)]


@router.get("", summary="Rule sets, oldest first, with the active one marked")
def list_rulesets(session: SessionDep, user: Reader) -> RuleSetList:
    return service.list_rulesets(session)


@router.get("/{version}", summary="A rule set: its history entry and content")
def get_ruleset(version: RulesetVersion, session: SessionDep, user: Reader) -> RuleSetDetail:
    return service.read(session, version)


@router.get("/{version}/diff/{other}", summary="What changes from one rule set to another")
def diff(
    version: RulesetVersion,
    other: RulesetVersion,
    session: SessionDep,
    user: Reader,
) -> RuleSetDiff:
    return service.diff(session, version, other)


@router.post("/drafts/validate", summary="Validate a draft rule set (nothing is stored)")
def validate_ruleset(draft: RuleSet, user: Reader) -> DraftValid:
    return DraftValid(valid=True, version=draft.version, fingerprint=draft.fingerprint())


@router.post("", status_code=201, summary="Store a new rule-set version (not yet active)")
def create_ruleset(
    body: RuleSetCreate, ctx: Annotated[Context, context_for(Permission.WRITE_RULESETS)]
) -> RuleSetSummary:
    return service.create(ctx, body.rules, note=body.note, parent=body.parent)


@router.post("/{version}/activate", summary="Make a rule set the one every match uses")
def activate(
    version: RulesetVersion,
    ctx: Annotated[Context, context_for(Permission.ACTIVATE_RULESET)],
    body: ActivationCreate | None = None,
) -> Activation:
    note = body.note if body else ""
    return service.activate(ctx, version, note)


@evaluations.post("/evaluations", summary="Replay the recorded history under rule sets")
async def evaluate(
    body: EvaluationRequest,
    request: Request,
    ctx: Annotated[Context, context_for(Permission.EVALUATE)],
) -> EvaluationReport:
    """Hit rate, recall, NDCG, MRR, coverage, adjustments, variety and the fairness report
    for a rule set, and with ``against`` both side by side with bootstrap intervals of the
    differences. Aggregates only: no person appears in the answer, and only the outcomes of
    people whose consent covers evaluation are used. One runs at a time per process; 503 when
    others are already waiting."""
    return await run_heavy(request, lambda: evaluation.evaluate(ctx, body))


@evaluations.post(
    "/evaluations/comparisons",
    status_code=202,
    summary="Compare two rule sets on the history, in the background",
)
def start_comparison(
    body: ComparisonRequest,
    request: Request,
    ctx: Annotated[Context, context_for(Permission.EVALUATE)],
) -> ComparisonRun:
    """The comparison of ``POST /evaluations`` with ``against``, run in the background and
    kept: the answer is the run (``waiting`` or ``running``); follow it with
    ``GET /evaluations/comparisons/{run_id}``, whose ``report`` is there once ``done``. The
    same pair on an unchanged history answers the run already kept or under way. 422 when A
    and B are one version or unknown, 503 when three comparisons are already under way."""
    return comparisons.start(ctx, body, request.app.state.sessions)


@evaluations.get("/evaluations/comparisons", summary="The comparisons asked for lately")
def list_comparisons(
    ctx: Annotated[Context, context_for(Permission.EVALUATE)],
) -> ComparisonRunList:
    return comparisons.recent(ctx.session)


@evaluations.get("/evaluations/comparisons/{run_id}", summary="A comparison and its report")
def read_comparison(
    run_id: int,
    ctx: Annotated[Context, context_for(Permission.EVALUATE)],
) -> ComparisonRun:
    """Its state and progress; with its report (aggregates only) once done. ``current``
    false: the recorded history has changed since it was asked for."""
    return comparisons.read(ctx, run_id)


@evaluations.post("/models", status_code=201, summary="Train the re-ranker on the history")
async def train_model(
    body: TrainingRequest,
    request: Request,
    ctx: Annotated[Context, context_for(Permission.EVALUATE)],
) -> ModelCard:
    """Train the learned re-ranker as ``tasma train`` does — on the pairs the active rules
    allow, of people whose consent covers evaluation, with a time-based split — and save it
    with its card, unless its probabilities are no better than the base rate's (``saved``
    false, ``refused`` says why). It is never activated here: that is an administrator's
    step (``tasma train --activate``). Audited; one heavy job at a time per process."""
    models_dir = request.app.state.settings.models_dir

    def train() -> ModelCard:
        _, card = evaluation.train(
            ctx, version=body.version, k=body.k, models_dir=models_dir, activate=False
        )
        return ModelCard.model_validate(card)

    return await run_heavy(request, train)
