"""Web pages for the whole pool: a task's what-if and a role's hand-over options on the
employer's side, the week's clearing for a company coordinator's area, and the batch runs for
analysts. Each handler validates, calls one application service and renders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.core.context import Context
from api.core.security import Permission
from api.employers import service as employers
from api.http.csrf import check_csrf
from api.http.lanes import run_market
from api.http.pages import _lang, _page, page_context_for
from api.market import service as market
from features.errors import NotFoundError
from matching.clearing import ClearingObjective

__all__ = ["BATCH_MESSAGES", "router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])

BATCH_MESSAGES = frozenset({"started", "already_running"})


def _task_of_employer(ctx: Context, employer_id: int, task_id: int) -> None:
    """404 unless the task is the employer's (an address can be edited)."""
    index = ctx.index.get(ctx.session)
    row = index.tasks.row_of.get(task_id)
    if row is None or int(index.tasks.employer_ids[row]) != employer_id:
        raise NotFoundError(f"no task {task_id} at employer {employer_id}")


@router.get("/employers/{employer_id}/tasks/{task_id}/what-if", response_class=HTMLResponse)
async def what_if_page(
    employer_id: int,
    task_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.READ_MARKET)],
) -> HTMLResponse:
    def page() -> HTMLResponse:
        employer = employers.read_employer(ctx.session, employer_id)
        _task_of_employer(ctx, employer_id, task_id)
        answer = market.task_what_if(ctx, task_id, _lang(request))
        return _page(request, "what_if.html", ctx.actor, employer=employer, employer_id=employer_id,
                     answer=answer)  # fmt: skip

    # In the market lane, as the API's what-if: a recount of the pool never holds the threads
    # every other page and /health need.
    return await run_market(request, page)


@router.get(
    "/employers/{employer_id}/roles/{role_id}/hand-over-options", response_class=HTMLResponse
)
async def hand_over_options_page(
    employer_id: int,
    role_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.READ_MARKET)],
) -> HTMLResponse:
    def page() -> HTMLResponse:
        employer = employers.read_employer(ctx.session, employer_id)
        role = employers.role_of_employer(ctx.session, employer_id, role_id)
        answer = market.role_hand_over_options(ctx, role_id)
        return _page(request, "hand_over_options.html", ctx.actor, employer=employer,
                     employer_id=employer_id, role=role, answer=answer)  # fmt: skip

    return await run_market(request, page)


@router.get("/clearing", response_class=HTMLResponse)
def clearing_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.CLEAR_MARKET)],
    objective: Annotated[ClearingObjective | None, Query()] = None,
) -> HTMLResponse:
    """The form; with an objective, the suggestions (seconds on a large area)."""
    answer = None
    if objective is not None:
        answer = market.clearing(ctx, objective)
    return _page(request, "clearing.html", ctx.actor, answer=answer, objective=objective,
                 objectives=[o.value for o in ClearingObjective])  # fmt: skip


@router.get("/batch", response_class=HTMLResponse)
def batch_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.RUN_BATCH)],
    message: str = "",
) -> HTMLResponse:
    runs = market.runs(ctx)
    shown = message if message in BATCH_MESSAGES else ""
    return _page(request, "batch.html", ctx.actor, runs=runs, message=shown)


@router.post("/batch")
def start_batch(
    request: Request, ctx: Annotated[Context, page_context_for(Permission.RUN_BATCH)]
) -> RedirectResponse:
    state = request.app.state
    started = market.start_in_background(ctx, state.sessions, state.settings)
    message = "started" if started else "already_running"
    return RedirectResponse(f"/ui/batch?message={message}", status_code=303)
