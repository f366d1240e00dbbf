"""The web UI's employer pages: the employers and their tasks, a new employer, an employer's
page with its CRM notes, the Ratko upload and a new role from a sector template; and the
network around a match — a Rekrypiste worker asks a candidate's coordinator, the coordinator
answers on the person's page, the two coordinators hand a person to each other, an employer's
needs and network status. Each handler validates, calls one application service and redirects
(or shows the page again with the refused form kept)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import anyio
from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.core.security import Permission
from api.core.texts import texts
from api.employers import candidate_requests, flows
from api.employers import network as employer_network
from api.employers import service as employers
from api.employers.schemas import (
    CandidateRequestAnswer,
    CandidateRequestCreate,
    NeedCreate,
    NoteCreate,
)
from api.http.csrf import check_csrf
from api.http.deps import Context
from api.http.pages import PAGE_SIZE, _lang, _page, _pager, page_context_for
from api.http.problems import FormField, Problem, form_problems, sheet_problems
from api.people import handoffs
from api.people.flows import RefusedForm
from api.people.person_pages import refused_form_page
from api.people.schemas import HandoffCreate, HandoffRefusal
from features.catalogue import ADJUSTMENTS, CHARACTERISTICS, INDUSTRIES, MUNICIPALITIES
from features.catalogue.schedule import SLOT_IDS
from features.demo.templates import BASELINE, ROLE_TEMPLATES, RoleTemplate, role_from_template
from features.errors import ConflictError, InvalidInputError, NotFoundError, TasmaError
from features.i18n import NAME_LANGUAGES, gettext_for
from features.numbers import digits
from features.schemas.employer import Employer, NetworkStatus
from features.schemas.employer import Role as JobRole

__all__ = ["REQUEST_MESSAGES", "router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/employers", response_class=HTMLResponse)
def employers_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.READ_EMPLOYERS)],
    q: Annotated[str, Query(max_length=100)] = "",
    sort: str = "name",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    sort = sort if sort in employers.EMPLOYER_SORTS else "name"
    listed = employers.list_employers(ctx.session, name=q, limit=PAGE_SIZE,
                                      offset=(page - 1) * PAGE_SIZE, sort=sort)  # fmt: skip
    return _page(request, "employers.html", ctx.actor, rows=listed.data, count=listed.count, q=q,
                 sort=sort, pager=_pager(request, page, listed.count))  # fmt: skip


@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.READ_EMPLOYERS)],
    q: Annotated[str, Query(max_length=100)] = "",
    task_type: Annotated[str, Query(alias="type", max_length=16)] = "hand_over",
    sort: str = "employer",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Every employer's tasks, hand-over tasks first: searched by task, role or employer,
    sorted and paged on the server."""
    sort = sort if sort in employers.TASK_SORTS else "employer"
    task_type = task_type if task_type in ("hand_over", "core") else ""
    listed = employers.list_tasks(ctx.session, text=q, task_type=task_type or None, sort=sort,
                                  limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)  # fmt: skip
    return _page(request, "tasks.html", ctx.actor, rows=listed.data, count=listed.count, q=q,
                 task_type=task_type, sort=sort, sorts=list(employers.TASK_SORTS),
                 pager=_pager(request, page, listed.count))  # fmt: skip


def _industries(lang: str) -> list[tuple[str, str]]:
    """The TOL 2008 divisions to choose from: each as "Name (code)" in the page's language
    (what the field holds when chosen, read back by ``INDUSTRIES.find``) and its names in the
    other languages of the catalogues, Finnish and Swedish, so that the list finds a division
    by either (a browser matches what is typed against an option's value and its label)."""
    others = [other for other in NAME_LANGUAGES if other not in (lang, "en")]
    offered = (
        (INDUSTRIES.label(i.id, lang), " · ".join(i.name(other) for other in others))
        for i in INDUSTRIES
    )
    return sorted(offered, key=lambda item: item[0].casefold())


