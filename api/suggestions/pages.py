"""The web UI's matching pages: a person's tailored job, the comparison of a person and a task
(why not), a task's candidates, the employer's composed jobs and the printable proposal, and
proposing from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.auth.policy import reachable_person
from api.core.purposes import Purpose
from api.core.security import Permission, allowed
from api.employers import candidate_requests
from api.employers import service as employers
from api.employers.schemas import CandidateRequestCreate
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.lanes import run_market
from api.http.pages import _lang, _page, _pager, page_context_for
from api.http.problems import FormField, Problem, form_problems
from api.market import service as market
from api.people import service as people
from api.people.flows import RefusedForm
from api.people.person_pages import refused_form_page
from api.proposals import service as proposals
from api.proposals.schemas import ProposalCreate
from api.suggestions import service as matching
from features.catalogue import ADJUSTMENTS
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.i18n import gettext_for
from features.numbers import digits
from features.schemas.dates import today_in_finland
from features.schemas.errors import FieldError

__all__ = ["router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])


CANDIDATES_PER_PAGE = 10
CANDIDATE_PAGES = 5
"""A task's candidates are read ten at a time, the best fifty at most: beyond them the
coordinators' own judgement, not a longer list, decides."""


def _title(session: Session, task_id: int) -> dict[str, str]:
    """The task's title and its employer's name (empty if there is no such task)."""
    return employers.task_titles(session, [task_id]).get(task_id, {"title": "", "employer": ""})


@router.get("/jobseekers/{jobseeker_id}/compose", response_class=HTMLResponse)
def person_compose_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.MATCH_PERSON)],
    radius_km: Annotated[float, Query(gt=0, le=200)] = 25.0,
) -> HTMLResponse:
    """A tailored job for the person: the best bundle of hand-over tasks within the radius."""
    row = reachable_person(ctx, jobseeker_id)
    answer = matching.compose_job_for_person(ctx, jobseeker_id, radius_km=radius_km)
    bundle = answer.bundle
    proposed = (
        proposals.bundle_proposal(ctx, row.code, bundle["task_ids"]) if bundle["task_ids"] else None
    )
    return _page(request, "person_compose.html", ctx.actor, row=row, answer=answer,
                 bundle=bundle, titles=employers.task_titles(ctx.session, bundle["task_ids"]),
                 radius_km=radius_km, adjustments=ADJUSTMENTS, proposed=proposed,
                 can_propose=allowed(ctx.actor.role, Permission.PROPOSE))  # fmt: skip


