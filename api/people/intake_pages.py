"""Taking on a new client in the web UI ("Uusi asiakas"): who they are, who referred them and
when, their consent in plain words, their coordinators and hours. It makes the same call as the
API's ``POST /jobseekers`` (:func:`api.people.service.create_person`), so the same checks,
audit row and first service episode follow; capacities are assessed afterwards in the editor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.auth.users import colleagues
from api.core.security import Permission, Role
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.pages import _lang, _page, page_context_for
from api.http.problems import FormField, Problem, form_problems
from api.people import service as people
from api.people.duplicates import PossibleDuplicateError, SamePerson
from features.catalogue import MUNICIPALITIES
from features.catalogue.schedule import DAY_PARTS, DAYS, day_label, part_label
from features.errors import ConflictError, InvalidInputError
from features.i18n import gettext_for
from features.schemas.episode import ReferralSource
from features.schemas.jobseeker import ConsentScope, new_code

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])

TEXT_FIELDS = ("name", "birth_year", "phone", "email", "municipality", "referral_source",
               "started_on", "programme", "coordinator", "work_ability_coordinator",
               "hours_min", "hours_max", "goals")  # fmt: skip
"""The form's one-value fields (consent scopes are a list)."""


def _fields(lang: str) -> dict[str, FormField]:
    _ = gettext_for(lang)
    hours = _("a number of hours a week, for example 20.")
    return {
        "identity.name": FormField("name", _("Name")),
        "identity": FormField("name", _("Name")),
        "demographics.birth_year": FormField("birth_year", _("Year of birth"),
                                             _("four digits, for example 1987.")),
        "identity.phone": FormField("phone", _("Phone"), _("digits, for example 040 123 4567.")),
        "identity.email": FormField("email", _("E-mail")),
        "profile.municipality": FormField("municipality", _("Municipality")),
        "episode.referral_source": FormField("referral_source", _("Referred by")),
        "episode.started_on": FormField("started_on", _("Came to the service on")),
        "episode.programme": FormField("programme", _("Programme")),
        "profile.coordinator": FormField("coordinator", _("Company coordinator")),
        "profile.work_ability_coordinator": FormField("work_ability_coordinator",
                                                      _("Work-ability coordinator")),
        "profile.availability.weekly_hours_min": FormField("hours_min", _("Hours a week, at least"),
                                                           hours),
        "profile.availability.weekly_hours_max": FormField("hours_max", _("Hours a week, at most"),
                                                           hours),
        "profile.availability": FormField("hours_min", _("Hours a week")),
        "profile.availability.schedule": FormField("slots", _("When they can work")),
        "profile.goals": FormField("goals", _("Goals and wishes")),
    }  # fmt: skip


def _form(
    request: Request,
    ctx: Context,
    values: dict[str, Any],
    *,
    errors: list[Problem],
    matches: list[SamePerson] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    area = ctx.actor.area or ""
    lang = _lang(request)
    return _page(
        request, "intake.html", ctx.actor, errors=errors, values=values, matches=matches or [],
        municipalities=list(MUNICIPALITIES), referral_sources=[r.value for r in ReferralSource
                                                                if r is not ReferralSource.UNKNOWN],
        scopes=[s.value for s in ConsentScope],
        days=[(d, day_label(d, lang)) for d in DAYS],
        parts=[(p, part_label(p, lang)) for p in DAY_PARTS],
        company_coordinators=colleagues(ctx.session, area=area, role=Role.COMPANY_COORDINATOR),
        work_ability_coordinators=colleagues(ctx.session, area=area,
                                             role=Role.WORK_ABILITY_COORDINATOR),
        status_code=status_code,
    )  # fmt: skip


@router.get("/jobseekers/new", response_class=HTMLResponse)
def intake_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_JOBSEEKERS)],
) -> HTMLResponse:
    mine = {Role.COMPANY_COORDINATOR: "coordinator",
            Role.WORK_ABILITY_COORDINATOR: "work_ability_coordinator"}  # fmt: skip
    values: dict[str, Any] = {"scopes": []}
    if ctx.actor.role in mine:
        values[mine[ctx.actor.role]] = ctx.actor.name
    return _form(request, ctx, values, errors=[])


@router.post("/jobseekers/new", response_class=HTMLResponse)
async def take_on_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_JOBSEEKERS)],
) -> Response:
    form = await request.form()
    values: dict[str, Any] = {f: str(form.get(f, "")).strip()[:2000] for f in TEXT_FIELDS}
    values["scopes"] = [str(s) for s in form.getlist("scope")][:10]
    values["slots"] = [str(s) for s in form.getlist("slot")][:100]
    values["duplicate_checked"] = form.get("duplicate_checked") == "on"
    return await anyio.to_thread.run_sync(_take_on, request, ctx, values)


def _body(values: dict[str, Any], area: str, now: datetime) -> dict[str, Any]:
    """The API's intake body as the form fills it (validated by the caller, through the
    schema and the service's rules, so the form and the API refuse the same things in the
    same words)."""
    identity = {"name": values["name"], "phone": values["phone"] or None,
                "email": values["email"] or None}  # fmt: skip
    profile: dict[str, Any] = {
        "code": new_code(),
        "municipality": values["municipality"],
        "availability": {
            "weekly_hours_min": values["hours_min"],
            "weekly_hours_max": values["hours_max"],
            "schedule": values["slots"],
        },
        "goals": values["goals"],
        "coordinator": values["coordinator"],
        "work_ability_coordinator": values["work_ability_coordinator"] or None,
        "area": area,
    }
    if values["scopes"]:
        profile["consent"] = {"given_at": now.isoformat(), "scope": values["scopes"]}
    return {
        "profile": profile,
        "identity": identity,
        "demographics": {"birth_year": values["birth_year"]} if values["birth_year"] else None,
        "episode": {
            "referral_source": values["referral_source"],
            "started_on": values["started_on"] or None,
            "programme": values["programme"],
        },
        "duplicate_checked": values["duplicate_checked"],
    }


def _take_on(request: Request, ctx: Context, values: dict[str, Any]) -> Response:
    lang = _lang(request)
    _ = gettext_for(lang)
    try:
        # Refused, the form is told every problem at once: the schema's and the rules'.
        body = people.checked_intake(ctx, _body(values, ctx.actor.area or "", datetime.now(UTC)))
        new_id = people.create_person(ctx, body)
    except PossibleDuplicateError as err:
        ctx.session.rollback()
        asked = Problem(
            _("Someone of the same name is in your area already. Check that this is another "
              "person, then tick the box below and save again."),
            "duplicate_checked",
        )  # fmt: skip
        return _form(request, ctx, values, errors=[asked], matches=err.matches, status_code=409)
    except ConflictError:
        ctx.session.rollback()
        again = Problem(_("The client's code was taken at the same moment; save again."))
        return _form(request, ctx, values, errors=[again], status_code=409)
    except InvalidInputError as err:
        ctx.session.rollback()
        problems = form_problems(err, lang, _fields(lang))
        return _form(request, ctx, values, errors=problems, status_code=422)
    return RedirectResponse(f"/ui/jobseekers/{new_id}?message=taken_on", status_code=303)
