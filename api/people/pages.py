"""The web UI's pages about people: the caseload, a person's page and the profile editor. They
call the same application services as the API, so a page view is checked, audited and stored
exactly as the same API call would be."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.auth.policy import reachable_person
from api.core.purposes import Purpose
from api.core.security import Permission, allowed
from api.core.texts import texts
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.pages import PAGE_SIZE, _lang, _page, _pager, page_context_for
from api.http.problems import FormField, Problem, form_problems, profile_problems
from api.people import caseload, episodes, flows, profile_sections, referrals, undo
from api.people import service as people
from api.people.person_pages import (
    person_page_response,
    refused_form_page,
    refused_on_person_page,
    short_text_problem,
)
from api.people.profile_sections import SECTIONS, Section
from api.people.schemas import EpisodeCreate, EpisodeEventCreate, StepUndo
from api.people.words import next_step_text
from features.catalogue import CHARACTERISTICS, EDUCATION_LEVELS, LICENCES, SECTORS, TASK_KINDS
from features.catalogue.schedule import DAY_PARTS, DAYS, day_label, part_label
from features.errors import ConflictError, InvalidInputError, NotFoundError, TasmaError
from features.i18n import gettext_for, language_names
from features.numbers import digits
from features.schemas import JobseekerStatus
from features.schemas.dates import today_in_finland
from features.schemas.errors import FieldError
from features.schemas.jobseeker import (
    MAX_GOALS_LENGTH,
    MAX_SKILL_LENGTH,
    MAX_SKILLS,
    CapacitySource,
    Cefr,
    ConsentScope,
    JobseekerIdentity,
)

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/jobseekers", response_class=HTMLResponse)
def jobseekers_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.READ_JOBSEEKERS)],
    q: Annotated[str, Query(max_length=120)] = "",
    status: str = "",
    sort: str = "attention",
    scope: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The caseload ("Omat asiakkaat"): names, status and what needs doing next."""
    chosen = JobseekerStatus(status) if status in {s.value for s in JobseekerStatus} else None
    sort = sort if sort in caseload.CASELOAD_SORTS else "attention"
    listed = caseload.caseload(ctx, scope=scope or None, text=q.strip() or None, status=chosen,
                               sort=sort, limit=PAGE_SIZE,
                               offset=(page - 1) * PAGE_SIZE)  # fmt: skip
    lang = _lang(request)
    steps = {r.id: [next_step_text(s, lang, ctx.now) for s in r.next_steps] for r in listed.data}
    return _page(request, "jobseekers.html", ctx.actor, rows=listed.data, count=listed.count, q=q,
                 status=status, statuses=[s.value for s in JobseekerStatus], sort=sort,
                 sorts=caseload.CASELOAD_SORTS, scope=listed.scope, steps=steps,
                 can_take_on=allowed(ctx.actor.role, Permission.WRITE_JOBSEEKERS),
                 pager=_pager(request, page, listed.count))  # fmt: skip


@router.get("/jobseekers/{jobseeker_id}", response_class=HTMLResponse)
def jobseeker_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.MATCH_PERSON)],
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    return person_page_response(request, ctx, jobseeker_id, page=page,
                                message=request.query_params.get("message", ""))  # fmt: skip


def _episode_fields(form: str, lang: str) -> dict[str, FormField]:
    """The fields of a service-episode form, by the service's names for them."""
    _ = gettext_for(lang)
    if form == "start":
        return {
            "started_on": FormField("ep-start-on", _("Start date")),
            "referral_source": FormField("ep-start-source", _("Referred by"), choose=True),
            "programme": FormField("ep-start-programme", _("Programme")),
        }
    return {
        "on": FormField(f"ep-{form}-on", _("Date")),
        "path": FormField(f"ep-{form}-path", _("Continuation path"), choose=True),
        "note": FormField(f"ep-{form}-note", _("Note")),
    }


