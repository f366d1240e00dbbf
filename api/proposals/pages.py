"""The web UI's forms about proposals, on the person's page: leave a suggested task out (and
undo it), record an outcome, and the follow-up after a hire — the plan (contract, its end, the
job coach's fading hours), visits and support applications. Each validates, calls one
application service and goes back to the person's page with a notice (or shows it again with
the refused form kept)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.core.security import Permission
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.pages import _lang, _page, _pager, page_context_for
from api.http.problems import FormField, form_problems
from api.people import flows, undo
from api.people.schemas import StepUndo
from api.proposals import follow_up
from api.proposals import service as proposals
from api.proposals.schemas import FollowUpPlanIn, SupportApplicationIn, VisitCreate, VisitDone
from features.errors import ConflictError, InvalidInputError, TasmaError
from features.i18n import gettext_for
from features.schemas import OutcomeEvent
from features.schemas.dates import moment_of, today_in_finland
from features.schemas.errors import FieldError

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.post("/jobseekers/{jobseeker_id}/overrides")
def override_page(
    jobseeker_id: int,
    ctx: Annotated[Context, page_context_for(Permission.OVERRIDE)],
    suggestion_id: Annotated[int, Form(ge=1)],
    task_id: Annotated[int, Form(ge=1)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Leave a suggested task out, with the reason: recorded as an override of the stored
    suggestion (original list, the list without it, and why)."""
    suggested = proposals.suggested_task_ids(ctx, jobseeker_id, suggestion_id)
    if len(reason.strip()) < 3:
        return RedirectResponse(
            f"/ui/jobseekers/{jobseeker_id}?message=reason_needed", status_code=303
        )
    chosen = [i for i in suggested if i != task_id]
    proposals.override_suggestion(ctx, suggestion_id, chosen, reason.strip())
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=overridden", status_code=303)


@router.post("/jobseekers/{jobseeker_id}/left-out/{task_id}/restore")
def restore_page(
    jobseeker_id: int,
    task_id: int,
    ctx: Annotated[Context, page_context_for(Permission.OVERRIDE)],
) -> Response:
    """Undo "leave out": the task goes back among the suggestions."""
    proposals.restore_left_out(ctx, jobseeker_id, task_id)
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=restored", status_code=303)


@router.post("/jobseekers/{jobseeker_id}/proposals/{proposal_id}/events")
def outcome_page(
    jobseeker_id: int,
    proposal_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.RECORD_OUTCOMES)],
    kind: Annotated[str, Form(max_length=32)],
    reason: Annotated[str, Form(max_length=32)] = "",
    until: Annotated[str, Form(max_length=32)] = "",
    on: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Record a step, dated the day it happened (``on``, today when left empty)."""
    proposals.proposal_of_person(ctx, jobseeker_id, proposal_id)
    lang = _lang(request)
    when = FormField(f"on-p{proposal_id}", gettext_for(lang)("When"))
    try:
        day = _day(on, "event.at") if on else today_in_finland(ctx.now)
        event = OutcomeEvent.model_validate({
            "kind": kind, "at": moment_of(day, ctx.now), "reason": reason or None,
            "until": until or None,
        })  # fmt: skip
        proposals.record_outcome(ctx, proposal_id, event)
    except (ValidationError, TasmaError) as err:
        ctx.session.rollback()
        # Said at the step's own form, in the page's language, with the choices kept; the
        # developer's text of the error never reaches the page.
        invalid = isinstance(err, ValidationError)
        about_until = isinstance(err, ValidationError) and any(
            "until:" in str(e["msg"]) for e in err.errors(include_url=False)
        )
        about_when = isinstance(err, InvalidInputError) and any(
            e.field == "event.at" for e in err.errors
        )
        said = form_problems(err, lang, {"event.at": when})[0].text if about_when else ""
        text = ("outcome_until_invalid" if about_until
                else "outcome_reason_needed" if invalid and not reason
                else "outcome_not_allowed")  # fmt: skip
        return _jobseeker(
            request, ctx, jobseeker_id, status_code=422,
            outcome_error={"proposal_id": proposal_id, "kind": kind, "reason": reason,
                           "until": until, "on": on, "text": text, "said": said},
        )  # fmt: skip
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=outcome", status_code=303)


def _day(text: str, field: str) -> date:
    """A date typed in a form (the browser sends 2026-12-07)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError([FieldError(field, "not a date", kind="date_parsing")]) from None


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
    ctx: Annotated[Context, page_context_for(Permission.FOLLOW_UP)],
    jobseeker_id: Id,
    contract_type: Annotated[str, Form(max_length=24)],
    starts_on: Annotated[str, Form(max_length=32)],
    contract_end: Annotated[str, Form(max_length=32)] = "",
    coach_hours: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    try:
        body = FollowUpPlanIn.model_validate({
            "contract_type": contract_type, "starts_on": starts_on or None,
            "contract_end": contract_end or None, "coach_hours": _hours(coach_hours),
        })  # fmt: skip
        follow_up.set_plan(ctx, proposal_id, body)
    except (ValidationError, InvalidInputError):
        ctx.session.rollback()
        # Refused: the page again, with everything typed kept in the plan's form.
        sent = {"proposal_id": proposal_id, "contract_type": contract_type,
                "starts_on": starts_on, "contract_end": contract_end,
                "coach_hours": coach_hours}  # fmt: skip
        return _jobseeker(request, ctx, jobseeker_id, message="plan_invalid",
                          plan_sent=sent, status_code=422)  # fmt: skip
    return _back(jobseeker_id, "plan_saved")