@router.get("/jobseekers/{jobseeker_id}/propose", response_class=HTMLResponse)
def confirm_proposal_page(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.PROPOSE)],
    suggestion_id: Annotated[int, Query(ge=1, le=2_147_483_647)],
    task_id: Annotated[list[int] | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    """The confirmation before a proposal is recorded — a task, an open vacancy or a tailored
    job, from the list that put it forward: the person, the tasks and their employers, a note,
    and the reason where the rules exclude it. Nothing is stored until it is confirmed."""
    return _confirmation(request, ctx, jobseeker_id, suggestion_id, task_id or [])


@router.post("/jobseekers/{jobseeker_id}/propose", response_model=None)
def propose(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.PROPOSE)],
    suggestion_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    task_id: Annotated[list[int] | None, Form(max_length=20)] = None,
    note: Annotated[str, Form(max_length=4000)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The confirmed proposal, recorded with the note (and the reason, against the rules)."""
    row = reachable_person(ctx, jobseeker_id)
    try:
        body = ProposalCreate(jobseeker_code=row.code, task_ids=task_id or [],
                              suggestion_id=suggestion_id, reason=reason.strip() or None,
                              note=note.strip())  # fmt: skip
        proposals.propose(ctx, body, via="web")
    except (ValidationError, InvalidInputError) as err:
        ctx.session.rollback()
        lang = _lang(request)
        _ = gettext_for(lang)
        why = _("Why you propose it although the engine does not")
        fields = {"reason": FormField("reason", why), "note": FormField("note", _("Note"))}
        problems = form_problems(err, lang, fields)
        return _confirmation(request, ctx, jobseeker_id, suggestion_id, task_id or [],
                             sent={"note": note, "reason": reason}, errors=problems)  # fmt: skip
    except ConflictError:  # confirmed twice: the first one stands
        ctx.session.rollback()
        if note.strip():  # the second note is not lost without a word: shown to copy
            return _confirmation(request, ctx, jobseeker_id, suggestion_id, task_id or [],
                                 sent={"note": note})  # fmt: skip
        return RedirectResponse(
            f"/ui/jobseekers/{jobseeker_id}?message=already_proposed#proposals", status_code=303
        )
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?message=proposed#proposals",
                            status_code=303)  # fmt: skip


def _confirmation(
    request: Request,
    ctx: Context,
    jobseeker_id: int,
    suggestion_id: int,
    task_ids: list[int],
    *,
    sent: dict[str, str] | None = None,
    errors: list[Problem] | None = None,
) -> HTMLResponse:
    person = people.read_person(ctx, jobseeker_id, purpose=Purpose.EMPLOYER_CONTACT, via="web")
    row = reachable_person(ctx, jobseeker_id)
    code = row.code
    try:
        checked = proposals.check_proposal(ctx, ProposalCreate(
            jobseeker_code=code, task_ids=task_ids, suggestion_id=suggestion_id))  # fmt: skip
    except (ValidationError, InvalidInputError):
        # Only an address made by hand gets here (the pages link only what a list put forward).
        raise NotFoundError(f"no such proposal to make for {code}") from None
    titles = employers.task_titles(ctx.session, checked.task_ids)
    back = (f"/ui/jobseekers/{jobseeker_id}/tasks/{task_ids[0]}" if len(task_ids) == 1
            else f"/ui/jobseekers/{jobseeker_id}")  # fmt: skip
    hidden = [("suggestion_id", suggestion_id), *(("task_id", t) for t in checked.task_ids)]
    return _page(request, "propose.html", ctx.actor, row=row, code=code,
                 action=f"/ui/jobseekers/{jobseeker_id}/propose", hidden=hidden,
                 identity=person.identity, checked=checked, titles=titles, back=back,
                 employer_names=sorted({titles[t]["employer"] for t in titles}),
                 sent=sent or {}, errors=errors or [],
                 status_code=422 if errors else 200)  # fmt: skip


@router.get("/jobseekers/{jobseeker_id}/why-not", response_model=None)
def why_not_any_task(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.MATCH_PERSON)],
    task_id: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    """Why not — for any task, by its number (e.g. one the employer mentioned). A number that
    is none, or no task's, is said at the form on the person's page, the number typed kept."""
    reachable_person(ctx, jobseeker_id)
    lang = _lang(request)
    _ = gettext_for(lang)
    typed = task_id.strip()
    number = digits(typed) if len(typed) <= 9 else None
    if number is not None and employers.task_titles(ctx.session, [number]):
        return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}/tasks/{number}", status_code=303)
    if number is None:
        said = FieldError("task_id", "not a task number",
                          "missing" if not typed else "not_a_task_number")  # fmt: skip
    else:
        said = FieldError("task_id", "no such task", "unknown_task", {"value": number})
    fields = {"task_id": FormField("task_id", _("Task number"))}
    problems = form_problems(InvalidInputError([said]), lang, fields)
    refused = RefusedForm("why_not", sent={"task_id": typed})
    return refused_form_page(request, ctx, jobseeker_id, refused, problems, status_code=422)


@router.get("/jobseekers/{jobseeker_id}/tasks/{task_id}", response_class=HTMLResponse)
def pair_page(
    jobseeker_id: int,
    task_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.MATCH_PERSON)],
) -> HTMLResponse:
    answer = matching.why_not(ctx, jobseeker_id, task_id)
    proposed = proposals.open_proposal_with(ctx, jobseeker_id, task_id)
    rows = [r for r in answer.explanation["comparison"] if r["status"] != "not_needed"]
    return _page(request, "pair.html", ctx.actor, answer=answer, rows=rows,
                 title=_title(ctx.session, task_id), jobseeker_id=jobseeker_id, task_id=task_id,
                 proposed=proposed,
                 can_propose=allowed(ctx.actor.role, Permission.PROPOSE))  # fmt: skip


@router.get("/employers/{employer_id}/tasks/{task_id}/candidates", response_class=HTMLResponse)
def candidates_page(
    employer_id: int,
    task_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.MATCH_TASKS)],
    page: Annotated[int, Query(ge=1, le=CANDIDATE_PAGES)] = 1,
    asked: Annotated[int, Query(ge=0, le=50)] = 0,
) -> HTMLResponse:
    """Candidates for one hand-over task: pseudonymous codes and their fit, nothing else; the
    best ``CANDIDATE_PAGES`` × ``CANDIDATES_PER_PAGE``, a page at a time — each with the state
    of the Rekrypiste worker's own request about them."""
    return _candidates(request, ctx, employer_id, task_id, page, ChosenForm(asked=asked))


@dataclass(frozen=True)
class ChosenForm:
    """The list's "ask the chosen" form: what was chosen and written (kept when refused), what
    was wrong with it, or — after it was sent — how many were asked."""

    chosen: frozenset[str] = frozenset()
    note: str = ""
    errors: tuple[Problem, ...] = ()
    asked: int = 0


def _candidates(
    request: Request, ctx: Context, employer_id: int, task_id: int, page: int, form: ChosenForm
) -> HTMLResponse:
    employer = employers.read_employer(ctx.session, employer_id)
    employers.task_of_employer(ctx.session, employer_id, task_id)
    answer = matching.candidates_for_tasks(ctx, [task_id], page * CANDIDATES_PER_PAGE)
    first = (page - 1) * CANDIDATES_PER_PAGE
    shown = min(answer.n_feasible, CANDIDATE_PAGES * CANDIDATES_PER_PAGE)
    pager = _pager(request, page, shown, CANDIDATES_PER_PAGE)
    answer = answer.model_copy(update={"items": answer.items[first:]})
    title = _title(ctx.session, task_id)
    states = candidate_requests.request_states(ctx, {i.code: [task_id] for i in answer.items})
    return _page(request, "candidates.html", ctx.actor, employer=employer,
                 employer_id=employer_id, answer=answer, title=title, task_id=task_id,
                 scale=matching.score_scale(ctx), page=page,
                 adjustments=ADJUSTMENTS, first=first, shown=shown, states=states, form=form,
                 errors=list(form.errors), status_code=422 if form.errors else 200,
                 can_request=allowed(ctx.actor.role, Permission.REQUEST_CANDIDATES),
                 pager=pager)  # fmt: skip


@router.post("/employers/{employer_id}/tasks/{task_id}/candidates/ask", response_model=None)
def ask_chosen_candidates(
    employer_id: int,
    task_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.REQUEST_CANDIDATES)],
    suggestion_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    chosen: Annotated[list[str] | None, Form(max_length=50)] = None,
    note: Annotated[str, Form(max_length=2000)] = "",
    page: Annotated[int, Form(ge=1, le=CANDIDATE_PAGES)] = 1,
) -> Response:
    """The candidates chosen on the list, asked about this task in one go — or, refused, the
    list again at its error summary with the choices and the note kept."""
    employers.task_of_employer(ctx.session, employer_id, task_id)  # 404 before anything
    codes = [c.strip() for c in chosen or []]
    asks = [(code, [task_id]) for code in codes]
    refused = _ask_chosen(request, ctx, suggestion_id, asks, note)
    if refused:
        form = ChosenForm(frozenset(codes), note, tuple(refused))
        return _candidates(request, ctx, employer_id, task_id, page, form)
    query = urlencode({"page": page, "asked": len(asks)})
    return RedirectResponse(
        f"/ui/employers/{employer_id}/tasks/{task_id}/candidates?{query}#asked", status_code=303
    )


