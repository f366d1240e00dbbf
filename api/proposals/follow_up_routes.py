"""After the hire: the follow-up plan, visits and support applications of a hired proposal,
and the supports' terms of the day. Validate, call one service function, format."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Request

from api.core.schemas import Created
from api.core.security import Permission
from api.http.deps import Context, CurrentUser, context_for
from api.http.params import IdPath
from api.proposals import follow_up
from api.proposals.schemas import (
    FollowUpPlanIn,
    FollowUpPlanPublic,
    FollowUpPublic,
    SupportApplicationIn,
    VisitCreate,
    VisitDone,
    VisitPublic,
)
from features.schemas.dates import today_in_finland
from features.supports import Support, SupportTerms

router = APIRouter(tags=["follow-up"])


@router.get("/proposals/{proposal_id}/follow-up", summary="A hired proposal's follow-up")
def get_follow_up(
    proposal_id: IdPath, ctx: Annotated[Context, context_for(Permission.FOLLOW_UP)]
) -> FollowUpPublic:
    return follow_up.follow_up(ctx, proposal_id)


@router.put("/proposals/{proposal_id}/follow-up/plan", summary="The follow-up plan after a hire")
def put_plan(
    proposal_id: IdPath,
    body: FollowUpPlanIn,
    ctx: Annotated[Context, context_for(Permission.FOLLOW_UP)],
) -> FollowUpPlanPublic:
    return follow_up.set_plan(ctx, proposal_id, body)


@router.post(
    "/proposals/{proposal_id}/follow-up/visits", status_code=201, summary="Plan a follow-up visit"
)
def post_visit(
    proposal_id: IdPath,
    body: VisitCreate,
    ctx: Annotated[Context, context_for(Permission.FOLLOW_UP)],
) -> Created:
    return Created(id=follow_up.add_visit(ctx, proposal_id, body))


@router.put(
    "/proposals/{proposal_id}/follow-up/visits/{visit_id}", summary="Record a visit as made"
)
def put_visit_done(
    proposal_id: IdPath,
    visit_id: IdPath,
    body: VisitDone,
    ctx: Annotated[Context, context_for(Permission.FOLLOW_UP)],
) -> VisitPublic:
    return follow_up.visit_done(ctx, proposal_id, visit_id, body)


@router.put(
    "/proposals/{proposal_id}/follow-up/supports", summary="A support application and its status"
)
def put_support(
    proposal_id: IdPath,
    body: SupportApplicationIn,
    ctx: Annotated[Context, context_for(Permission.FOLLOW_UP)],
) -> Created:
    return Created(id=follow_up.set_support(ctx, proposal_id, body))


@router.get("/supports", summary="The supports' names, amounts and conditions valid today")
def supports_today(request: Request, _user: CurrentUser) -> dict[str, Support]:
    """From the admin's supports file (`TASMA_SUPPORTS_FILE`), the newest version valid today."""
    terms: SupportTerms = request.app.state.supports
    return terms.on(today_in_finland(datetime.now(UTC)))
