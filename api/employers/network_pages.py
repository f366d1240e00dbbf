"""Web pages for the network around a match: a Rekrypiste worker asks a candidate's
coordinator, the coordinator answers on the person's page; the two coordinators hand a person
to each other. Each handler validates, calls one application service and redirects."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.core.security import Permission
from api.employers import candidate_requests
from api.employers import network as employer_network
from api.employers.schemas import CandidateRequestAnswer, CandidateRequestCreate, NeedCreate
from api.http.csrf import check_csrf
from api.http.deps import SessionDep, request_context
from api.http.pages import _employer, _lang, _page, _task_titles, _user
from api.http.problems import FormField, form_problems
from api.people import handoffs
from api.people.schemas import HandoffCreate
from features.errors import ConflictError, InvalidInputError
from features.i18n import gettext_for
from features.schemas.employer import NetworkStatus

__all__ = ["REQUEST_MESSAGES", "router"]

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(check_csrf)])

REQUEST_MESSAGES = frozenset({"asked", "already_asked"})
"""The notices the requests page shows after an action (a fixed set of keys)."""


def _person_page(jobseeker_id: int, message: str) -> RedirectResponse:
    query = urlencode({"message": message})
    return RedirectResponse(f"/ui/jobseekers/{jobseeker_id}?{query}#network", status_code=303)


@router.post("/candidate-requests")
def ask(
    request: Request,
    session: SessionDep,
    code: Annotated[str, Form(max_length=16)],
    task_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    suggestion_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    user = _user(request, session, Permission.REQUEST_CANDIDATES)
    ctx = request_context(request, session, user)
    body = CandidateRequestCreate(jobseeker_code=code, task_ids=[task_id],
                                  suggestion_id=suggestion_id, note=note.strip())  # fmt: skip
    try:
        candidate_requests.ask(ctx, body)
    except ConflictError:
        session.rollback()
        return RedirectResponse("/ui/requests?message=already_asked", status_code=303)
    return RedirectResponse("/ui/requests?message=asked", status_code=303)


@router.get("/requests", response_class=HTMLResponse)
def requests_page(request: Request, session: SessionDep, message: str = "") -> HTMLResponse:
    """A Rekrypiste worker's own requests, or the requests about a coordinator's area's
    people, newest first, each with its age and answer."""
    user = _user(request, session, Permission.READ_CANDIDATE_REQUESTS)
    ctx = request_context(request, session, user)
    rows = candidate_requests.requests_in_view(ctx)
    titles = _task_titles(session, sorted({t for r in rows for t in r.task_ids}))
    people = candidate_requests.people_of(ctx, rows)
    return _page(request, "requests.html", user, rows=rows, titles=titles, people=people,
                 message=message if message in REQUEST_MESSAGES else "")  # fmt: skip


@router.post("/candidate-requests/{request_id}/answer")
def answer(
    request_id: int,
    request: Request,
    session: SessionDep,
    jobseeker_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
    choice: Annotated[str, Form(max_length=16)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    user = _user(request, session, Permission.ANSWER_CANDIDATE_REQUESTS)
    ctx = request_context(request, session, user)
    try:
        body = CandidateRequestAnswer.model_validate({"answer": choice, "note": note.strip()})
    except ValidationError:
        return _person_page(jobseeker_id, "answer_reason_needed")
    try:
        candidate_requests.answer(ctx, request_id, body)
    except ConflictError:
        session.rollback()
    return _person_page(jobseeker_id, "answered")


@router.post("/jobseekers/{jobseeker_id}/handoffs")
def hand_off(
    jobseeker_id: int,
    request: Request,
    session: SessionDep,
    to_role: Annotated[str, Form(max_length=32)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    user = _user(request, session, Permission.HAND_OFF)
    ctx = request_context(request, session, user)
    try:
        body = HandoffCreate.model_validate({"to_role": to_role, "note": note.strip()})
        handoffs.hand_off(ctx, jobseeker_id, body)
    except (ValidationError, InvalidInputError):
        session.rollback()
        return _person_page(jobseeker_id, "handoff_note_needed")
    return _person_page(jobseeker_id, "handed_off")


@router.post("/handoffs/{handoff_id}/acknowledge")
def acknowledge(
    handoff_id: int,
    request: Request,
    session: SessionDep,
    jobseeker_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
) -> RedirectResponse:
    user = _user(request, session, Permission.HAND_OFF)
    try:
        handoffs.acknowledge(request_context(request, session, user), handoff_id)
    except ConflictError:
        session.rollback()
    return _person_page(jobseeker_id, "taken_over")


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
    session: SessionDep,
    work: Annotated[str, Form(max_length=4000)] = "",
    kind: Annotated[str, Form(max_length=32)] = "",
    hours: Annotated[str, Form(max_length=32)] = "",
    start: Annotated[str, Form(max_length=32)] = "",
    urgency: Annotated[str, Form(max_length=32)] = "normal",
    contact_back: Annotated[str, Form(max_length=400)] = "",
    next_contact: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """A need taken down during the call; a refused one keeps everything typed."""
    user = _user(request, session, Permission.WRITE_EMPLOYERS)
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
        employer_network.record_need(request_context(request, session, user), employer_id, body)
    except (ValidationError, InvalidInputError) as err:
        session.rollback()
        problems = form_problems(err, _lang(request), _need_fields(_lang(request)))
        return _employer(request, session, user, employer_id, need=sent, errors=problems,
                         errors_about="need", status_code=422)  # fmt: skip
    return RedirectResponse(f"/ui/employers/{employer_id}?message=need#needs", status_code=303)


@router.post("/employers/{employer_id}/needs/{need_id}/status")
def need_status(
    employer_id: int,
    need_id: int,
    request: Request,
    session: SessionDep,
    status: Annotated[Literal["open", "filled", "closed"], Form()],
) -> RedirectResponse:
    user = _user(request, session, Permission.WRITE_EMPLOYERS)
    ctx = request_context(request, session, user)
    employer_network.set_need_status(ctx, employer_id, need_id, status)
    return RedirectResponse(f"/ui/employers/{employer_id}?message=need_status#needs",
                            status_code=303)  # fmt: skip


@router.post("/employers/{employer_id}/status")
def network_status(
    employer_id: int,
    request: Request,
    session: SessionDep,
    status: Annotated[NetworkStatus, Form()],
) -> RedirectResponse:
    user = _user(request, session, Permission.WRITE_EMPLOYERS)
    employer_network.set_status(request_context(request, session, user), employer_id, status)
    return RedirectResponse(f"/ui/employers/{employer_id}?message=status", status_code=303)
