"""The web UI's forms about proposals, on the person's page: leave a suggested task out (and
undo it), record an outcome, and the follow-up after a hire — the plan (contract, its end, the
job coach's fading hours), visits and support applications. Each validates, calls one
application service and goes back to the person's page with a notice (or shows it again with
the refused form kept)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.core.security import Permission
from api.core.texts import texts
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.pages import _lang, page_context_for
from api.http.problems import FormField, Problem, form_problems
from api.people import flows, undo
from api.people.person_pages import refused_form_page, short_text_problem
from api.people.schemas import StepUndo
from api.proposals import follow_up
from api.proposals import service as proposals
from api.proposals.schemas import (
    COACH_WEEKS,
    FollowUpPlanIn,
    ProposalWithdrawal,
    SupportApplicationIn,
    VisitCreate,
    VisitDone,
)
from features.errors import ConflictError, InvalidInputError, TasmaError
from features.i18n import N_, gettext_for
from features.schemas import OutcomeEvent
from features.schemas.dates import moment_of, today_in_finland
from features.schemas.errors import FieldError

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.post("/jobseekers/{jobseeker_id}/overrides")
def override_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.OVERRIDE)],
    suggestion_id: Annotated[int, Form(ge=1)],
    task_id: Annotated[int, Form(ge=1)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Leave a suggested task out, with the reason: recorded as an override of the stored
    suggestion (original list, the list without it, and why)."""
    suggested = proposals.suggested_task_ids(ctx, jobseeker_id, suggestion_id)
    if len(reason.strip()) < 3:
        lang = _lang(request)
        field = FormField(f"reason-{task_id}", gettext_for(lang)("Reason"))
        return refused_form_page(request, ctx, jobseeker_id,
                                 flows.RefusedForm("leave_out", task_id, {"reason": reason}),
                                 short_text_problem(reason, field, lang))  # fmt: skip
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
    kind: Annotated[str, Form(max_length=32)] = "",
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
        # Said at the step's own form, in the page's language, with the choices kept; the
        # developer's text of the error never reaches the page.
        words = texts(lang)
        about_until = isinstance(err, ValidationError) and any(
            "until:" in str(e["msg"]) for e in err.errors(include_url=False)
        )
        about_when = isinstance(err, InvalidInputError) and any(
            e.field == "event.at" for e in err.errors
        )
        about_kind = isinstance(err, ValidationError) and any(
            e["loc"][:1] == ("kind",) for e in err.errors(include_url=False)
        )
        if about_kind:  # no step chosen, or one not offered
            step = FormField(f"kind-{proposal_id}", gettext_for(lang)("Record a step"), choose=True)
            problems = [p for p in form_problems(err, lang, {"kind": step}) if p.anchor]
        elif about_when:
            problems = form_problems(err, lang, {"event.at": when})
        elif about_until:
            problems = [Problem(words["outcome_until_invalid"], f"until-p{proposal_id}")]
        elif isinstance(err, ValidationError) and not reason:
            problems = [Problem(words["outcome_reason_needed"], f"reason-p{proposal_id}")]
        else:
            problems = [Problem(words["outcome_not_allowed"], f"kind-{proposal_id}")]
        sent = {"kind": kind, "reason": reason, "until": until, "on": on}
        refused = flows.RefusedForm("outcome", proposal_id, sent)
        return refused_form_page(request, ctx, jobseeker_id, refused, problems)
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=outcome#proposals",
                            status_code=303)  # fmt: skip