def _ask_chosen(
    request: Request, ctx: Context, suggestion_id: int, asks: list[tuple[str, list[int]]],
    note: str,
) -> list[Problem]:  # fmt: skip
    """Ask about the chosen (code, tasks) from the list in one go; what was refused, said in
    the page's language at each chosen candidate (nothing asked then)."""
    _ = gettext_for(_lang(request))
    try:
        bodies = [
            CandidateRequestCreate(
                jobseeker_code=code, task_ids=tasks, suggestion_id=suggestion_id, note=note.strip()
            )
            for code, tasks in asks
        ]
        candidate_requests.ask_many(ctx, bodies)
    except (ValidationError, InvalidInputError, NotFoundError) as err:
        ctx.session.rollback()
        if isinstance(err, InvalidInputError) and err.errors[0].kind == "none_chosen":
            return [Problem(_("Choose at least one candidate to ask."))]
        if not isinstance(err, InvalidInputError):  # a forged value, or a list out of reach
            return [Problem(_("The choice could not be read: load the list again and choose."))]
        said = {
            "not_shown": _("%(code)s is no longer a candidate who may be shown to employers "
                           "(consent withdrawn, for example): clear the choice."),
            "not_put_forward": _("%(code)s is not on this list: clear the choice."),
            "already_asked": _("%(code)s has been asked about this already and the answer is "
                               "awaited: clear the choice."),
            "asked_twice": _("%(code)s is chosen twice: clear one of them."),
        }  # fmt: skip
        return [
            Problem(said[e.kind] % {"code": code}, f"choose-{code}")
            for e in err.errors
            if (code := str(e.context.get("code", "")))
        ]
    return []