def _industry_problem(typed: str, lang: str) -> Problem:
    """What to type in the industry field, when what was typed names no TOL 2008 division."""
    _ = gettext_for(lang)
    field = _("Industry")
    if not typed.strip():
        text = _(
            "%(field)s: type the industry's name in Finnish or Swedish, or its TOL 2008 "
            "code (for example 81), and choose it from the list."
        ) % {"field": field}
    else:
        text = _("%(field)s: no industry is called “%(value)s”; type its name in Finnish or "
                 "Swedish, or its TOL 2008 code (for example 81), and choose it from the "
                 "list.") % {"field": field, "value": typed.strip()}  # fmt: skip
    return Problem(text, "industry")


def _employer_form(
    request: Request, ctx: Context, values: dict[str, str], errors: list[Problem],
    status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    return _page(request, "employer_form.html", ctx.actor, errors=errors, values=values,
                 industries=_industries(_lang(request)), municipalities=list(MUNICIPALITIES),
                 status_code=status_code)  # fmt: skip


@router.get("/employers/new", response_class=HTMLResponse)
def new_employer_page(
    request: Request, ctx: Annotated[Context, page_context_for(Permission.WRITE_EMPLOYERS)]
) -> HTMLResponse:
    return _employer_form(request, ctx, {}, [])


@router.post("/employers/new", response_class=HTMLResponse)
def create_employer_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_EMPLOYERS)],
    name: Annotated[str, Form(max_length=200)] = "",
    business_id: Annotated[str, Form(max_length=20)] = "",
    industry: Annotated[str, Form(max_length=200)] = "",
    street: Annotated[str, Form(max_length=120)] = "",
    postal_code: Annotated[str, Form(max_length=10)] = "",
    municipality: Annotated[str, Form(max_length=64)] = "",
    contact_name: Annotated[str, Form(max_length=120)] = "",
    contact_title: Annotated[str, Form(max_length=120)] = "",
    contact_phone: Annotated[str, Form(max_length=32)] = "",
    contact_email: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    lang = _lang(request)
    _ = gettext_for(lang)
    values = {
        "name": name, "business_id": business_id, "industry": industry, "street": street,
        "postal_code": postal_code, "municipality": municipality, "contact_name": contact_name,
        "contact_title": contact_title, "contact_phone": contact_phone,
        "contact_email": contact_email,
    }  # fmt: skip
    contact = {
        "name": contact_name.strip(), "title": contact_title.strip() or None,
        "phone": contact_phone.strip() or None, "email": contact_email.strip() or None,
    }  # fmt: skip
    # The industry as typed or chosen from the list: a code, a name in Finnish, Swedish or
    # English, or "Name (code)" as the list offers it.
    industry_code = INDUSTRIES.find(industry)
    try:
        employer = Employer.model_validate({
            "name": name, "business_id": business_id, "industry": industry_code or industry,
            "address": {"street": street, "postal_code": postal_code,
                        "municipality": municipality},
            # A contact person when anything of one is given (then a name is needed).
            "contact": contact if any(contact.values()) else None,
        })  # fmt: skip
        new_id = employers.create_employer(ctx, employer)
    except ConflictError:
        ctx.session.rollback()
        taken = Problem(
            _("An employer with this business ID is registered already: find it in the list of "
              "employers."),
            "business_id",
        )  # fmt: skip
        return _employer_form(request, ctx, values, [taken], status_code=409)
    except (ValidationError, TasmaError) as err:
        ctx.session.rollback()
        problems = form_problems(err, lang, _employer_fields(lang))
        if industry_code is None:  # said once, with what to type, in the field's place
            problems = [
                _industry_problem(industry, lang) if p.anchor == "industry" else p for p in problems
            ]
        return _employer_form(request, ctx, values, problems, status_code=422)
    return RedirectResponse(f"/ui/employers/{new_id}?message=created", status_code=303)


def _employer_fields(lang: str) -> dict[str, FormField]:
    _ = gettext_for(lang)
    return {
        "name": FormField("name", _("Employer")),
        "business_id": FormField("business_id", _("Business ID")),
        "industry": FormField("industry", _("Industry")),
        "address.street": FormField("street", _("Street address")),
        "address.postal_code": FormField("postal_code", _("Postal code"),
                                         _("five digits, for example 15110.")),
        "address.municipality": FormField("municipality", _("Municipality")),
        "contact.name": FormField("contact_name", _("Contact person's name")),
        "contact.title": FormField("contact_title", _("Contact person's title")),
        "contact.phone": FormField("contact_phone", _("Contact person's phone")),
        "contact.email": FormField("contact_email", _("Contact person's e-mail")),
    }  # fmt: skip