def _day(text: str, field: str) -> date:
    """A date typed in a form (the browser sends 2026-12-07)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError([FieldError(field, "not a date", kind="date_parsing")]) from None


def _back(jobseeker_id: int, message: str) -> RedirectResponse:
    query = urlencode({"message": message})
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?{query}#proposals", status_code=303)


def _hours(text: str) -> list[str]:
    """'10, 8; 6 4' → ['10', '8', '6', '4'] (the schema checks each is a number)."""
    return [h for h in text.replace(";", " ").replace(",", " ").split() if h]


def _plan_fields(proposal_id: int, lang: str) -> dict[str, FormField]:
    """The follow-up plan's fields, by the schema's names (each week's hours at the hours'
    field)."""
    _ = gettext_for(lang)
    hours = FormField(f"coach-{proposal_id}", _("Job coach's hours, week by week (fading)"))
    return {
        "contract_type": FormField(f"contract-{proposal_id}", _("Contract"), choose=True),
        "starts_on": FormField(f"starts-{proposal_id}", _("Starts on")),
        "contract_end": FormField(f"ends-{proposal_id}", _("Ends on (a fixed term)")),
        "coach_hours": hours,
        **{f"coach_hours[{week}]": hours for week in range(COACH_WEEKS + 1)},
    }


@router.post("/proposals/{proposal_id}/follow-up/plan")
def save_plan(
    proposal_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.FOLLOW_UP)],
    contract_type: Annotated[str, Form(max_length=24)] = "",
    starts_on: Annotated[str, Form(max_length=32)] = "",
    contract_end: Annotated[str, Form(max_length=32)] = "",
    coach_hours: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    person = proposals.person_of(ctx, proposal_id)  # the record's, not the form's
    try:
        body = FollowUpPlanIn.model_validate({
            "contract_type": contract_type, "starts_on": starts_on or None,
            "contract_end": contract_end or None, "coach_hours": _hours(coach_hours),
        })  # fmt: skip
        follow_up.set_plan(ctx, proposal_id, body)
    except ConflictError:
        return _not_hired(request, ctx, person, flows.RefusedForm("follow_up_plan", proposal_id))
    except (ValidationError, InvalidInputError) as err:
        # Refused: the page again, everything typed kept in the plan's form, each problem at
        # its own field.
        lang = _lang(request)
        sent = {"contract_type": contract_type, "starts_on": starts_on,
                "contract_end": contract_end, "coach_hours": coach_hours}  # fmt: skip
        problems = form_problems(err, lang, _plan_fields(proposal_id, lang))
        refused = flows.RefusedForm("follow_up_plan", proposal_id, sent)
        return refused_form_page(request, ctx, person, refused, problems)
    return _back(person, "plan_saved")


@router.post("/proposals/{proposal_id}/follow-up/visits")
def plan_visit(
    proposal_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.FOLLOW_UP)],
    planned_on: Annotated[str, Form(max_length=32)] = "",
    with_whom: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    person = proposals.person_of(ctx, proposal_id)  # the record's, not the form's
    try:
        body = VisitCreate.model_validate({"planned_on": planned_on or None,
                                           "with_whom": with_whom})  # fmt: skip
        follow_up.add_visit(ctx, proposal_id, body)
    except ConflictError:
        return _not_hired(request, ctx, person, flows.RefusedForm("visit", proposal_id))
    except (ValidationError, InvalidInputError) as err:
        lang = _lang(request)
        _ = gettext_for(lang)
        fields = {
            "planned_on": FormField(f"visit-on-{proposal_id}", _("Plan a visit on")),
            "with_whom": FormField(f"visit-with-{proposal_id}", _("With"), choose=True),
        }
        sent = {"planned_on": planned_on, "with_whom": with_whom}
        return refused_form_page(request, ctx, person,
                                 flows.RefusedForm("visit", proposal_id, sent),
                                 form_problems(err, lang, fields))  # fmt: skip
    return _back(person, "visit_planned")


@router.post("/proposals/{proposal_id}/follow-up/visits/{visit_id}")
def record_visit(
    proposal_id: int,
    visit_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.FOLLOW_UP)],
    done_on: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    person = proposals.person_of(ctx, proposal_id)  # the record's, not the form's
    try:
        body = VisitDone.model_validate({"done_on": done_on or None, "note": note.strip()})
        follow_up.visit_done(ctx, proposal_id, visit_id, body)
    except ConflictError:
        return _not_hired(request, ctx, person, flows.RefusedForm("visit", proposal_id))
    except (ValidationError, InvalidInputError) as err:
        lang = _lang(request)
        _ = gettext_for(lang)
        fields = {"done_on": FormField(f"done-{visit_id}", _("Made on")),
                  "note": FormField(f"vnote-{visit_id}", _("Note"))}  # fmt: skip
        sent = {"visit_id": str(visit_id), "done_on": done_on, "note": note}
        return refused_form_page(request, ctx, person,
                                 flows.RefusedForm("visit_done", proposal_id, sent),
                                 form_problems(err, lang, fields))  # fmt: skip
    return _back(person, "visit_recorded")


@router.post("/proposals/{proposal_id}/follow-up/supports")
def save_support(
    proposal_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.FOLLOW_UP)],
    support: Annotated[str, Form(max_length=40)] = "",
    status: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    person = proposals.person_of(ctx, proposal_id)  # the record's, not the form's
    try:
        body = SupportApplicationIn.model_validate({"support": support, "status": status})
    except ValidationError:
        # Only a forged form gets here (both are chosen from lists): said at the supports.
        refused = flows.RefusedForm("support", proposal_id, {"support": support})
        return refused_form_page(request, ctx, person, refused,
                                 [Problem(texts(_lang(request))["support_invalid"])])  # fmt: skip
    try:
        follow_up.set_support(ctx, proposal_id, body)
    except ConflictError:
        return _not_hired(request, ctx, person, flows.RefusedForm("support", proposal_id))
    return _back(person, "support_saved")


def _not_hired(
    request: Request, ctx: Context, person: int, refused: flows.RefusedForm
) -> HTMLResponse:
    """A follow-up form about a proposal that has not (or no longer) led to a hire — the
    hire undone in another tab: said at the proposal, nothing saved."""
    said = [Problem(texts(_lang(request))["follow_up_after_hire"])]
    return refused_form_page(request, ctx, person, refused, said, status_code=409)


@router.post("/proposals/{proposal_id}/undo")
def undo_step_page(
    proposal_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.RECORD_OUTCOMES)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Undo the proposal's latest step, recorded by mistake (kept, with the reason)."""
    done = _with_reason(
        request, ctx, proposal_id, reason,
        _ReasonForm("undo_step", "undo-p", N_("Why (kept with the undone step)"), "undo_refused"),
        lambda why: undo.undo_proposal_step(ctx, proposal_id, StepUndo(reason=why)),
    )  # fmt: skip
    return done if done is not None else _back(proposals.person_of(ctx, proposal_id), "undone")


