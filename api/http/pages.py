"""The web UI: server-rendered pages (Jinja2) over the same functions as the API, the same
users, roles, consent checks and audit trail. Finnish by default, English on request.

A web session is an ordinary token of the user's, kept in an HttpOnly, SameSite=Strict cookie;
every form carries a CSRF token (:mod:`api.http.csrf`). Pages for matching, proposals and log-in
call the same application services (:mod:`api.services`) as the API, so a page view is checked,
audited and stored exactly as the same API call would be. (People, employers and rule-set pages
still call the API's route functions; issue #10 moves them.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import anyio
import yaml
from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import users
from api.auth.policy import reachable_person
from api.auth.service import LoginThrottledError, log_in
from api.core.audit import Purpose
from api.core.security import COORDINATOR_ROLES, Permission, Role, allowed, hash_token
from api.employers import candidate_requests
from api.employers import network as employer_network
from api.employers import service as employers
from api.employers.schemas import NoteCreate
from api.http.csrf import PRESESSION, SESSION, CsrfError, check_csrf, csrf_token
from api.http.deps import SessionDep, UnauthorizedError, User, request_context, user_for_token
from api.http.lanes import run_heavy, run_market
from api.http.problems import FormField, Problem, form_problems, profile_problems, sheet_problems
from api.http.texts import (
    LANGUAGES,
    group_name,
    metric_name,
    next_step_text,
    texts,
    timeline_text,
)
from api.market import service as market
from api.people import caseload, handoffs, timeline
from api.people import service as people
from api.proposals import follow_up
from api.proposals import service as proposals
from api.proposals.schemas import ProposalCreate
from api.rulesets import evaluation
from api.rulesets import service as ruleset_service
from api.rulesets.schemas import EvaluationRequest
from api.storage import repository
from api.storage.tables import (
    AuditRow,
    EmployerRow,
    ProposalRow,
    RoleRow,
    SuggestionRow,
    TaskRow,
)
from api.suggestions import service as matching
from api.suggestions.schemas import MatchFilters
from features.catalogue import (
    ADJUSTMENTS,
    CHARACTERISTICS,
    INDUSTRIES,
    LICENCES,
    SECTORS,
    TASK_KINDS,
)
from features.catalogue.schedule import (
    DAY_PARTS,
    DAYS,
    SLOT_IDS,
    day_label,
    part_label,
    slot_label,
)
from features.demo.templates import BASELINE, ROLE_TEMPLATES, RoleTemplate, role_from_template
from features.errors import ConflictError, InvalidInputError, NotFoundError, TasmaError
from features.i18n import date_text, datetime_text, gettext_for, pgettext_for, translations
from features.numbers import number
from features.schemas import JobseekerProfile, JobseekerStatus, OutcomeEvent
from features.schemas.employer import ContactChannel, Employer, NeedKind, NetworkStatus, Urgency
from features.schemas.employer import Role as JobRole
from features.schemas.jobseeker import CapacitySource
from features.schemas.proposal import DeclineReason, OutcomeKind, next_steps
from matching.rules import parse_ruleset, ruleset_yaml

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])
templates = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
)


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translations(context["lang"]).gettext(message)


@pass_context
def _pgettext(context: Context, where: str, message: str) -> str:
    return pgettext_for(context["lang"])(where, message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(context["lang"]).ngettext(singular, plural, n)


# Each page's words come from its own language's catalogue (the page's ``lang``).
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    _gettext, _ngettext, newstyle=True, pgettext=_pgettext
)
templates.env.filters["slots"] = lambda slots, lang: ", ".join(slot_label(s, lang) for s in slots)


def _num(value: float, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """A number on a page, through the locale (``features.numbers``)."""
    text = number(value, lang, decimals)
    return ("+" + text) if signed and value > 0 else text


templates.env.filters["num"] = _num
templates.env.filters["metric"] = metric_name
templates.env.filters["group"] = group_name
templates.env.filters["date"] = date_text
templates.env.filters["datetime"] = datetime_text
templates.env.filters["sector"] = lambda code, lang: SECTORS.get(code).name(lang)
templates.env.filters["industry"] = lambda code, lang: INDUSTRIES.get(code).name(lang)
COOKIE = SESSION
HOME = {
    Role.WORK_ABILITY_COORDINATOR: "/ui/jobseekers",
    Role.COMPANY_COORDINATOR: "/ui/jobseekers",
    Role.REKRYPISTE: "/ui/employers",
    Role.ANALYST: "/ui/rulesets",
    Role.ADMIN: "/ui/rulesets",
}


class LoginRequiredError(TasmaError):
    code = "login_required"


def _lang(request: Request) -> str:
    lang = request.cookies.get("lang", "fi")
    return lang if lang in LANGUAGES else "fi"


def _page(
    request: Request, name: str, user: User | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    lang = _lang(request)
    csrf, presession = csrf_token(request)
    problems = [p for p in context.get("errors") or [] if isinstance(p, Problem) and p.anchor]
    context.setdefault("by_field", {p.anchor: p for p in problems})
    response = templates.TemplateResponse(
        request,
        name,
        {"t": texts(lang), "lang": lang, "user": user, "path": request.url.path,
         "csrf": csrf, **context},
        status_code=status_code,
    )  # fmt: skip
    if presession:
        response.set_cookie(PRESESSION, presession, httponly=True, samesite="strict",
                            secure=_secure(request))  # fmt: skip
    return response


def _secure(request: Request) -> bool:
    return bool(request.app.state.settings.environment.value == "production")


ERROR_KINDS = {403: "forbidden", 404: "not_found", 405: "not_found", 409: "conflict",
               413: "too_large", 422: "invalid", 429: "busy", 503: "unavailable"}  # fmt: skip
"""What a web page says for each error status; anything else is a fault on our side."""


def error_page(request: Request, status: int) -> HTMLResponse:
    """The page for an error at a web UI address: what happened and the way on, in the user's
    language, with the status kept — never the API's JSON."""
    kind = ERROR_KINDS.get(status, "internal" if status >= 500 else "invalid")
    return _page(request, "error.html", None, status_code=status, kind=kind, status=status)


def csrf_refused(request: Request, err: CsrfError) -> HTMLResponse:
    """A refused form: said plainly, with the way on (reload and send again)."""
    return _page(request, "refused.html", None, status_code=403)


PAGE_MESSAGES = frozenset({
    "overridden", "outcome", "saved", "reason_needed", "restored", "answered",
    "answer_reason_needed", "handed_off", "handoff_note_needed", "taken_over", "plan_saved",
    "plan_invalid", "visit_planned", "visit_recorded", "visit_invalid", "support_saved",
    "support_invalid", "vacancy_proposed",
})  # fmt: skip
PAGE_ERRORS = frozenset({
    "reason_needed", "answer_reason_needed", "handoff_note_needed", "plan_invalid",
    "visit_invalid", "support_invalid",
})  # fmt: skip
"""Of those, the ones that say something was refused."""
"""The notices a person's page shows after an action: a fixed set of keys into the UI's words,
so that no address can make the page print a text of its own."""


def _user(request: Request, session: SessionDep, permission: Permission) -> User:
    token = request.cookies.get(COOKIE)
    if not token:
        raise LoginRequiredError("log in first")
    try:
        user = user_for_token(session, token)
    except UnauthorizedError:
        raise LoginRequiredError("the session has ended") from None
    if not allowed(user.role, permission):
        raise NotFoundError("no such page for your role")
    return user


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return _page(request, "login.html", None, next=same_site_next(request.query_params.get("next")))