@router.get("/employers/{employer_id}/compose", response_class=HTMLResponse)
def compose_page(
    employer_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.COMPOSE)],
    asked: Annotated[int, Query(ge=0, le=50)] = 0,
) -> HTMLResponse:
    return _compose(request, ctx, employer_id, ChosenForm(asked=asked))


def _compose(request: Request, ctx: Context, employer_id: int, form: ChosenForm) -> HTMLResponse:
    employer = employers.read_employer(ctx.session, employer_id)
    answer = matching.compose_for_employer_tasks(ctx, employer_id, 5)
    task_ids = [t for item in answer.items for t in item["task_ids"]]
    states = candidate_requests.request_states(
        ctx, {item["code"]: item["task_ids"] for item in answer.items}
    )
    return _page(request, "compose.html", ctx.actor, employer=employer, employer_id=employer_id,
                 answer=answer, titles=employers.task_titles(ctx.session, task_ids),
                 adjustments=ADJUSTMENTS, states=states, form=form, errors=list(form.errors),
                 can_request=allowed(ctx.actor.role, Permission.REQUEST_CANDIDATES),
                 status_code=422 if form.errors else 200)  # fmt: skip


@router.post("/employers/{employer_id}/compose/ask", response_model=None)
def ask_chosen_composed(
    employer_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.REQUEST_CANDIDATES)],
    suggestion_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    chosen: Annotated[list[str] | None, Form(max_length=50)] = None,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The candidates chosen in the composition, each asked about their own tailored job (the
    value chosen is ``CODE:task,task``; the list it names is checked to have put it forward)."""
    employers.read_employer(ctx.session, employer_id)  # 404 before anything is asked
    asks = [_composed(value) for value in chosen or []]
    refused = _ask_chosen(request, ctx, suggestion_id, asks, note)
    if refused:
        form = ChosenForm(frozenset(code for code, _tasks in asks), note, tuple(refused))
        return _compose(request, ctx, employer_id, form)
    return RedirectResponse(
        f"/ui/employers/{employer_id}/compose?asked={len(asks)}#asked", status_code=303
    )


def _composed(value: str) -> tuple[str, list[int]]:
    """``CODE:12,13`` → the code and its tasks (nothing readable: no tasks, refused later)."""
    code, _sep, tasks = value.strip().partition(":")
    typed = [t.strip() for t in tasks.split(",")]
    numbers = [n for t in typed if len(t) <= 9 and (n := digits(t)) is not None]
    return code, numbers


@router.get("/employers/{employer_id}/proposal", response_class=HTMLResponse)
async def printable_proposal(
    employer_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.COMPOSE)],
    code: Annotated[str, Query(max_length=16)],
    suggestion: Annotated[int, Query(ge=1, le=2_147_483_647)],
) -> HTMLResponse:
    """One page for the employer: tasks, hours, schedule, adjustments and supports — no
    health details, no name. Printed from the stored composition, never recomputed; in the
    market lane, for the what-if of each task."""
    return await run_market(
        request, lambda: _printable_proposal(employer_id, request, ctx, code, suggestion)
    )


def _printable_proposal(
    employer_id: int, request: Request, ctx: Context, code: str, suggestion: int
) -> HTMLResponse:
    employer = employers.read_employer(ctx.session, employer_id)
    chosen = matching.stored_employer_bundle(ctx, employer_id, suggestion, code)
    tasks = employers.tasks_by_id(ctx.session, chosen["task_ids"])
    proposed = proposals.bundle_proposal(ctx, code, chosen["task_ids"])
    lang = _lang(request)
    widen = [
        (tasks[t].title, v.sentence)
        for t in chosen["task_ids"]
        for v in market.task_what_if(ctx, t, lang).variants[:1]
        if v.more and v.kind == "adjustment"
    ]
    return _page(request, "proposal.html", ctx.actor, employer=employer, employer_id=employer_id,
                 widen=widen,
                 item=chosen, suggestion_id=suggestion, proposed=proposed,
                 tasks=[tasks[t] for t in chosen["task_ids"]], adjustments=ADJUSTMENTS,
                 supports=request.app.state.supports.on(today_in_finland(datetime.now(UTC))),
                 today=today_in_finland(datetime.now(UTC)))  # fmt: skip


@router.get("/employers/{employer_id}/proposal/confirm", response_class=HTMLResponse)
def confirm_printable_proposal(
    employer_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.PROPOSE)],
    code: Annotated[str, Query(max_length=16)],
    suggestion: Annotated[int, Query(ge=1, le=2_147_483_647)],
) -> HTMLResponse:
    """The confirmation before the printable proposal is recorded, as the coordinators' one:
    the candidate (by code), the tasks and the employer, a note. Nothing is stored yet."""
    return _employer_confirmation(request, ctx, employer_id, code, suggestion)


@router.post("/employers/{employer_id}/proposal", response_model=None)
def record_printable_proposal(
    employer_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.PROPOSE)],
    code: Annotated[str, Form(max_length=16)],
    suggestion: Annotated[int, Form(ge=1, le=2_147_483_647)],
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The confirmed printable proposal, recorded as a proposal of the candidate for every
    task of it, with the note; refused, the confirmation again with the note kept."""
    try:
        proposals.propose_bundle(ctx, suggestion, code, employer_id=employer_id,
                                 note=note.strip(), via="web")  # fmt: skip
    except (ValidationError, InvalidInputError) as err:
        ctx.session.rollback()
        return _employer_confirmation(request, ctx, employer_id, code, suggestion,
                                      sent={"note": note}, refusal=err)  # fmt: skip
    except ConflictError:  # confirmed twice: the first one stands
        ctx.session.rollback()
        if note.strip():  # the second note is not lost without a word: shown to copy
            return _employer_confirmation(request, ctx, employer_id, code, suggestion,
                                          sent={"note": note})  # fmt: skip
    query = urlencode({"code": code, "suggestion": suggestion})
    return RedirectResponse(f"/ui/employers/{employer_id}/proposal?{query}", status_code=303)