@router.post("/proposals/{proposal_id}/withdraw")
def withdraw_page(
    proposal_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.PROPOSE)],
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Withdraw a proposal made in error or no longer wanted, with the reason (kept with it)."""
    done = _with_reason(
        request, ctx, proposal_id, reason,
        _ReasonForm("withdraw", "withdraw-p", N_("Why it is withdrawn"), "withdraw_refused"),
        lambda why: proposals.withdraw_proposal(ctx, proposal_id, ProposalWithdrawal(reason=why)),
    )  # fmt: skip
    return done if done is not None else _back(proposals.person_of(ctx, proposal_id), "withdrawn")


@dataclass(frozen=True)
class _ReasonForm:
    """A proposal's form that asks only why: its name on the person's page, its field's id
    (before the proposal's id), the field's label and the words for a conflict."""

    form: str
    field: str
    label: str
    conflict: str


def _with_reason(
    request: Request,
    ctx: Context,
    proposal_id: int,
    reason: str,
    form: _ReasonForm,
    act: Callable[[str], object],
) -> Response | None:
    """Do ``act`` with the reason typed; None once done, else the person's page with the form
    refused at its place — the reason too short (422), or a conflict (409) — nothing saved."""
    person = proposals.person_of(ctx, proposal_id)  # the record's, not the form's
    lang = _lang(request)
    refused = flows.RefusedForm(form.form, proposal_id, {"reason": reason})
    field = FormField(f"{form.field}{proposal_id}", gettext_for(lang)(form.label))
    try:
        act(reason.strip())
    except ValidationError:
        return refused_form_page(request, ctx, person, refused,
                                 short_text_problem(reason, field, lang))  # fmt: skip
    except ConflictError:
        said = [Problem(texts(lang)[form.conflict])]
        return refused_form_page(request, ctx, person, refused, said, status_code=409)
    return None