def same_site_next(target: str | None) -> str | None:
    """Where to go after logging in: a page of this UI, or nowhere in particular. Anything
    else — another site (``//evil.example``, ``https://…``), a backslash trick, the log-in
    page itself — is ignored, so a link cannot send a user off-site after a real log-in."""
    if not target or not target.startswith("/ui/") or target.startswith("/ui/login"):
        return None
    if "\\" in target or "//" in target or any(c in target for c in "\r\n\t"):
        return None
    return target


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    settings = request.app.state.settings
    target = same_site_next(next)
    try:
        token, role = log_in(
            session,
            username=username,
            password=password,
            address=request.client.host if request.client else "unknown",
            throttle=request.app.state.login_throttle,
            days=1,
            via="login_web",
            demo_allowed=settings.environment.value != "production",
        )
    except LoginThrottledError as err:
        return _page(request, "login.html", None, status_code=429,
                     wait_seconds=err.retry_after, next=target)  # fmt: skip
    except UnauthorizedError:
        return _page(request, "login.html", None, status_code=401, failed=True, next=target)
    response = RedirectResponse(target or HOME[role], status_code=303)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", max_age=86_400,
        secure=settings.environment.value == "production",
    )  # fmt: skip
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> RedirectResponse:
    token = request.cookies.get(COOKIE)
    if token:  # the token stops working at once, not when the cookie expires
        users.log_out(session, hash_token(token))
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/lang/{lang}")
def switch_language(lang: str, next: str = "/ui/") -> RedirectResponse:
    target = next if next.startswith("/ui/") else "/ui/"  # never off-site
    response = RedirectResponse(target, status_code=303)
    response.set_cookie("lang", lang if lang in LANGUAGES else "fi", samesite="lax")
    return response


@router.get("/")
def home(request: Request, session: SessionDep) -> RedirectResponse:
    token = request.cookies.get(COOKIE)
    if not token:
        return RedirectResponse("/ui/login", status_code=303)
    try:
        user = user_for_token(session, token)
    except UnauthorizedError:
        return RedirectResponse("/ui/login", status_code=303)
    return RedirectResponse(HOME[user.role], status_code=303)


@router.get("/jobseekers", response_class=HTMLResponse)
def jobseekers_page(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=120)] = "",
    status: str = "",
    sort: str = "attention",
    scope: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The caseload ("Omat asiakkaat"): names, status and what needs doing next."""
    user = _user(request, session, Permission.READ_JOBSEEKERS)
    chosen = JobseekerStatus(status) if status in {s.value for s in JobseekerStatus} else None
    sort = sort if sort in caseload.CASELOAD_SORTS else "attention"
    ctx = request_context(request, session, user)
    listed = caseload.caseload(ctx, scope=scope or None, text=q.strip() or None, status=chosen,
                               sort=sort, limit=PAGE_SIZE,
                               offset=(page - 1) * PAGE_SIZE)  # fmt: skip
    lang = _lang(request)
    steps = {r.id: [next_step_text(s, lang, ctx.now) for s in r.next_steps] for r in listed.data}
    return _page(request, "jobseekers.html", user, rows=listed.data, count=listed.count, q=q,
                 status=status, statuses=[s.value for s in JobseekerStatus], sort=sort,
                 sorts=caseload.CASELOAD_SORTS, scope=listed.scope, steps=steps,
                 pager=_pager(request, page, listed.count))  # fmt: skip


PROPOSALS_PER_PAGE = 10
TIMELINE_ON_PAGE = 20
"""A person's page shows the newest twenty things that happened (the API gives up to 500)."""
CANDIDATES_PER_PAGE = 10
CANDIDATE_PAGES = 5
"""A task's candidates are read ten at a time, the best fifty at most: beyond them the
coordinators' own judgement, not a longer list, decides."""
PAGE_SIZE = 50