def _employer_confirmation(
    request: Request,
    ctx: Context,
    employer_id: int,
    code: str,
    suggestion: int,
    *,
    sent: dict[str, str] | None = None,
    refusal: ValidationError | InvalidInputError | None = None,
) -> HTMLResponse:
    """The employer side's confirmation: the same check as the coordinators' (nothing stored);
    a proposal the rules refuse now (the candidate's situation changed since the composition)
    is said at the top, without the form: the candidate's coordinator is the way on."""
    lang = _lang(request)
    blocked = False
    try:
        checked = proposals.check_bundle(ctx, suggestion, code, employer_id=employer_id)
    except InvalidInputError as err:
        ctx.session.rollback()
        tasks = matching.stored_employer_bundle(ctx, employer_id, suggestion, code)["task_ids"]
        checked = proposals.ProposalCheck(0, code, tasks, suggestion, {}, None)
        refusal, blocked = err, True
    fields = {"note": FormField("note", gettext_for(lang)("Note"))}
    errors = form_problems(refusal, lang, fields) if refusal is not None else []
    titles = employers.task_titles(ctx.session, checked.task_ids)
    query = urlencode({"code": code, "suggestion": suggestion})
    return _page(request, "propose.html", ctx.actor, code=code, employer_side=True,
                 action=f"/ui/employers/{employer_id}/proposal",
                 hidden=[("code", code), ("suggestion", suggestion)], identity=None,
                 checked=checked, titles=titles, blocked=blocked,
                 back=f"/ui/employers/{employer_id}/proposal?{query}",
                 employer_names=sorted({titles[t]["employer"] for t in titles}),
                 sent=sent or {}, errors=errors,
                 status_code=422 if errors else 200)  # fmt: skip