@router.get("/employers/{employer_id}", response_class=HTMLResponse)
def employer_page(
    employer_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.READ_EMPLOYERS)],
    message: str = "",
) -> HTMLResponse:
    return _employer(request, ctx, employer_id, message=message)


def _employer(request: Request, ctx: Context, employer_id: int, **context: Any) -> HTMLResponse:
    """The employer's page (:func:`api.employers.flows.employer_page`); ``context``: a notice,
    or a refused form kept at its place."""
    view = flows.employer_page(ctx, employer_id)
    return _page(request, "employer.html", ctx.actor, **view, **context)


@router.post("/employers/{employer_id}/notes")
def add_note_page(
    employer_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_EMPLOYERS)],
    text: Annotated[str, Form(min_length=1, max_length=2000)],
    channel: Annotated[str, Form(max_length=16)],
) -> Response:
    lang = _lang(request)
    _ = gettext_for(lang)
    try:
        body = NoteCreate(channel=channel, text=text)
        employers.add_note(ctx, employer_id, body)
    except (ValidationError, InvalidInputError) as err:
        ctx.session.rollback()
        fields = {"channel": FormField("channel", _("Channel")),
                  "text": FormField("text", _("Add a note"))}  # fmt: skip
        return _employer(request, ctx, employer_id, status_code=422,
                         errors=form_problems(err, lang, fields), errors_about="note",
                         note={"channel": channel, "text": text})  # fmt: skip
    return RedirectResponse(f"/ui/employers/{employer_id}?message=note", status_code=303)


@router.post("/employers/{employer_id}/ratko")
def upload_page(
    employer_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_EMPLOYERS)],
    file: UploadFile,
    replace: Annotated[bool, Form()] = False,
) -> Response:
    try:
        data, name = file.file.read(), file.filename or "upload"
        employers.upload_ratko(ctx, employer_id, data, name, replace=replace)
    except InvalidInputError as err:
        ctx.session.rollback()
        return _employer(
            request,
            ctx,
            employer_id,
            status_code=422,
            errors=sheet_problems(err, _lang(request)),
            errors_about="sheet",
        )
    except ConflictError as err:
        ctx.session.rollback()
        problem = Problem(_sheet_conflict(str(err), _lang(request)), "replace")
        return _employer(request, ctx, employer_id, status_code=409,
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
    ctx: Annotated[Context, page_context_for(Permission.WRITE_EMPLOYERS)],
    template: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> HTMLResponse:
    """Start a Ratko decomposition from a sector template: edit the tasks, hours, schedule,
    the demands the template names, hand-over, and the adjustments the employer accepts."""
    return _role_form(request, ctx, employer_id, template)


def _role_form(
    request: Request,
    ctx: Context,
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
    employer = employers.read_employer(ctx.session, employer_id)
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
    return _page(request, "role_form.html", ctx.actor, employer=employer, employer_id=employer_id,
                 templates=list(enumerate(ROLE_TEMPLATES)), number=number, role_title=title,
                 tasks=tasks, named=named, names=names, levels=levels, slot_ids=SLOT_IDS,
                 adjustments=ADJUSTMENTS, errors=errors or [], conflict=conflict,
                 open_vacancy=vacancy[0], vacancy_hours=vacancy[1],
                 status_code=status_code)  # fmt: skip


@router.post("/employers/{employer_id}/roles/new", response_class=HTMLResponse)
async def save_role(
    employer_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_EMPLOYERS)],
) -> Response:
    form = await request.form()
    return await anyio.to_thread.run_sync(_save_role, employer_id, request, ctx, form)