def _pager(request: Request, page: int, count: int, size: int = PAGE_SIZE) -> dict[str, Any]:
    """Page n of m, and the addresses of the pages before and after (the other query
    parameters kept)."""
    pages = max(1, -(-count // size))

    def address(n: int) -> str:
        return str(request.url.include_query_params(page=n))

    return {
        "page": min(page, pages),
        "pages": pages,
        "previous": address(page - 1) if page > 1 else None,
        "next": address(page + 1) if page < pages else None,
    }


def _capacities(profile: Any, lang: str) -> list[dict[str, Any]]:
    rows = []
    for cid, rating in profile.capacities.items():
        c = CHARACTERISTICS[cid]
        level = c.levels[int(rating.level)]
        rows.append({
            "name": c.name(lang),
            "level": int(rating.level),
            "text": level.text(lang),
            "hard": rating.hard_limit,
            "source": rating.source.value,
            "assessed_on": rating.assessed_on,
        })  # fmt: skip
    return rows


@router.get("/jobseekers/{jobseeker_id}", response_class=HTMLResponse)
def jobseeker_page(
    jobseeker_id: int,
    request: Request,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    user = _user(request, session, Permission.MATCH_PERSON)
    return _jobseeker(request, session, user, jobseeker_id, page=page,
                      message=request.query_params.get("message", ""))  # fmt: skip


def _jobseeker(
    request: Request,
    session: SessionDep,
    user: User,
    jobseeker_id: int,
    *,
    message: str = "",
    outcome_error: dict[str, Any] | None = None,
    plan_sent: dict[str, Any] | None = None,
    status_code: int = 200,
    page: int = 1,
) -> HTMLResponse:
    """The person's page; ``outcome_error`` shows a refused step at its form, with what was
    chosen kept (``proposal_id``, ``kind``, ``reason``, ``text``: a key of the UI's words)."""
    ctx = request_context(request, session, user)
    person = people.read_person(ctx, jobseeker_id, purpose=Purpose.WEB_PERSON_PAGE, via="web")
    row = reachable_person(ctx, jobseeker_id)
    profile = person.profile
    answer = matching.tasks_for_person(
        ctx, jobseeker_id, MatchFilters(k=10), purpose=Purpose.WEB_HIDDEN_JOB_SEARCH
    )
    history, n_proposals = proposals.proposals_of_person(
        ctx, jobseeker_id, PROPOSALS_PER_PAGE, (page - 1) * PROPOSALS_PER_PAGE
    )
    left_out = proposals.left_out_tasks(ctx, jobseeker_id, audited=False)
    handed = handoffs.handoffs_of_person(ctx, jobseeker_id, audited=False)
    asked = (
        candidate_requests.requests_in_view(ctx, jobseeker_id=jobseeker_id)
        if allowed(user.role, Permission.READ_CANDIDATE_REQUESTS)
        else []
    )
    task_ids = [
        *(i.task_id for i in answer.items),
        *(t for p in history for t in p.task_ids),
        *(x.task_id for x in left_out),
        *(t for r in asked for t in r.task_ids),
    ]
    other_role = next(r for r in COORDINATOR_ROLES if r is not user.role)
    happened = timeline.timeline(ctx, jobseeker_id, TIMELINE_ON_PAGE)
    vacancies = matching.open_vacancies_for_person(ctx, jobseeker_id, 5)
    task_ids += [t for v in vacancies.items for t in v.task_ids]
    follow_ups = {
        p.id: follow_up.follow_up(ctx, p.id, audited=False)
        for p in history
        if any(e.kind is OutcomeKind.HIRED for e in p.events)
        and allowed(user.role, Permission.FOLLOW_UP)
    }
    task_ids += [t for e in happened for t in e.task_ids]
    titles = _task_titles(session, task_ids)
    lang = _lang(request)
    news = market.person_news(ctx, jobseeker_id, lang) if ctx.batch and ctx.batch.runs() else None
    return _page(request, "jobseeker.html", user, row=row, profile=profile, news=news,
                 handoffs=handed, requests=asked, other_role=other_role.value,
                 vacancies=vacancies,
                 follow_ups=follow_ups, supports=request.app.state.supports.on(ctx.now.date()),
                 can_follow_up=allowed(user.role, Permission.FOLLOW_UP),
                 page_errors=PAGE_ERRORS,
                 timeline=[(e.at, timeline_text(e, lang, titles)) for e in happened],
                 can_answer=allowed(user.role, Permission.ANSWER_CANDIDATE_REQUESTS),
                 capacities=_capacities(profile, _lang(request)), answer=answer,
                 left_out=left_out, left_out_ids={x.task_id for x in left_out},
                 titles=titles, proposals=history,
                 n_proposals=n_proposals,
                 pager=_pager(request, page, n_proposals, PROPOSALS_PER_PAGE),
                 next_steps={p.id: [k.value for k in next_steps([e.kind for e in p.events])]
                             for p in history},
                 decline_reasons=[r.value for r in DeclineReason],
                 can_override=allowed(user.role, Permission.OVERRIDE),
                 can_propose=allowed(user.role, Permission.PROPOSE),
                 message=message if message in PAGE_MESSAGES else "",
                 outcome_error=outcome_error, plan_sent=plan_sent,
                 status_code=status_code)  # fmt: skip


@router.post("/jobseekers/{jobseeker_id}/overrides")
def override_page(
    jobseeker_id: int,
    request: Request,
    session: SessionDep,
    suggestion_id: Annotated[int, Form(ge=1)],
    task_id: Annotated[int, Form(ge=1)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Leave a suggested task out, with the reason: recorded as an override of the stored
    suggestion (original list, the list without it, and why)."""
    user = _user(request, session, Permission.OVERRIDE)
    ctx = request_context(request, session, user)
    reachable_person(ctx, jobseeker_id)
    suggestion = session.get(SuggestionRow, suggestion_id)
    if suggestion is None or suggestion.jobseeker_id != jobseeker_id:
        raise NotFoundError(f"no suggestion {suggestion_id} for this jobseeker")
    if len(reason.strip()) < 3:
        return RedirectResponse(
            f"/ui/jobseekers/{jobseeker_id}?message=reason_needed", status_code=303
        )
    chosen = [i for i in suggestion.results.get("ids", []) if i != task_id]
    proposals.override_suggestion(ctx, suggestion_id, chosen, reason.strip())
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=overridden", status_code=303)


@router.post("/jobseekers/{jobseeker_id}/left-out/{task_id}/restore")
def restore_page(
    jobseeker_id: int, task_id: int, request: Request, session: SessionDep
) -> Response:
    """Undo "leave out": the task goes back among the suggestions."""
    user = _user(request, session, Permission.OVERRIDE)
    proposals.restore_left_out(request_context(request, session, user), jobseeker_id, task_id)
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=restored", status_code=303)


@router.post("/jobseekers/{jobseeker_id}/proposals/{proposal_id}/events")
def outcome_page(
    jobseeker_id: int,
    proposal_id: int,
    request: Request,
    session: SessionDep,
    kind: Annotated[str, Form(max_length=32)],
    reason: Annotated[str, Form(max_length=32)] = "",
    until: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    user = _user(request, session, Permission.PROPOSE)
    ctx = request_context(request, session, user)
    reachable_person(ctx, jobseeker_id)
    proposal = session.get(ProposalRow, proposal_id)
    if proposal is None or proposal.jobseeker_id != jobseeker_id:
        raise NotFoundError(f"no proposal {proposal_id} for this jobseeker")
    try:
        event = OutcomeEvent.model_validate(
            {"kind": kind, "at": ctx.now, "reason": reason or None, "until": until or None}
        )
        proposals.record_outcome(ctx, proposal_id, event)
    except (ValidationError, TasmaError) as err:
        session.rollback()
        # Said at the step's own form, in the page's language, with the choices kept; the
        # developer's text of the error never reaches the page.
        invalid = isinstance(err, ValidationError)
        about_until = isinstance(err, ValidationError) and any(
            "until:" in str(e["msg"]) for e in err.errors(include_url=False)
        )
        text = ("outcome_until_invalid" if about_until
                else "outcome_reason_needed" if invalid and not reason
                else "outcome_not_allowed")  # fmt: skip
        return _jobseeker(
            request, session, user, jobseeker_id, status_code=422,
            outcome_error={"proposal_id": proposal_id, "kind": kind, "reason": reason,
                           "until": until, "text": text},
        )  # fmt: skip
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=outcome", status_code=303)


def _task_titles(session: SessionDep, task_ids: list[int]) -> dict[int, dict[str, str]]:
    if not task_ids:
        return {}
    rows = session.execute(
        select(TaskRow.id, TaskRow.title, EmployerRow.name)
        .join(RoleRow, RoleRow.id == TaskRow.role_id)
        .join(EmployerRow, EmployerRow.id == RoleRow.employer_id)
        .where(TaskRow.id.in_(task_ids))
    ).all()
    return {r.id: {"title": r.title, "employer": r.name} for r in rows}


def _editor(
    request: Request,
    user: User,
    row: Any,
    profile: Any,
    errors: list[Problem] | None = None,
    ratings: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The profile editor over ``profile`` — the stored one, or after a refused save the
    form as it was sent (:func:`_as_sent`), so that nothing typed is lost."""
    lang = _lang(request)
    ratings = profile.capacities if ratings is None else ratings
    # Others see a physician's statement, and save the profile with it as it was.
    writes_statements = allowed(user.role, Permission.WRITE_PHYSICIAN_STATEMENTS)
    characteristics = [
        {
            "id": cid,
            "name": c.name(lang),
            "levels": [lv.text(lang) for lv in c.levels],
            "kg": c.has_kilograms,
            "rating": ratings.get(cid),
        }
        for cid, c in CHARACTERISTICS.items()
    ]
    return _page(request, "editor.html", user, row=row, profile=profile,
                 characteristics=characteristics, errors=errors or [],
                 days=[(d, day_label(d, lang)) for d in DAYS],
                 parts=[(p, part_label(p, lang)) for p in DAY_PARTS],
                 sources=[s.value for s in CapacitySource
                          if writes_statements or s is not CapacitySource.PHYSICIAN],
                 writes_statements=writes_statements,
                 licences=LICENCES, sectors=SECTORS, kinds=TASK_KINDS,
                 status_code=422 if errors else 200)  # fmt: skip


@router.get("/jobseekers/{jobseeker_id}/edit", response_class=HTMLResponse)
def edit_page(jobseeker_id: int, request: Request, session: SessionDep) -> HTMLResponse:
    user = _user(request, session, Permission.WRITE_JOBSEEKERS)
    ctx = request_context(request, session, user)
    profile = people.read_person(
        ctx, jobseeker_id, purpose=Purpose.WEB_EDIT_PROFILE, via="web"
    ).profile
    row = reachable_person(ctx, jobseeker_id)
    return _editor(request, user, row, profile)


def _edited(profile: Any, form: Any) -> dict[str, Any]:
    """The profile as the form leaves it (validated by the caller, through the schema)."""
    data = profile.model_dump(mode="json")
    capacities = {}
    for cid in CHARACTERISTICS:
        level = form.get(f"level_{cid}", "")
        if level == "":
            continue
        rating: dict[str, Any] = {
            "level": level,
            "source": form.get(f"source_{cid}", "coordinator"),
            "assessed_on": form.get(f"date_{cid}") or datetime.now(UTC).date().isoformat(),
            "hard_limit": form.get(f"stmt_{cid}") == "restriction",
            "recommended": form.get(f"stmt_{cid}") == "recommendation",
        }
        if form.get(f"kg_{cid}"):
            rating["kilograms"] = form.get(f"kg_{cid}")
        if form.get(f"ref_{cid}"):
            rating["reference"] = form.get(f"ref_{cid}")
        capacities[cid] = rating
    data["capacities"] = capacities
    data["availability"]["weekly_hours_min"] = form.get("hours_min", "")
    data["availability"]["weekly_hours_max"] = form.get("hours_max", "")
    data["availability"]["schedule"] = form.getlist("slot")
    data["licences"] = form.getlist("licence")
    data["interest_sectors"] = form.getlist("sector")
    data["interest_task_kinds"] = form.getlist("kind")
    now = datetime.now(UTC).isoformat()
    consent = data.get("consent")
    if form.get("consent") == "on" and (consent is None or consent.get("withdrawn_at")):
        data["consent"] = {"given_at": now, "scope": ["matching"]}
    elif form.get("consent") != "on" and consent and not consent.get("withdrawn_at"):
        data["consent"] = {**consent, "withdrawn_at": now}
    return data


@router.post("/jobseekers/{jobseeker_id}/edit", response_class=HTMLResponse)
async def save_profile(jobseeker_id: int, request: Request, session: SessionDep) -> Response:
    form = await request.form()
    return await anyio.to_thread.run_sync(_save_profile, jobseeker_id, request, session, form)


def _save_profile(jobseeker_id: int, request: Request, session: SessionDep, form: Any) -> Response:
    user = _user(request, session, Permission.WRITE_JOBSEEKERS)
    row = reachable_person(request_context(request, session, user), jobseeker_id)
    profile = repository.get_jobseeker(session, jobseeker_id=jobseeker_id)
    try:
        edited = JobseekerProfile.model_validate(_edited(profile, form))
        people.replace_person(request_context(request, session, user), jobseeker_id, edited)
    except (ValidationError, InvalidInputError) as err:
        session.rollback()
        kept, ratings = _as_sent(form)
        return _editor(request, user, row, kept, profile_problems(err, _lang(request)), ratings)
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=saved", status_code=303)


def _as_sent(form: Any) -> tuple[SimpleNamespace, dict[str, SimpleNamespace]]:
    """The editor's form as it was sent, shaped like a profile for the template: a refused
    save shows every value typed, not the stored profile."""
    ratings = {}
    for cid in CHARACTERISTICS:
        level = str(form.get(f"level_{cid}", ""))
        if not level.isdigit():
            continue
        statement = form.get(f"stmt_{cid}", "")
        day = str(form.get(f"date_{cid}", ""))
        ratings[cid] = SimpleNamespace(
            level=int(level),
            source=SimpleNamespace(value=form.get(f"source_{cid}", "")),
            assessed_on=SimpleNamespace(isoformat=lambda day=day: day),
            hard_limit=statement == "restriction",
            recommended=statement == "recommendation",
            kilograms=form.get(f"kg_{cid}") or None,
            reference=form.get(f"ref_{cid}") or None,
        )
    consent = form.get("consent") == "on"
    profile = SimpleNamespace(
        availability=SimpleNamespace(
            weekly_hours_min=form.get("hours_min", ""),
            weekly_hours_max=form.get("hours_max", ""),
            schedule=form.getlist("slot"),
        ),
        licences=form.getlist("licence"),
        interest_sectors=form.getlist("sector"),
        interest_task_kinds=form.getlist("kind"),
        consent=SimpleNamespace(allows_matching=lambda: consent),
    )
    return profile, ratings


@router.get("/jobseekers/{jobseeker_id}/compose", response_class=HTMLResponse)
def person_compose_page(
    jobseeker_id: int,
    request: Request,
    session: SessionDep,
    radius_km: Annotated[float, Query(gt=0, le=200)] = 25.0,
) -> HTMLResponse:
    """A tailored job for the person: the best bundle of hand-over tasks within the radius."""
    user = _user(request, session, Permission.MATCH_PERSON)
    ctx = request_context(request, session, user)
    row = reachable_person(ctx, jobseeker_id)
    answer = matching.compose_job_for_person(ctx, jobseeker_id, radius_km=radius_km)
    bundle = answer.bundle
    proposed = (
        proposals.bundle_proposal(ctx, row.code, bundle["task_ids"]) if bundle["task_ids"] else None
    )
    return _page(request, "person_compose.html", user, row=row, answer=answer, bundle=bundle,
                 titles=_task_titles(session, bundle["task_ids"]), radius_km=radius_km,
                 adjustments=ADJUSTMENTS, proposed=proposed,
                 can_propose=allowed(user.role, Permission.PROPOSE))  # fmt: skip


@router.post("/jobseekers/{jobseeker_id}/compose/propose")
def propose_tailored_job(
    jobseeker_id: int,
    request: Request,
    session: SessionDep,
    suggestion_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    radius_km: Annotated[float, Form(gt=0, le=200)] = 25.0,
) -> RedirectResponse:
    """The person's tailored job, recorded as one proposal with all its tasks."""
    user = _user(request, session, Permission.PROPOSE)
    ctx = request_context(request, session, user)
    row = reachable_person(ctx, jobseeker_id)
    try:
        proposals.propose_bundle(ctx, suggestion_id, row.code, via="web")
    except ConflictError:  # pressed twice: the first one stands
        session.rollback()
    return RedirectResponse(
        f"/ui/jobseekers/{jobseeker_id}/compose?radius_km={radius_km:g}", status_code=303
    )


@router.post("/jobseekers/{jobseeker_id}/vacancies/{role_id}/propose")
def propose_vacancy(
    jobseeker_id: int,
    role_id: int,
    request: Request,
    session: SessionDep,
    suggestion_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
) -> RedirectResponse:
    """An open vacancy the engine suggested, proposed with every task of the role."""
    user = _user(request, session, Permission.PROPOSE)
    ctx = request_context(request, session, user)
    reachable_person(ctx, jobseeker_id)
    try:
        proposals.propose_vacancy(ctx, suggestion_id, role_id, via="web")
    except ConflictError:  # pressed twice: the first one stands
        session.rollback()
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=vacancy_proposed#proposals",
                            status_code=303)  # fmt: skip


@router.get("/jobseekers/{jobseeker_id}/why-not")
def why_not_any_task(
    jobseeker_id: int, task_id: Annotated[int, Query(ge=1, le=2_147_483_647)]
) -> RedirectResponse:
    """Why not — for any task, by its number (e.g. one the employer mentioned)."""
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}/tasks/{task_id}", status_code=303)


@router.get("/jobseekers/{jobseeker_id}/tasks/{task_id}", response_class=HTMLResponse)
def pair_page(
    jobseeker_id: int, task_id: int, request: Request, session: SessionDep, done: int = 0
) -> HTMLResponse:
    user = _user(request, session, Permission.MATCH_PERSON)
    ctx = request_context(request, session, user)
    answer = matching.why_not(ctx, jobseeker_id, task_id)
    proposed = proposals.open_proposal_with(ctx, jobseeker_id, task_id)
    title = _task_titles(session, [task_id]).get(task_id, {"title": "", "employer": ""})
    return _pair(request, user, answer, proposed, title, jobseeker_id, task_id, done=done)


def _pair(
    request: Request,
    user: User,
    answer: Any,
    proposed: Any,
    title: dict[str, str],
    jobseeker_id: int,
    task_id: int,
    *,
    done: int = 0,
    reason: str = "",
    errors: list[Problem] | None = None,
) -> HTMLResponse:
    rows = [r for r in answer.explanation["comparison"] if r["status"] != "not_needed"]
    return _page(request, "pair.html", user, answer=answer, rows=rows, title=title,
                 jobseeker_id=jobseeker_id, task_id=task_id, done=done, proposed=proposed,
                 can_propose=allowed(user.role, Permission.PROPOSE), reason=reason,
                 errors=errors or [], status_code=422 if errors else 200)  # fmt: skip


@router.post("/jobseekers/{jobseeker_id}/tasks/{task_id}/propose")
def propose(
    jobseeker_id: int,
    task_id: int,
    request: Request,
    session: SessionDep,
    suggestion_id: Annotated[int, Form(ge=1)],
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    user = _user(request, session, Permission.PROPOSE)
    ctx = request_context(request, session, user)
    row = reachable_person(ctx, jobseeker_id)
    try:
        body = ProposalCreate(
            jobseeker_code=row.code,
            task_ids=[task_id],
            suggestion_id=suggestion_id,
            reason=reason.strip() or None,
        )
        proposals.propose(ctx, body, via="web")
    except (ValidationError, InvalidInputError) as err:
        session.rollback()
        answer = matching.why_not(ctx, jobseeker_id, task_id)
        title = _task_titles(session, [task_id]).get(task_id, {"title": "", "employer": ""})
        lang = _lang(request)
        label = gettext_for(lang)("Why you propose it although the engine does not")
        problems = form_problems(err, lang, {"reason": FormField("reason", label)})
        return _pair(request, user, answer, None, title, jobseeker_id, task_id, reason=reason,
                     errors=problems)  # fmt: skip
    except ConflictError:  # pressed twice: the first one stands
        session.rollback()
        return RedirectResponse(
            f"/ui/jobseekers/{jobseeker_id}/tasks/{task_id}?done=2", status_code=303
        )
    return RedirectResponse(
        f"/ui/jobseekers/{jobseeker_id}/tasks/{task_id}?done=1", status_code=303
    )


@router.get("/rulesets", response_class=HTMLResponse)
def rulesets_page(request: Request, session: SessionDep, message: str = "") -> HTMLResponse:
    user = _user(request, session, Permission.READ_RULESETS)
    return _rulesets(request, session, user, message=message)


def _rulesets(
    request: Request,
    session: SessionDep,
    user: User,
    *,
    message: str = "",
    activation_error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The rule sets, the activation requests (who asked, why) and the activations (who
    approved, why)."""

    def recent(action: str) -> list[AuditRow]:
        return list(session.scalars(
            select(AuditRow).where(AuditRow.action == action)
            .order_by(AuditRow.id.desc()).limit(10)
        ).all())  # fmt: skip

    listed = ruleset_service.list_rulesets(session)
    funnel = (
        employer_network.funnel(request_context(request, session, user))
        if allowed(user.role, Permission.EVALUATE)
        else None
    )
    return _page(request, "rulesets.html", user, rows=listed.data, funnel=funnel,
                 active=next((r.version for r in listed.data if r.active), None),
                 requests=recent("request_activation"), activations=recent("activate_ruleset"),
                 message=message if message in ("requested", "activated", "created") else "",
                 can_write=allowed(user.role, Permission.WRITE_RULESETS),
                 activation_error=activation_error, status_code=status_code,
                 can_evaluate=allowed(user.role, Permission.EVALUATE),
                 can_activate=allowed(user.role, Permission.ACTIVATE_RULESET))  # fmt: skip


@router.get("/rulesets/new", response_class=HTMLResponse)
def new_ruleset_page(
    request: Request,
    session: SessionDep,
    base: Annotated[str, Query(alias="from", max_length=64)] = "",
) -> HTMLResponse:
    """A new rule-set version, edited from an existing one (the active one by default) as the
    same YAML the CLI and version control use."""
    user = _user(request, session, Permission.WRITE_RULESETS)
    listed = ruleset_service.list_rulesets(session)
    active = next((r.version for r in listed.data if r.active), listed.data[0].version)
    base = base if any(r.version == base for r in listed.data) else active
    text = ruleset_yaml(ruleset_service.rules(session, base))
    return _page(request, "ruleset_form.html", user, base=base, versions=listed.data,
                 values={"version": "", "note": "", "rules": text})  # fmt: skip


@router.post("/rulesets/new", response_class=HTMLResponse)
def create_ruleset_page(
    request: Request,
    session: SessionDep,
    base: Annotated[str, Form(max_length=64)],
    version: Annotated[str, Form(max_length=64)],
    note: Annotated[str, Form(max_length=500)],
    rules: Annotated[str, Form(max_length=100_000)],
) -> Response:
    user = _user(request, session, Permission.WRITE_RULESETS)
    lang = _lang(request)
    _ = gettext_for(lang)
    values = {"version": version, "note": note, "rules": rules}
    problems = _ruleset_problems(base, version, note, rules, lang)
    if not problems:
        try:
            ruleset = parse_ruleset({**yaml.safe_load(rules), "version": version.strip()})
            ruleset_service.create(request_context(request, session, user), ruleset,
                                   note=note.strip(), parent=base)  # fmt: skip
        except InvalidInputError as err:
            session.rollback()
            fields = {e.field: FormField("version" if e.field == "version" else "rules", e.field)
                      for e in err.errors}  # fmt: skip
            problems = form_problems(err, lang, fields)
        except ConflictError:
            session.rollback()
            problems = [Problem(_("Version: a rule set of this version exists; give the change a "
                                  "new version."), "version")]  # fmt: skip
    if problems:
        listed = ruleset_service.list_rulesets(session)
        return _page(request, "ruleset_form.html", user, base=base, versions=listed.data,
                     values=values, errors=problems, status_code=422)  # fmt: skip
    return RedirectResponse("/ui/rulesets?message=created", status_code=303)


def _ruleset_problems(base: str, version: str, note: str, text: str, lang: str) -> list[Problem]:
    """What the form's own fields get wrong before the rule set itself is read."""
    _ = gettext_for(lang)
    out = []
    if not version.strip():
        out.append(Problem(_("Version: fill this in (for example 2026.12-near)."), "version"))
    if len(note.strip()) < 3:
        out.append(Problem(_("Change note: write what changes and why."), "note"))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        out.append(Problem(_("Rule set: the text is not valid YAML (line %(line)s); check the "
                             "indentation and the colons.") % {"line": line}, "rules"))  # fmt: skip
        return out
    if not isinstance(data, dict):
        out.append(Problem(_("Rule set: the text does not hold a rule set."), "rules"))
    return out


@router.get("/rulesets/compare", response_class=HTMLResponse)
async def compare_page(
    request: Request,
    session: SessionDep,
    a: Annotated[str, Query(max_length=64)],
    b: Annotated[str, Query(max_length=64)],
) -> HTMLResponse:
    """Side by side on the recorded history, with the fairness charts: the same samples and
    so the same figures as the CLI's and the API's; on the analysts' thread, one at a time."""
    user = await anyio.to_thread.run_sync(_user, request, session, Permission.EVALUATE)
    ctx = request_context(request, session, user)
    body = EvaluationRequest(ruleset=a, against=b)
    report = await run_heavy(request, lambda: evaluation.evaluate(ctx, body, via="web"))
    changes = await anyio.to_thread.run_sync(lambda: ruleset_service.diff(session, a, b).changes)
    return _page(
        request, "compare.html", user, report=report, a=a, b=b, changes=changes,
        min_cell=report.a.min_cell,
    )  # fmt: skip


@router.post("/rulesets/{version}/request")
def request_activation(
    version: str,
    request: Request,
    session: SessionDep,
    note: Annotated[str, Form(max_length=500)] = "",
) -> RedirectResponse:
    """An analyst asks an admin to activate a version: an audited request, no change yet."""
    user = _user(request, session, Permission.WRITE_RULESETS)
    ruleset_service.request_activation(request_context(request, session, user), version, note)
    return RedirectResponse("/ui/rulesets?message=requested", status_code=303)


@router.post("/rulesets/{version}/activate", response_model=None)
def activate_page(
    version: str,
    request: Request,
    session: SessionDep,
    note: Annotated[str, Form(max_length=500)] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> RedirectResponse | HTMLResponse:
    """Activation changes every match from now on: it needs the admin's confirmation and a
    note of why, both recorded; without them the page says so at the form."""
    user = _user(request, session, Permission.ACTIVATE_RULESET)
    if confirm != "on" or len(note.strip()) < 3:
        return _rulesets(request, session, user, activation_error=version, status_code=422)
    ruleset_service.activate(request_context(request, session, user), version, note)
    return RedirectResponse("/ui/rulesets?message=activated", status_code=303)


@router.get("/employers", response_class=HTMLResponse)
def employers_page(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    sort: str = "name",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    user = _user(request, session, Permission.READ_EMPLOYERS)
    sort = sort if sort in employers.EMPLOYER_SORTS else "name"
    listed = employers.list_employers(session, name=q, limit=PAGE_SIZE,
                                      offset=(page - 1) * PAGE_SIZE, sort=sort)  # fmt: skip
    return _page(request, "employers.html", user, rows=listed.data, count=listed.count, q=q,
                 sort=sort, pager=_pager(request, page, listed.count))  # fmt: skip


@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    task_type: Annotated[str, Query(alias="type", max_length=16)] = "hand_over",
    sort: str = "employer",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Every employer's tasks, hand-over tasks first: searched by task, role or employer,
    sorted and paged on the server."""
    user = _user(request, session, Permission.READ_EMPLOYERS)
    sort = sort if sort in employers.TASK_SORTS else "employer"
    task_type = task_type if task_type in ("hand_over", "core") else ""
    listed = employers.list_tasks(session, text=q, task_type=task_type or None, sort=sort,
                                  limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)  # fmt: skip
    return _page(request, "tasks.html", user, rows=listed.data, count=listed.count, q=q,
                 task_type=task_type, sort=sort, sorts=list(employers.TASK_SORTS),
                 pager=_pager(request, page, listed.count))  # fmt: skip


@router.get("/employers/new", response_class=HTMLResponse)
def new_employer_page(request: Request, session: SessionDep) -> HTMLResponse:
    user = _user(request, session, Permission.WRITE_EMPLOYERS)
    return _page(request, "employer_form.html", user, errors=[], values={})


@router.post("/employers/new", response_class=HTMLResponse)
def create_employer_page(
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form(max_length=200)],
    business_id: Annotated[str, Form(max_length=20)],
    industry: Annotated[str, Form(max_length=4)],
    street: Annotated[str, Form(max_length=120)],
    postal_code: Annotated[str, Form(max_length=10)],
    municipality: Annotated[str, Form(max_length=64)],
) -> Response:
    user = _user(request, session, Permission.WRITE_EMPLOYERS)
    lang = _lang(request)
    _ = gettext_for(lang)
    values = {
        "name": name,
        "business_id": business_id,
        "industry": industry,
        "street": street,
        "postal_code": postal_code,
        "municipality": municipality,
    }
    try:
        employer = Employer.model_validate(
            {
                "name": name,
                "business_id": business_id,
                "industry": industry,
                "address": {
                    "street": street,
                    "postal_code": postal_code,
                    "municipality": municipality,
                },
            }
        )
        new_id = employers.create_employer(request_context(request, session, user), employer)
    except ConflictError:
        session.rollback()
        taken = Problem(
            _("An employer with this business ID is registered already: find it in the list of "
              "employers."),
            "business_id",
        )  # fmt: skip
        return _page(request, "employer_form.html", user, errors=[taken], values=values,
                     status_code=409)  # fmt: skip
    except (ValidationError, TasmaError) as err:
        session.rollback()
        problems = form_problems(err, lang, _employer_fields(lang))
        return _page(request, "employer_form.html", user, errors=problems, values=values,
                     status_code=422)  # fmt: skip
    return RedirectResponse(f"/ui/employers/{new_id}?message=created", status_code=303)


def _employer_fields(lang: str) -> dict[str, FormField]:
    _ = gettext_for(lang)
    return {
        "name": FormField("name", _("Employer")),
        "business_id": FormField("business_id", _("Business ID")),
        "industry": FormField("industry", _("Industry (TOL, 2 digits)"),
                              _("two digits of the TOL 2008 classification, for example 56.")),
        "address.street": FormField("street", _("Street address")),
        "address.postal_code": FormField("postal_code", _("Postal code"),
                                         _("five digits, for example 15110.")),
        "address.municipality": FormField("municipality", _("Municipality")),
    }  # fmt: skip


@router.get("/employers/{employer_id}", response_class=HTMLResponse)
def employer_page(
    employer_id: int, request: Request, session: SessionDep, message: str = ""
) -> HTMLResponse:
    user = _user(request, session, Permission.READ_EMPLOYERS)
    return _employer(request, session, user, employer_id, message=message)


def _employer(
    request: Request, session: SessionDep, user: User, employer_id: int, **context: Any
) -> HTMLResponse:
    employer = repository.get_employer(session, employer_id=employer_id)
    roles = repository.list_employer_tasks(session, employer_id=employer_id)
    ctx = request_context(request, session, user)
    needs = employer_network.list_needs(ctx, employer_id)
    pool = None
    if allowed(user.role, Permission.READ_MARKET):
        pool = market.employer_news(ctx, employer_id)
    return _page(request, "employer.html", user, employer=employer, employer_id=employer_id,
                 roles=roles, channels=[c.value for c in ContactChannel], needs=needs,
                 pool=pool, pool_of={n.task_id: n for n in pool.data} if pool else {},
                 role_ids=session.scalars(select(RoleRow.id).where(
                     RoleRow.employer_id == employer_id).order_by(RoleRow.id)).all(),
                 can_read_market=allowed(user.role, Permission.READ_MARKET),
                 need_kinds=[k.value for k in NeedKind], urgencies=[u.value for u in Urgency],
                 network_statuses=[s.value for s in NetworkStatus],
                 can_write=allowed(user.role, Permission.WRITE_EMPLOYERS), **context)  # fmt: skip


@router.post("/employers/{employer_id}/notes")
def add_note_page(
    employer_id: int,
    request: Request,
    session: SessionDep,
    text: Annotated[str, Form(min_length=1, max_length=2000)],
    channel: Annotated[str, Form(max_length=16)],
) -> Response:
    user = _user(request, session, Permission.WRITE_EMPLOYERS)
    lang = _lang(request)
    _ = gettext_for(lang)
    try:
        body = NoteCreate(channel=channel, text=text)
        employers.add_note(request_context(request, session, user), employer_id, body)
    except (ValidationError, InvalidInputError) as err:
        session.rollback()
        fields = {"channel": FormField("channel", _("Channel")),
                  "text": FormField("text", _("Add a note"))}  # fmt: skip
        return _employer(request, session, user, employer_id, status_code=422,
                         errors=form_problems(err, lang, fields), errors_about="note",
                         note={"channel": channel, "text": text})  # fmt: skip
    return RedirectResponse(f"/ui/employers/{employer_id}?message=note", status_code=303)


@router.post("/employers/{employer_id}/ratko")
def upload_page(
    employer_id: int,
    request: Request,
    session: SessionDep,
    file: UploadFile,
    replace: Annotated[bool, Form()] = False,
) -> Response:
    user = _user(request, session, Permission.WRITE_EMPLOYERS)
    try:
        ctx = request_context(request, session, user)
        data, name = file.file.read(), file.filename or "upload"
        employers.upload_ratko(ctx, employer_id, data, name, replace=replace)
    except InvalidInputError as err:
        session.rollback()
        return _employer(
            request,
            session,
            user,
            employer_id,
            status_code=422,
            errors=sheet_problems(err, _lang(request)),
            errors_about="sheet",
        )
    except ConflictError as err:
        session.rollback()
        problem = Problem(_sheet_conflict(str(err), _lang(request)), "replace")
        return _employer(request, session, user, employer_id, status_code=409,
                         errors=[problem], errors_about="sheet", replace=True)  # fmt: skip
    return RedirectResponse(f"/ui/employers/{employer_id}?message=uploaded", status_code=303)


def _sheet_conflict(reason: str, lang: str) -> str:
    _ = gettext_for(lang)
    if "proposal" in reason:
        return _(
            "Nothing was stored: the employer's tasks are named in proposals, so its roles "
            "cannot be replaced. Give the sheet's roles new titles and upload it again."
        )
    return _("Nothing was stored: the employer has a role of a title in the sheet already. Choose "
             "the file again and either replace the current roles, or give the sheet's roles new "
             "titles.")  # fmt: skip


def _template(number: int) -> RoleTemplate:
    if not 0 <= number < len(ROLE_TEMPLATES):
        raise NotFoundError(f"no role template {number}")
    return ROLE_TEMPLATES[number]


@router.get("/employers/{employer_id}/roles/new", response_class=HTMLResponse)
def new_role_page(
    employer_id: int,
    request: Request,
    session: SessionDep,
    template: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> HTMLResponse:
    """Start a Ratko decomposition from a sector template: edit the tasks, hours, schedule,
    the demands the template names, hand-over, and the adjustments the employer accepts."""
    user = _user(request, session, Permission.WRITE_EMPLOYERS)
    return _role_form(request, user, session, employer_id, template)


def _role_form(
    request: Request,
    user: User,
    session: SessionDep,
    employer_id: int,
    number: int,
    sent: tuple[str, list[tuple[bool, dict[str, Any]]]] | None = None,
    errors: list[Problem] | None = None,
    status_code: int = 200,
    conflict: bool = False,
    vacancy: tuple[bool, str] = (False, ""),
) -> HTMLResponse:
    """The role form: the template's role, or — after a refused save — the role as it was sent
    (every task, kept or left out, with what was typed; ``vacancy``: open, and its hours)."""
    lang = _lang(request)
    employer = repository.get_employer(session, employer_id=employer_id)
    chosen = _template(number)
    if sent is None:
        base = role_from_template(chosen).model_dump(mode="json")
        sent = (base["title"], [(True, task) for task in base["tasks"]])
    title, tasks = sent
    named = [
        sorted(c for c, level in t.demands.items() if level != BASELINE.get(c, 0))
        for t in chosen.tasks
    ]
    names = {cid: (c.name(lang)) for cid, c in CHARACTERISTICS.items()}
    levels = {cid: [lv.text(lang) for lv in c.levels] for cid, c in CHARACTERISTICS.items()}
    return _page(request, "role_form.html", user, employer=employer, employer_id=employer_id,
                 templates=list(enumerate(ROLE_TEMPLATES)), number=number, role_title=title,
                 tasks=tasks, named=named, names=names, levels=levels, slot_ids=SLOT_IDS,
                 adjustments=ADJUSTMENTS, errors=errors or [], conflict=conflict,
                 open_vacancy=vacancy[0], vacancy_hours=vacancy[1],
                 status_code=status_code)  # fmt: skip


@router.post("/employers/{employer_id}/roles/new", response_class=HTMLResponse)
async def save_role(employer_id: int, request: Request, session: SessionDep) -> Response:
    form = await request.form()
    return await anyio.to_thread.run_sync(_save_role, employer_id, request, session, form)


def _save_role(employer_id: int, request: Request, session: SessionDep, form: Any) -> Response:
    user = _user(request, session, Permission.WRITE_EMPLOYERS)
    number = int(form.get("template", "0")) if str(form.get("template", "0")).isdigit() else -1
    base = role_from_template(_template(number)).model_dump(mode="json")
    sent: list[tuple[bool, dict[str, Any]]] = []
    for i, task in enumerate(base["tasks"]):
        task["title"] = form.get(f"title_{i}", task["title"])
        task["task_type"] = form.get(f"type_{i}", task["task_type"])
        task["hours_per_week"] = form.get(f"hours_{i}", task["hours_per_week"])
        task["schedule"] = form.getlist(f"schedule_{i}")
        for key, value in form.items():
            if key.startswith(f"demand_{i}_"):
                task["demands"][key.removeprefix(f"demand_{i}_")] = value
        task["accepted_adjustments"] = form.getlist(f"adjustment_{i}")
        sent.append((form.get(f"keep_{i}") == "on", task))
    title = str(form.get("role_title", base["title"]))
    kept = [i for i, (keep, _task) in enumerate(sent) if keep]
    vacancy = (form.get("open_vacancy") == "on", str(form.get("vacancy_hours", "")).strip())
    data = {**base, "title": title, "tasks": [sent[i][1] for i in kept],
            "open_vacancy": vacancy[0], "vacancy_hours": vacancy[1] or None}  # fmt: skip
    lang = _lang(request)
    try:
        role = JobRole.model_validate(data)
        employers.add_role(request_context(request, session, user), employer_id, role,
                           replace=form.get("on_conflict") == "replace")  # fmt: skip
    except ConflictError as err:
        session.rollback()
        problem = Problem(_role_conflict(str(err), lang), "role_title")
        return _role_form(request, user, session, employer_id, number, (title, sent), [problem],
                          status_code=409, conflict=True, vacancy=vacancy)  # fmt: skip
    except ValidationError as err:
        session.rollback()
        problems = form_problems(err, lang, _role_fields(lang, [(k, sent[k][1]) for k in kept]))
        return _role_form(request, user, session, employer_id, number, (title, sent), problems,
                          status_code=422, vacancy=vacancy)  # fmt: skip
    return RedirectResponse(f"/ui/employers/{employer_id}?message=role", status_code=303)


def _role_conflict(reason: str, lang: str) -> str:
    _ = gettext_for(lang)
    if "proposal" in reason:
        return _("Role title: a role of this title has tasks named in proposals, so it cannot be "
                 "replaced. Give this role another title.")  # fmt: skip
    return _("Role title: the employer has a role of this title already. Give this role another "
             "title, or choose to replace the existing role and its tasks.")  # fmt: skip


def _role_fields(lang: str, kept: list[tuple[int, dict[str, Any]]]) -> dict[str, FormField]:
    """Where each of the role's fields is on the form: the kept tasks' positions in the role
    are not their places on the form (a task left out moves the rest up)."""
    _ = gettext_for(lang)
    fields = {
        "title": FormField("role_title", _("Role title")),
        "vacancy_hours": FormField("vacancy_hours", _("The position's hours a week")),
    }
    for position, (i, task) in enumerate(kept):
        name = str(task.get("title") or i + 1)
        for field, anchor, label in (
            ("title", f"title_{i}", _("Task")),
            ("task_type", f"type_{i}", _("Type")),
            ("hours_per_week", f"hours_{i}", _("Hours a week")),
            ("schedule", f"schedule_{i}", _("Schedule")),
        ):
            fields[f"tasks[{position}].{field}"] = FormField(anchor, f"{name} › {label}")
    return fields


@router.get("/employers/{employer_id}/tasks/{task_id}/candidates", response_class=HTMLResponse)
def candidates_page(
    employer_id: int,
    task_id: int,
    request: Request,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=CANDIDATE_PAGES)] = 1,
) -> HTMLResponse:
    """Candidates for one hand-over task: pseudonymous codes and their fit, nothing else; the
    best ``CANDIDATE_PAGES`` × ``CANDIDATES_PER_PAGE``, a page at a time."""
    user = _user(request, session, Permission.MATCH_TASKS)
    employer = repository.get_employer(session, employer_id=employer_id)
    ctx = request_context(request, session, user)
    answer = matching.candidates_for_tasks(ctx, [task_id], page * CANDIDATES_PER_PAGE)
    first = (page - 1) * CANDIDATES_PER_PAGE
    shown = min(answer.n_feasible, CANDIDATE_PAGES * CANDIDATES_PER_PAGE)
    pager = _pager(request, page, shown, CANDIDATES_PER_PAGE)
    answer = answer.model_copy(update={"items": answer.items[first:]})
    title = _task_titles(session, [task_id]).get(task_id, {"title": "", "employer": ""})
    return _page(request, "candidates.html", user, employer=employer, employer_id=employer_id,
                 answer=answer, title=title, task_id=task_id, adjustments=ADJUSTMENTS, first=first,
                 shown=shown, can_request=allowed(user.role, Permission.REQUEST_CANDIDATES),
                 pager=pager)  # fmt: skip


@router.get("/employers/{employer_id}/compose", response_class=HTMLResponse)
def compose_page(employer_id: int, request: Request, session: SessionDep) -> HTMLResponse:
    user = _user(request, session, Permission.COMPOSE)
    employer = repository.get_employer(session, employer_id=employer_id)
    answer = matching.compose_for_employer_tasks(request_context(request, session, user),
                                                 employer_id, 5)  # fmt: skip
    task_ids = [t for item in answer.items for t in item["task_ids"]]
    return _page(request, "compose.html", user, employer=employer, employer_id=employer_id,
                 answer=answer, titles=_task_titles(session, task_ids),
                 adjustments=ADJUSTMENTS)  # fmt: skip


@router.get("/employers/{employer_id}/proposal", response_class=HTMLResponse)
async def printable_proposal(
    employer_id: int,
    request: Request,
    session: SessionDep,
    code: Annotated[str, Query(max_length=16)],
    suggestion: Annotated[int, Query(ge=1, le=2_147_483_647)],
) -> HTMLResponse:
    """One page for the employer: tasks, hours, schedule, adjustments and supports — no
    health details, no name. Printed from the stored composition, never recomputed; in the
    market lane, for the what-if of each task."""
    return await run_market(
        request, lambda: _printable_proposal(employer_id, request, session, code, suggestion)
    )


def _printable_proposal(
    employer_id: int, request: Request, session: Session, code: str, suggestion: int
) -> HTMLResponse:
    user = _user(request, session, Permission.COMPOSE)
    ctx = request_context(request, session, user)
    employer = repository.get_employer(session, employer_id=employer_id)
    chosen = matching.stored_employer_bundle(ctx, employer_id, suggestion, code)
    tasks = {
        r.id: r for r in session.scalars(select(TaskRow).where(TaskRow.id.in_(chosen["task_ids"])))
    }
    proposed = proposals.bundle_proposal(ctx, code, chosen["task_ids"])
    lang = _lang(request)
    widen = [
        (tasks[t].title, v.sentence)
        for t in chosen["task_ids"]
        for v in market.task_what_if(ctx, t, lang).variants[:1]
        if v.more and v.kind == "adjustment"
    ]
    return _page(request, "proposal.html", user, employer=employer, employer_id=employer_id,
                 widen=widen,
                 item=chosen, suggestion_id=suggestion, proposed=proposed,
                 tasks=[tasks[t] for t in chosen["task_ids"]], adjustments=ADJUSTMENTS,
                 supports=request.app.state.supports.on(datetime.now(UTC).date()),
                 today=datetime.now(UTC).date())  # fmt: skip


@router.post("/employers/{employer_id}/proposal")
def record_printable_proposal(
    employer_id: int,
    request: Request,
    session: SessionDep,
    code: Annotated[str, Form(max_length=16)],
    suggestion: Annotated[int, Form(ge=1, le=2_147_483_647)],
) -> RedirectResponse:
    """The printable proposal, recorded as a proposal of the candidate for every task of it."""
    user = _user(request, session, Permission.PROPOSE)
    ctx = request_context(request, session, user)
    try:
        proposals.propose_bundle(ctx, suggestion, code, employer_id=employer_id, via="web")
    except ConflictError:  # pressed twice: the first one stands
        session.rollback()
    query = urlencode({"code": code, "suggestion": suggestion})
    return RedirectResponse(f"/ui/employers/{employer_id}/proposal?{query}", status_code=303)


def login_redirect(request: Request, _err: LoginRequiredError) -> RedirectResponse:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/ui/login?next={quote(here, safe='')}", status_code=303)
