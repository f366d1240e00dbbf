"""Web forms for the follow-up after a hire, on the person's page: the plan (contract, its end,
the job coach's fading hours), visits and support applications. Each validates, calls one
application service and goes back to the person's page with a notice."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from api.core.security import Permission
from api.http.csrf import check_csrf
from api.http.deps import SessionDep, request_context
from api.http.pages import _jobseeker, _user
from api.proposals import follow_up
from api.proposals.schemas import FollowUpPlanIn, SupportApplicationIn, VisitCreate, VisitDone
from features.errors import InvalidInputError

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])

Id = Annotated[int, Form(ge=1, le=2_147_483_647)]


def _back(jobseeker_id: int, message: str) -> RedirectResponse:
    query = urlencode({"message": message})
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?{query}#proposals", status_code=303)


def _hours(text: str) -> list[str]:
    """'10, 8; 6 4' → ['10', '8', '6', '4'] (the schema checks each is a number)."""
    return [h for h in text.replace(";", " ").replace(",", " ").split() if h]


@router.post("/proposals/{proposal_id}/follow-up/plan")
def save_plan(
    proposal_id: int,
    request: Request,
    session: SessionDep,
    jobseeker_id: Id,
    contract_type: Annotated[str, Form(max_length=24)],
    starts_on: Annotated[str, Form(max_length=32)],
    contract_end: Annotated[str, Form(max_length=32)] = "",
    coach_hours: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    user = _user(request, session, Permission.FOLLOW_UP)
    ctx = request_context(request, session, user)
    try:
        body = FollowUpPlanIn.model_validate({
            "contract_type": contract_type, "starts_on": starts_on or None,
            "contract_end": contract_end or None, "coach_hours": _hours(coach_hours),
        })  # fmt: skip
        follow_up.set_plan(ctx, proposal_id, body)
    except (ValidationError, InvalidInputError):
        session.rollback()
        # Refused: the page again, with everything typed kept in the plan's form.
        sent = {"proposal_id": proposal_id, "contract_type": contract_type,
                "starts_on": starts_on, "contract_end": contract_end,
                "coach_hours": coach_hours}  # fmt: skip
        return _jobseeker(request, session, user, jobseeker_id, message="plan_invalid",
                          plan_sent=sent, status_code=422)  # fmt: skip
    return _back(jobseeker_id, "plan_saved")


@router.post("/proposals/{proposal_id}/follow-up/visits")
def plan_visit(
    proposal_id: int,
    request: Request,
    session: SessionDep,
    jobseeker_id: Id,
    planned_on: Annotated[str, Form(max_length=32)],
    with_whom: Annotated[str, Form(max_length=16)],
) -> RedirectResponse:
    user = _user(request, session, Permission.FOLLOW_UP)
    ctx = request_context(request, session, user)
    try:
        body = VisitCreate.model_validate({"planned_on": planned_on or None,
                                           "with_whom": with_whom})  # fmt: skip
        follow_up.add_visit(ctx, proposal_id, body)
    except ValidationError:
        return _back(jobseeker_id, "visit_invalid")
    return _back(jobseeker_id, "visit_planned")


@router.post("/proposals/{proposal_id}/follow-up/visits/{visit_id}")
def record_visit(
    proposal_id: int,
    visit_id: int,
    request: Request,
    session: SessionDep,
    jobseeker_id: Id,
    done_on: Annotated[str, Form(max_length=32)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    user = _user(request, session, Permission.FOLLOW_UP)
    ctx = request_context(request, session, user)
    try:
        body = VisitDone.model_validate({"done_on": done_on or None, "note": note.strip()})
        follow_up.visit_done(ctx, proposal_id, visit_id, body)
    except (ValidationError, InvalidInputError):
        session.rollback()
        return _back(jobseeker_id, "visit_invalid")
    return _back(jobseeker_id, "visit_recorded")


@router.post("/proposals/{proposal_id}/follow-up/supports")
def save_support(
    proposal_id: int,
    request: Request,
    session: SessionDep,
    jobseeker_id: Id,
    support: Annotated[str, Form(max_length=40)],
    status: Annotated[str, Form(max_length=16)],
) -> RedirectResponse:
    user = _user(request, session, Permission.FOLLOW_UP)
    ctx = request_context(request, session, user)
    try:
        body = SupportApplicationIn.model_validate({"support": support, "status": status})
    except ValidationError:
        return _back(jobseeker_id, "support_invalid")
    follow_up.set_support(ctx, proposal_id, body)
    return _back(jobseeker_id, "support_saved")
