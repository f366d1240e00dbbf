"""The client plan's pages (*Suunnitelma*): the person page's forms — agree a step, record an
open one done or dropped — the same calls as the API's ``POST /jobseekers/{id}/plan/steps``
and ``…/plan/steps/{step_id}/close`` (:mod:`api.people.plan`), so the same checks and audit
rows follow; a refused form is the person page again, everything typed kept, its problems
summarised at the top of the section and said beside each field. And the printable plan, for
handing to the client: their name, the day, their goals, the steps and their coordinators, in
plain words — and nothing of their capacities or health."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.core.security import Permission
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.pages import _page, page_context_for
from api.http.problems import FormField
from api.people import plan
from api.people.person_pages import refused_on_person_page
from api.people.schemas import PlanStepClose, PlanStepCreate
from features.errors import ConflictError, InvalidInputError
from features.i18n import gettext_for
from features.schemas.plan import PlanWho

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])


def _fields(lang: str) -> dict[str, FormField]:
    """The step form's fields, by the service's names for them."""
    _ = gettext_for(lang)
    return {
        "what": FormField("plan-what", _("What is to be done")),
        "who": FormField("plan-who", _("Who"), choose=True),
        "who_else": FormField("plan-who-else", _("Who else (in words)")),
        "due_on": FormField("plan-due", _("By when")),
        "agreed_on": FormField("plan-agreed", _("Agreed on")),
    }


def _close_fields(lang: str, step_id: int) -> dict[str, FormField]:
    _ = gettext_for(lang)
    return {
        "on": FormField(f"plan-close-on-{step_id}", _("Date")),
        "outcome": FormField(f"plan-close-on-{step_id}", _("Done or dropped")),
        "reason": FormField(f"plan-close-reason-{step_id}", _("Why dropped")),
    }


@router.post("/jobseekers/{jobseeker_id}/plan/steps")
def add_plan_step_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.PLAN)],
    what: Annotated[str, Form(max_length=1000)] = "",
    who: Annotated[str, Form(max_length=32)] = "",
    who_else: Annotated[str, Form(max_length=500)] = "",
    due_on: Annotated[str, Form(max_length=32)] = "",
    agreed_on: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Agree a step of the client plan: what, who (someone else named in words), by when, and
    the day it was agreed."""
    sent = {"form": "add", "what": what, "who": who, "who_else": who_else, "due_on": due_on,
            "agreed_on": agreed_on}  # fmt: skip
    try:
        # Someone else's name is read only when someone else does it (what was typed stays
        # in the form, should it be refused). Who left unchosen is missing, said with the rest.
        named = who_else.strip() if who == PlanWho.OTHER.value else ""
        chosen = {"who": who} if who else {}
        body = PlanStepCreate.model_validate({"what": what, **chosen, "who_else": named,
                                              "due_on": due_on or None,
                                              "agreed_on": agreed_on or None})  # fmt: skip
        plan.add_plan_step(ctx, jobseeker_id, body, via="web")
    except (ValidationError, InvalidInputError) as err:
        return refused_on_person_page(request, ctx, jobseeker_id, err, _fields,
                                      plan_step_sent=sent)  # fmt: skip
    return RedirectResponse(
        f"/ui/jobseekers/{jobseeker_id}?message=step_planned#plan", status_code=303
    )


@router.post("/jobseekers/{jobseeker_id}/plan/steps/{step_id}/close")
def close_plan_step_page(
    jobseeker_id: int,
    step_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.PLAN)],
    outcome: Annotated[str, Form(max_length=16)] = "",
    on: Annotated[str, Form(max_length=32)] = "",
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Record the step done, or dropped with the reason, on its date (the button pressed says
    which; a reason typed is read only for a step dropped)."""
    sent = {"form": "close", "step_id": step_id, "on": on, "reason": reason}
    try:
        kept = reason.strip() if outcome == "dropped" else ""
        body = PlanStepClose.model_validate({"outcome": outcome, "on": on or None,
                                             "reason": kept})  # fmt: skip
        plan.close_plan_step(ctx, jobseeker_id, step_id, body, via="web")
    except ConflictError:
        ctx.session.rollback()
        return RedirectResponse(
            f"/ui/jobseekers/{jobseeker_id}?message=planned_step_closed_already#plan",
            status_code=303,
        )
    except (ValidationError, InvalidInputError) as err:
        return refused_on_person_page(request, ctx, jobseeker_id, err,
                                      lambda lang: _close_fields(lang, step_id),
                                      plan_step_sent=sent)  # fmt: skip
    return RedirectResponse(
        f"/ui/jobseekers/{jobseeker_id}?message=planned_step_closed#plan", status_code=303
    )


@router.get("/jobseekers/{jobseeker_id}/plan/print", response_class=HTMLResponse)
def print_plan_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.PLAN)],
) -> HTMLResponse:
    """The client plan to print and hand to the client (``plan_print.html``). It is the
    client's paper and may be left lying on a table: it holds no capacities, statements or
    anything of health — only their name, the day, their goals, the steps and their
    coordinators."""
    printable = plan.printable_plan(ctx, jobseeker_id, via="web")
    steps = printable.plan.steps
    return _page(request, "plan_print.html", ctx.actor, jobseeker_id=jobseeker_id,
                 client_name=printable.name, today=printable.on, goals=printable.plan.goals,
                 open_steps=[s for s in steps if s.state == "open"],
                 done_steps=[s for s in steps if s.state == "done"],
                 company_contact=printable.company_contact,
                 work_ability_contact=printable.work_ability_contact,
                 has_work_ability_coordinator=bool(printable.plan.work_ability_coordinator),
                 unnamed=printable.unnamed)  # fmt: skip