def _save_role(employer_id: int, request: Request, ctx: Context, form: Any) -> Response:
    number = digits(str(form.get("template", "0")))
    number = -1 if number is None else number
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
        employers.add_role(ctx, employer_id, role,
                           replace=form.get("on_conflict") == "replace")  # fmt: skip
    except ConflictError as err:
        ctx.session.rollback()
        problem = Problem(_role_conflict(str(err), lang), "role_title")
        return _role_form(request, ctx, employer_id, number, (title, sent), [problem],
                          status_code=409, conflict=True, vacancy=vacancy)  # fmt: skip
    except ValidationError as err:
        ctx.session.rollback()
        problems = form_problems(err, lang, _role_fields(lang, [(k, sent[k][1]) for k in kept]))
        return _role_form(request, ctx, employer_id, number, (title, sent), problems,
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


REQUEST_MESSAGES = frozenset({"asked", "already_asked"})
"""The notices the requests page shows after an action (a fixed set of keys)."""


def _person_page(jobseeker_id: int, message: str) -> RedirectResponse:
    query = urlencode({"message": message})
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?{query}#network", status_code=303)


@router.post("/candidate-requests")
def ask(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.REQUEST_CANDIDATES)],
    code: Annotated[str, Form(max_length=16)],
    task_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    suggestion_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    body = CandidateRequestCreate(jobseeker_code=code, task_ids=[task_id],
                                  suggestion_id=suggestion_id, note=note.strip())  # fmt: skip
    try:
        candidate_requests.ask(ctx, body)
    except ConflictError:
        ctx.session.rollback()
        return RedirectResponse("/ui/requests?message=already_asked", status_code=303)
    return RedirectResponse("/ui/requests?message=asked", status_code=303)


@router.get("/requests", response_class=HTMLResponse)
def requests_page(
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.READ_CANDIDATE_REQUESTS)],
    message: str = "",
) -> HTMLResponse:
    """A Rekrypiste worker's own requests, or the requests about a coordinator's area's
    people, newest first, each with its age and answer."""
    rows = candidate_requests.requests_in_view(ctx)
    titles = employers.task_titles(ctx.session, sorted({t for r in rows for t in r.task_ids}))
    people = candidate_requests.people_of(ctx, rows)
    return _page(request, "requests.html", ctx.actor, rows=rows, titles=titles, people=people,
                 message=message if message in REQUEST_MESSAGES else "")  # fmt: skip


@router.post("/candidate-requests/{request_id}/answer")
def answer(
    request_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.ANSWER_CANDIDATE_REQUESTS)],
    choice: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    person = candidate_requests.person_of(ctx, request_id)  # the record's, not the form's
    try:
        body = CandidateRequestAnswer.model_validate({"answer": choice, "note": note.strip()})
    except ValidationError as err:
        lang = _lang(request)
        _ = gettext_for(lang)
        fields = {
            "answer": FormField(f"choice-{request_id}", _("Would they want it?"), choose=True),
            "note": FormField(f"answer-note-{request_id}", _("To the asker")),
        }
        sent = {"choice": choice, "note": note}
        return refused_form_page(request, ctx, person,
                                 RefusedForm("answer", request_id, sent),
                                 form_problems(err, lang, fields))  # fmt: skip
    try:
        candidate_requests.answer(ctx, request_id, body)
    except ConflictError:  # answered meanwhile (another tab): the first answer stands
        ctx.session.rollback()
        return _person_page(person, "answered_already")
    return _person_page(person, "answered")


@router.post("/jobseekers/{jobseeker_id}/handoffs")
def hand_off(
    jobseeker_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.HAND_OFF)],
    to_role: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    lang = _lang(request)
    refused = RefusedForm("handoff", sent={"note": note})
    try:
        body = HandoffCreate.model_validate({"to_role": to_role, "note": note.strip()})
        handoffs.hand_off(ctx, jobseeker_id, body)
    except (ValidationError, InvalidInputError) as err:
        field = FormField("handoff-note", gettext_for(lang)("What they need to know"))
        return refused_form_page(request, ctx, jobseeker_id, refused,
                                 form_problems(err, lang, {"note": field}))  # fmt: skip
    except ConflictError:
        said = [Problem(texts(lang)["handoff_waiting_already"])]
        return refused_form_page(request, ctx, jobseeker_id, refused, said, status_code=409)
    return _person_page(jobseeker_id, "handed_off")


# The way back after taking over or refusing is the hand-off's own person, read from the record
# (never a form field a user could forge).