def _episode_refused(
    request: Request, ctx: Context, jobseeker_id: int, sent: dict[str, str],
    err: ValidationError | TasmaError,
) -> HTMLResponse:  # fmt: skip
    """The person's page again, the refused episode form kept as it was sent, its problems
    summarised at the top of the section and said beside each field."""
    return refused_on_person_page(request, ctx, jobseeker_id, err,
                                  lambda lang: _episode_fields(sent["form"], lang),
                                  episode_sent=sent)  # fmt: skip


@router.post("/jobseekers/{jobseeker_id}/episodes")
def start_episode_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.SERVICE_EPISODES)],
    started_on: Annotated[str, Form(max_length=32)] = "",
    referral_source: Annotated[str, Form(max_length=32)] = "unknown",
    programme: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Start a service episode (enrolment): when, who referred the person, the programme."""
    sent = {"form": "start", "started_on": started_on, "referral_source": referral_source,
            "programme": programme}  # fmt: skip
    try:
        body = EpisodeCreate.model_validate({"started_on": started_on or None,
                                             "referral_source": referral_source,
                                             "programme": programme.strip()})  # fmt: skip
        episodes.start_episode(ctx, jobseeker_id, body, via="web")
    except (ValidationError, InvalidInputError, ConflictError) as err:
        return _episode_refused(request, ctx, jobseeker_id, sent, err)
    return RedirectResponse(
        f"/ui/jobseekers/{jobseeker_id}?message=episode_started#episode", status_code=303
    )


@router.post("/jobseekers/{jobseeker_id}/episode/events")
def episode_event_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.SERVICE_EPISODES)],
    form: Annotated[Literal["status", "outcome", "end"], Form()],
    kind: Annotated[str, Form(max_length=16)],
    on: Annotated[str, Form(max_length=32)] = "",
    path: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record a pause or a resumption, what happened to the person (an outcome, with or
    without a proposal), or the end of the episode with its continuation path."""
    sent = {"form": form, "kind": kind, "on": on, "path": path, "note": note}
    try:
        if form != "status" and not path:
            raise InvalidInputError([FieldError("path", "choose where", kind="missing")])
        body = EpisodeEventCreate.model_validate({"kind": kind, "on": on or None,
                                                  "path": path or None,
                                                  "note": note.strip()})  # fmt: skip
        episodes.record_episode_event(ctx, jobseeker_id, body, via="web")
    except (ValidationError, InvalidInputError, ConflictError) as err:
        return _episode_refused(request, ctx, jobseeker_id, sent, err)
    return RedirectResponse(
        f"/ui/jobseekers/{jobseeker_id}?message=episode_recorded#episode", status_code=303
    )


def _editor(
    request: Request,
    ctx: Context,
    row: Any,
    profile: Any,
    errors: list[Problem] | None = None,
    ratings: dict[str, Any] | None = None,
    *,
    refused: str = "",
    saved: str = "",
) -> HTMLResponse:
    """The profile editor over ``profile``, a form per section — the stored profile, or after
    a refused save the sections sent as they were typed (:func:`_kept`), so that nothing typed
    is lost. ``refused`` names the section whose summary says ``errors``, ``saved`` the section
    just saved. Beside each characteristic, the
    statements open referrals await about it."""
    lang = _lang(request)
    _ = gettext_for(lang)
    user = ctx.actor
    awaited = (
        flows.awaited_statements(referrals.referrals_of_person(ctx, row.id, audited=False))
        if allowed(user.role, Permission.REFERRALS)
        else {}
    )
    ratings = profile.capacities if ratings is None else ratings
    consent = profile.consent
    in_force = consent is not None and not consent.withdrawn_at
    # Others see a physician's statement, and save the profile with it as it was.
    writes_statements = allowed(user.role, Permission.WRITE_PHYSICIAN_STATEMENTS)
    sections = [
        {
            "id": s.id,
            "title": _(s.title),
            "kg": any(CHARACTERISTICS[cid].has_kilograms for cid in s.characteristics),
            "characteristics": [
                {
                    "id": cid,
                    "name": CHARACTERISTICS[cid].name(lang),
                    "levels": [lv.text(lang) for lv in CHARACTERISTICS[cid].levels],
                    "kg": CHARACTERISTICS[cid].has_kilograms,
                    "rating": ratings.get(cid),
                    "awaited": awaited.get(cid, []),
                }
                for cid in s.characteristics
            ],
        }
        for s in SECTIONS.values()
    ]
    return _page(request, "editor.html", user, row=row, profile=profile, sections=sections,
                 errors=errors or [], refused=refused, saved=saved if saved in SECTIONS else "",
                 days=[(d, day_label(d, lang)) for d in DAYS],
                 parts=[(p, part_label(p, lang)) for p in DAY_PARTS],
                 sources=[s.value for s in CapacitySource
                          if writes_statements or s is not CapacitySource.PHYSICIAN],
                 writes_statements=writes_statements,
                 education_levels=EDUCATION_LEVELS, cefr=[c.value for c in Cefr],
                 language_names=language_names(lang, [s.language for s in profile.languages]),
                 language_rows=_language_rows(profile.languages),
                 licences=LICENCES, sectors=SECTORS, kinds=TASK_KINDS,
                 scopes=[s.value for s in ConsentScope],
                 consent_scopes=[str(s) for s in consent.scope] if in_force else [],
                 withdrawn_at=consent.withdrawn_at if consent is not None else None,
                 most_goals=MAX_GOALS_LENGTH, most_skills=MAX_SKILLS,
                 longest_skill=MAX_SKILL_LENGTH,
                 status_code=422 if errors else 200)  # fmt: skip


