"""The whole pool: batch runs, what changed since the last run, the employer's what-if,
hand-over options and the week's clearing. Validate, call one service function, format."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from api.core.security import Permission
from api.http.deps import Context, context_for
from api.http.lanes import run_heavy, run_market
from api.http.params import IdPath
from api.market import service as market
from api.market.schemas import (
    BatchRunList,
    BatchStarted,
    ClearingPublic,
    HandOverOptions,
    MatchNews,
    TaskNewsList,
    WhatIfPublic,
)
from features.errors import ConflictError
from matching.clearing import ClearingObjective

router = APIRouter(tags=["pool"])
Lang = Annotated[Literal["fi", "en"], Query(description="Language of the sentences.")]


@router.get("/batch/runs", summary="Batch runs, newest first")
def list_runs(ctx: Annotated[Context, context_for(Permission.RUN_BATCH)]) -> BatchRunList:
    return market.runs(ctx)


@router.post(
    "/batch/runs",
    status_code=202,
    summary="Start a batch run of the whole pool (runs in the background)",
)
def start_run(
    request: Request, ctx: Annotated[Context, context_for(Permission.RUN_BATCH)]
) -> BatchStarted:
    """Every matchable person against every task the active rules allow, on the configured
    Dask cluster; ``GET /batch/runs`` lists it when done. 409 while one is under way."""
    state = request.app.state
    if not market.start_in_background(ctx, state.sessions, state.settings):
        raise ConflictError("a batch run is already under way; wait for it to finish")
    return BatchStarted(started=True, message="the batch run started")


@router.get(
    "/jobseekers/{jobseeker_id}/news",
    tags=["jobseekers"],
    summary="The person's good matches gained and lost since the run before the latest",
)
def person_news(
    jobseeker_id: IdPath,
    ctx: Annotated[Context, context_for(Permission.MATCH_PERSON)],
    lang: Lang = "fi",
) -> MatchNews:
    return market.person_news(ctx, jobseeker_id, lang)


@router.get(
    "/employers/{employer_id}/task-news",
    tags=["employers"],
    summary="Each task's good candidates in the latest run, and how many came and went",
)
def employer_news(
    employer_id: IdPath, ctx: Annotated[Context, context_for(Permission.READ_MARKET)]
) -> TaskNewsList:
    return market.employer_news(ctx, employer_id)


@router.get(
    "/tasks/{task_id}/what-if",
    tags=["employers"],
    summary="How many more people could do the task with each change the employer could make",
)
async def what_if(
    task_id: IdPath,
    request: Request,
    ctx: Annotated[Context, context_for(Permission.READ_MARKET)],
    lang: Lang = "fi",
) -> WhatIfPublic:
    return await run_market(request, lambda: market.task_what_if(ctx, task_id, lang))


@router.get(
    "/roles/{role_id}/what-if",
    tags=["employers"],
    summary="The what-if of each of the role's tasks the rules suggest",
)
async def role_what_if(
    role_id: IdPath,
    request: Request,
    ctx: Annotated[Context, context_for(Permission.READ_MARKET)],
    lang: Lang = "fi",
) -> list[WhatIfPublic]:
    return await run_market(request, lambda: market.role_what_if(ctx, role_id, lang))


@router.get(
    "/roles/{role_id}/hand-over-options",
    tags=["employers"],
    summary="The role's core tasks, with how many in the pool could take each over",
)
async def hand_over_options(
    role_id: IdPath, request: Request, ctx: Annotated[Context, context_for(Permission.READ_MARKET)]
) -> HandOverOptions:
    return await run_market(request, lambda: market.role_hand_over_options(ctx, role_id))


@router.get(
    "/clearing",
    tags=["matching"],
    summary="This week's suggestions for your area: everyone's lists cleared together",
)
async def clearing(
    request: Request,
    ctx: Annotated[Context, context_for(Permission.CLEAR_MARKET)],
    objective: ClearingObjective = ClearingObjective.SCORE,
) -> ClearingPublic:
    """Each person at most one bundle (one employer, within their hours, no slot twice), each
    task at most once, chosen from everyone's top 20 to give the most total score (or the
    most people, then score) — with what each client in turn taking their best free task
    would give. A suggestion list, never a decision. Seconds on a large area: one at a time
    per process; 503 when others are waiting."""
    return await run_heavy(request, lambda: market.clearing(ctx, objective))
