"""The network around a match: hand-offs between a person's two coordinators, and a Rekrypiste
worker's candidate requests to a candidate's company coordinator. Validate, call one service
function, format."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.deps import SessionDep, User, require
from api.models import (
    CandidateRequestAnswer,
    CandidateRequestCreate,
    CandidateRequestPublic,
    Created,
    HandoffCreate,
    HandoffPublic,
    IdPath,
)
from api.security import Permission
from api.services import candidate_requests, handoffs
from api.services.context import request_context

router = APIRouter(tags=["network"])


@router.post(
    "/jobseekers/{jobseeker_id}/handoffs",
    status_code=201,
    summary="Hand the person to the other coordinator, with a note",
)
def hand_off(
    jobseeker_id: IdPath,
    body: HandoffCreate,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.HAND_OFF)],
) -> Created:
    ctx = request_context(request, session, user)
    return Created(id=handoffs.hand_off(ctx, jobseeker_id, body))


@router.get("/jobseekers/{jobseeker_id}/handoffs", summary="The person's hand-offs")
def list_handoffs(
    jobseeker_id: IdPath,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.HAND_OFF)],
) -> list[HandoffPublic]:
    return handoffs.handoffs_of_person(request_context(request, session, user), jobseeker_id)


@router.post("/handoffs/{handoff_id}/acknowledge", summary="Take a hand-off over")
def acknowledge_handoff(
    handoff_id: IdPath,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.HAND_OFF)],
) -> HandoffPublic:
    return handoffs.acknowledge(request_context(request, session, user), handoff_id)


@router.post(
    "/candidate-requests",
    status_code=201,
    summary="Ask a candidate's coordinator: would your client want this?",
)
def ask_about_a_candidate(
    body: CandidateRequestCreate,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.REQUEST_CANDIDATES)],
) -> Created:
    return Created(id=candidate_requests.ask(request_context(request, session, user), body))


@router.get("/candidate-requests", summary="Candidate requests: mine, or about my area's people")
def list_candidate_requests(
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_CANDIDATE_REQUESTS)],
    waiting: Annotated[bool, Query(description="Only those not answered yet.")] = False,
) -> list[CandidateRequestPublic]:
    ctx = request_context(request, session, user)
    return candidate_requests.requests_in_view(ctx, waiting=waiting)


@router.post(
    "/candidate-requests/{request_id}/answer",
    summary="Answer a candidate request: yes, no (with the reason) or discuss",
)
def answer_candidate_request(
    request_id: IdPath,
    body: CandidateRequestAnswer,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.ANSWER_CANDIDATE_REQUESTS)],
) -> CandidateRequestPublic:
    ctx = request_context(request, session, user)
    return candidate_requests.answer(ctx, request_id, body)