@router.post("/jobseekers/{jobseeker_id}/episode/undo")
def undo_episode_step_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.SERVICE_EPISODES)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Undo the service episode's latest step, recorded by mistake (kept, with the reason)."""
    lang = _lang(request)
    refused = flows.RefusedForm("undo_episode", sent={"reason": reason})
    try:
        undo.undo_episode_event(ctx, jobseeker_id, StepUndo(reason=reason.strip()))
    except ValidationError:
        field = FormField("undo-episode", gettext_for(lang)("Why (kept with the undone step)"))
        return refused_form_page(request, ctx, jobseeker_id, refused,
                                 short_text_problem(reason, field, lang))  # fmt: skip
    except ConflictError:
        said = [Problem(texts(lang)["undo_refused"])]
        return refused_form_page(request, ctx, jobseeker_id, refused, said, status_code=409)
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=episode_undone#episode",
                            status_code=303)  # fmt: skip


@router.get("/jobseekers/{jobseeker_id}/identity", response_class=HTMLResponse)
def identity_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_JOBSEEKERS)],
) -> HTMLResponse:
    person = people.read_person(ctx, jobseeker_id, purpose=Purpose.WEB_EDIT_PROFILE, via="web")
    known = person.identity.model_dump() if person.identity else {}
    values = {k: v or "" for k, v in known.items()}
    row = reachable_person(ctx, jobseeker_id)
    return _page(request, "identity.html", ctx.actor, row=row, values=values, errors=[])


@router.post("/jobseekers/{jobseeker_id}/identity", response_class=HTMLResponse)
def save_identity_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_JOBSEEKERS)],
    name: Annotated[str, Form(max_length=200)] = "",
    phone: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    """Correct the person's name and contact details (GDPR Art. 16)."""
    values = {"name": name.strip(), "phone": phone.strip(), "email": email.strip()}
    try:
        sent = {k: v or None for k, v in values.items()} | {"name": values["name"]}
        identity = JobseekerIdentity.model_validate(sent)
        people.replace_identity(ctx, jobseeker_id, identity)
    except (ValidationError, InvalidInputError) as err:
        ctx.session.rollback()
        lang = _lang(request)
        _ = gettext_for(lang)
        fields = {"name": FormField("name", _("Name")),
                  "phone": FormField("phone", _("Phone"), _("digits, for example 040 123 4567.")),
                  "email": FormField("email", _("E-mail"))}  # fmt: skip
        row = reachable_person(ctx, jobseeker_id)
        return _page(request, "identity.html", ctx.actor, row=row, values=values,
                     errors=form_problems(err, lang, fields), status_code=422)  # fmt: skip
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=identity_saved",
                            status_code=303)  # fmt: skip