@router.post("/handoffs/{handoff_id}/acknowledge")
def acknowledge(
    handoff_id: int,
    ctx: Annotated[Context, page_context_for(Permission.HAND_OFF)],
) -> RedirectResponse:
    try:
        taken = handoffs.acknowledge(ctx, handoff_id)
    except ConflictError:
        ctx.session.rollback()
        return _person_page(handoffs.person_of(ctx, handoff_id), "handoff_closed_already")
    return _person_page(taken.jobseeker_id, "taken_over")


@router.post("/handoffs/{handoff_id}/refuse")
def refuse_handoff(
    handoff_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.HAND_OFF)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Not taken over, and why: the person stays with whoever handed them."""
    try:
        refused = handoffs.refuse_handoff(ctx, handoff_id, HandoffRefusal(reason=reason.strip()))
    except (ValidationError, InvalidInputError) as err:
        lang = _lang(request)
        _ = gettext_for(lang)
        field = FormField(f"refuse-{handoff_id}", _("Why not"))
        ctx.session.rollback()
        return refused_form_page(request, ctx, handoffs.person_of(ctx, handoff_id),
                                 RefusedForm("refuse_handoff", handoff_id, {"reason": reason}),
                                 form_problems(err, lang, {"reason": field}))  # fmt: skip
    except ConflictError:
        ctx.session.rollback()
        return _person_page(handoffs.person_of(ctx, handoff_id), "handoff_closed_already")
    return _person_page(refused.jobseeker_id, "handoff_refused")


def _need_fields(lang: str) -> dict[str, FormField]:
    _ = gettext_for(lang)
    return {
        "work": FormField("need_work", _("What work")),
        "kind": FormField("need_kind", _("Kind")),
        "hours_per_week": FormField("need_hours", _("Hours a week")),
        "start": FormField("need_start", _("From when")),
        "urgency": FormField("need_urgency", _("Urgency")),
        "contact_back": FormField("need_contact", _("Whom to contact back")),
        "next_contact": FormField("need_next", _("Next contact")),
    }


@router.post("/employers/{employer_id}/needs", response_class=HTMLResponse)
def record_need(
    employer_id: int,
    request: Request,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_EMPLOYERS)],
    work: Annotated[str, Form(max_length=4000)] = "",
    kind: Annotated[str, Form(max_length=32)] = "",
    hours: Annotated[str, Form(max_length=32)] = "",
    start: Annotated[str, Form(max_length=32)] = "",
    urgency: Annotated[str, Form(max_length=32)] = "normal",
    contact_back: Annotated[str, Form(max_length=400)] = "",
    next_contact: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """A need taken down during the call; a refused one keeps everything typed."""
    sent = {
        "work": work.strip(),
        "kind": kind,
        "hours_per_week": hours.strip() or None,
        "start": start or None,
        "urgency": urgency or "normal",
        "contact_back": contact_back.strip() or None,
        "next_contact": next_contact or None,
    }
    try:
        body = NeedCreate.model_validate(sent)
        employer_network.record_need(ctx, employer_id, body)
    except (ValidationError, InvalidInputError) as err:
        ctx.session.rollback()
        problems = form_problems(err, _lang(request), _need_fields(_lang(request)))
        return _employer(request, ctx, employer_id, need=sent, errors=problems,
                         errors_about="need", status_code=422)  # fmt: skip
    return RedirectResponse(f"/ui/employers/{employer_id}?message=need#needs", status_code=303)


@router.post("/employers/{employer_id}/needs/{need_id}/status")
def need_status(
    employer_id: int,
    need_id: int,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_EMPLOYERS)],
    status: Annotated[Literal["open", "filled", "closed"], Form()],
) -> RedirectResponse:
    employer_network.set_need_status(ctx, employer_id, need_id, status)
    return RedirectResponse(f"/ui/employers/{employer_id}?message=need_status#needs",
                            status_code=303)  # fmt: skip


@router.post("/employers/{employer_id}/status")
def network_status(
    employer_id: int,
    ctx: Annotated[Context, page_context_for(Permission.WRITE_EMPLOYERS)],
    status: Annotated[NetworkStatus, Form()],
) -> RedirectResponse:
    employer_network.set_status(ctx, employer_id, status)
    return RedirectResponse(f"/ui/employers/{employer_id}?message=status", status_code=303)