@router.post("/proposals/{proposal_id}/follow-up/visits")
def plan_visit(
    proposal_id: int,
    ctx: Annotated[Context, page_context_for(Permission.FOLLOW_UP)],
    jobseeker_id: Id,
    planned_on: Annotated[str, Form(max_length=32)],
    with_whom: Annotated[str, Form(max_length=16)],
) -> RedirectResponse:
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
    ctx: Annotated[Context, page_context_for(Permission.FOLLOW_UP)],
    jobseeker_id: Id,
    done_on: Annotated[str, Form(max_length=32)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    try:
        body = VisitDone.model_validate({"done_on": done_on or None, "note": note.strip()})
        follow_up.visit_done(ctx, proposal_id, visit_id, body)
    except (ValidationError, InvalidInputError):
        ctx.session.rollback()
        return _back(jobseeker_id, "visit_invalid")
    return _back(jobseeker_id, "visit_recorded")


@router.post("/proposals/{proposal_id}/follow-up/supports")
def save_support(
    proposal_id: int,
    ctx: Annotated[Context, page_context_for(Permission.FOLLOW_UP)],
    jobseeker_id: Id,
    support: Annotated[str, Form(max_length=40)],
    status: Annotated[str, Form(max_length=16)],
) -> RedirectResponse:
    try:
        body = SupportApplicationIn.model_validate({"support": support, "status": status})
    except ValidationError:
        return _back(jobseeker_id, "support_invalid")
    follow_up.set_support(ctx, proposal_id, body)
    return _back(jobseeker_id, "support_saved")


def _jobseeker(
    request: Request, ctx: Context, jobseeker_id: int, *, status_code: int, **shown: Any
) -> HTMLResponse:
    """The person's page again, a refused form kept at its place (``shown``)."""
    view = flows.person_page(ctx, jobseeker_id, lang=_lang(request),
                             supports=request.app.state.supports, **shown)  # fmt: skip
    pager = _pager(request, 1, view["n_proposals"], flows.PROPOSALS_PER_PAGE)
    return _page(request, "jobseeker.html", ctx.actor, pager=pager, status_code=status_code,
                 **view)  # fmt: skip


@router.post("/proposals/{proposal_id}/undo")
def undo_step_page(
    proposal_id: int,
    ctx: Annotated[Context, page_context_for(Permission.RECORD_OUTCOMES)],
    jobseeker_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    """Undo the proposal's latest step, recorded by mistake (kept, with the reason)."""
    try:
        person = undo.undo_proposal_step(ctx, proposal_id, StepUndo(reason=reason.strip()))
    except ValidationError:
        return _back(jobseeker_id, "undo_reason_needed")
    except ConflictError:
        ctx.session.rollback()
        return _back(jobseeker_id, "undo_refused")
    return _back(person, "undone")  # the proposal's person, whatever the form said