@router.get("/jobseekers/{jobseeker_id}/edit", response_class=HTMLResponse)
def edit_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_JOBSEEKERS)],
    saved: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """The profile editor, a section at a time (``saved``: the section just saved, said there)."""
    profile = people.read_person(
        ctx, jobseeker_id, purpose=Purpose.WEB_EDIT_PROFILE, via="web"
    ).profile
    row = reachable_person(ctx, jobseeker_id)
    return _editor(request, ctx, row, profile, saved=saved)


LANGUAGE_ROWS = 4
"""How many languages the editor offers (the profile holds up to ten; rows beyond are kept)."""


def _language_rows(languages: Any) -> list[Any]:
    """The profile's languages padded with empty rows, for the editor's table."""
    rows = list(languages)
    return rows + [None] * max(0, LANGUAGE_ROWS - len(rows))


def _ratings(form: Any, rated: tuple[str, ...]) -> dict[str, Any]:
    """The ratings of the characteristics ``rated`` as the form sends them (one not assessed
    is left out)."""
    capacities = {}
    for cid in rated:
        level = form.get(f"level_{cid}", "")
        if level == "":
            continue
        rating: dict[str, Any] = {
            "level": level,
            "source": form.get(f"source_{cid}", "coordinator"),
            "assessed_on": form.get(f"date_{cid}")
            or today_in_finland(datetime.now(UTC)).isoformat(),
            "hard_limit": form.get(f"stmt_{cid}") == "restriction",
            "recommended": form.get(f"stmt_{cid}") == "recommendation",
        }
        if form.get(f"kg_{cid}"):
            rating["kilograms"] = form.get(f"kg_{cid}")
        if form.get(f"ref_{cid}"):
            rating["reference"] = form.get(f"ref_{cid}")
        capacities[cid] = rating
    return capacities


def _text(form: Any, name: str) -> str:
    """A textarea's text as typed: a browser sends a line break as CRLF but counts it as one
    character against ``maxlength``, so it is one here too."""
    return str(form.get(name, "")).replace("\r\n", "\n").replace("\r", "\n")


def _skills(form: Any) -> list[str]:
    return [s.strip() for s in re.split(r"[,;\n]", _text(form, "skills")) if s.strip()]


def _part(section: Section, form: Any) -> dict[str, Any]:
    """What the form sends of ``section``, shaped as the profile's JSON (the schema checks it;
    the consent as the scopes ticked)."""
    if section.characteristics:
        return {"capacities": _ratings(form, section.characteristics)}
    codes = [str(code).strip() for code in form.getlist("language")]
    fields: dict[str, Any] = {
        "goals": _text(form, "goals").strip(),
        "availability": {"weekly_hours_min": form.get("hours_min", ""),
                         "weekly_hours_max": form.get("hours_max", ""),
                         "schedule": form.getlist("slot")},
        "skills": _skills(form),
        "education_level": form.get("education_level") or None,
        "languages": [{"language": code, "level": form.get(f"cefr_{i}", "")}
                      for i, code in enumerate(codes) if code],
        "support": {"job_coach": form.get("job_coach") == "on",
                    "wage_subsidy_eligible": form.get("wage_subsidy") == "on"},
        "licences": form.getlist("licence"),
        "consent": [str(scope) for scope in form.getlist("scope")][: len(ConsentScope) + 1],
        "interest_sectors": form.getlist("sector"),
        "interest_task_kinds": form.getlist("kind"),
    }  # fmt: skip
    return {name: fields[name] for name in section.fields}


@router.post("/jobseekers/{jobseeker_id}/edit/{section}", response_class=HTMLResponse)
async def save_profile(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_JOBSEEKERS)],
    section: str,
) -> Response:
    """One section of the profile, the rest as stored. There is no save of the whole profile
    from a page: a form holding only some of its fields (a stale tab, an old script) would have
    emptied the rest."""
    if section not in SECTIONS:
        raise NotFoundError(f"no section {section!r} of a profile")
    form = await request.form()
    return await anyio.to_thread.run_sync(_save_section, jobseeker_id, request, ctx, form, section)


def _save_section(
    jobseeker_id: int, request: Request, ctx: Context, form: Any, section: str
) -> Response:
    """Save ``section`` as the form sends it: back to the editor at that section; refused, the
    editor again with what was typed and the problems summarised above the section."""
    part = _part(SECTIONS[section], form)
    try:
        # Refused, the editor is told every problem at once: the schema's and the rules'.
        profile_sections.save_profile_sections(ctx, jobseeker_id, {section: part})
    except InvalidInputError as err:
        ctx.session.rollback()
        row, stored = people.profile_for_editing(ctx, jobseeker_id)
        kept, ratings = _kept(stored, form, [section])
        return _editor(request, ctx, row, kept, profile_problems(err, _lang(request), part),
                       ratings, refused=section)  # fmt: skip
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}/edit?saved={section}#{section}",
                            status_code=303)  # fmt: skip


_SHOWN = ("availability", "licences", "interest_sectors", "interest_task_kinds", "goals",
          "skills", "education_level", "languages", "support", "consent")  # fmt: skip
"""What the editor shows of a profile besides its ratings."""


def _kept(stored: Any, form: Any, sent: list[str]) -> tuple[SimpleNamespace, dict[str, Any]]:
    """The editor's profile after a refused save: the ``sent`` sections as the form sent them
    (every value typed), the others as stored."""
    typed, typed_ratings = _as_sent(form)
    shown = SimpleNamespace(**{name: getattr(stored, name) for name in _SHOWN})
    ratings = dict(stored.capacities)
    for section in (SECTIONS[sid] for sid in sent):
        for cid in section.characteristics:
            ratings.pop(cid, None)
            if cid in typed_ratings:
                ratings[cid] = typed_ratings[cid]
        for name in section.fields:
            setattr(shown, name, getattr(typed, name))
    return shown, ratings


def _as_sent(form: Any) -> tuple[SimpleNamespace, dict[str, SimpleNamespace]]:
    """The editor's form as it was sent, shaped like a profile for the template: a refused
    save shows every value typed, not the stored profile (:func:`_kept` takes the sections
    sent from it)."""
    ratings = {}
    for cid in CHARACTERISTICS:
        level = digits(str(form.get(f"level_{cid}", "")))
        if level is None:
            continue
        statement = form.get(f"stmt_{cid}", "")
        day = str(form.get(f"date_{cid}", ""))
        ratings[cid] = SimpleNamespace(
            level=level,
            source=SimpleNamespace(value=form.get(f"source_{cid}", "")),
            assessed_on=SimpleNamespace(isoformat=lambda day=day: day),
            hard_limit=statement == "restriction",
            recommended=statement == "recommendation",
            kilograms=form.get(f"kg_{cid}") or None,
            reference=form.get(f"ref_{cid}") or None,
        )
    profile = SimpleNamespace(
        availability=SimpleNamespace(
            weekly_hours_min=form.get("hours_min", ""),
            weekly_hours_max=form.get("hours_max", ""),
            schedule=form.getlist("slot"),
        ),
        licences=form.getlist("licence"),
        interest_sectors=form.getlist("sector"),
        interest_task_kinds=form.getlist("kind"),
        goals=_text(form, "goals"),
        skills=_skills(form),
        education_level=form.get("education_level") or None,
        languages=[
            SimpleNamespace(
                language=str(code), level=SimpleNamespace(value=form.get(f"cefr_{i}", ""))
            )
            for i, code in enumerate(form.getlist("language"))
            if str(code).strip()
        ],
        support=SimpleNamespace(
            job_coach=form.get("job_coach") == "on",
            wage_subsidy_eligible=form.get("wage_subsidy") == "on",
        ),
        consent=SimpleNamespace(scope=form.getlist("scope"), withdrawn_at=None),
    )
    return profile, ratings
