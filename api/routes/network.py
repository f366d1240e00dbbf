"""The network around a match: hand-offs between a person's two coordinators, a Rekrypiste
worker's candidate requests to a candidate's company coordinator, and the employer's call
(needs, status in the network, the analysts' funnel). Validate, call one service function,
format."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.deps import SessionDep, User, request_context, require
from api.models import (
    CandidateRequestAnswer,
    CandidateRequestCreate,
    CandidateRequestPublic,
    Created,
    Funnel,
    HandoffCreate,
    HandoffPublic,
    IdPath,
    NeedCreate,
    NeedPublic,
    NeedStatusChange,
    NetworkStatusChange,
    TimelineEntry,
)
from api.security import Permission
from api.services import candidate_requests, employer_network, handoffs, timeline

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


@router.get(
    "/jobseekers/{jobseeker_id}/timeline",
    tags=["jobseekers"],
    summary="Everything that happened to the person, newest first",
)
def person_timeline(
    jobseeker_id: IdPath,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_JOBSEEKERS)],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[TimelineEntry]:
    ctx = request_context(request, session, user)
    return timeline.timeline(ctx, jobseeker_id, limit)


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


@router.post(
    "/employers/{employer_id}/needs",
    status_code=201,
    tags=["employers"],
    summary="Take down an employer's need during their call",
)
def record_need(
    employer_id: IdPath,
    body: NeedCreate,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.WRITE_EMPLOYERS)],
) -> Created:
    ctx = request_context(request, session, user)
    return Created(id=employer_network.record_need(ctx, employer_id, body))


@router.get("/employers/{employer_id}/needs", tags=["employers"], summary="An employer's needs")
def list_needs(
    employer_id: IdPath,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_EMPLOYERS)],
) -> list[NeedPublic]:
    return employer_network.list_needs(request_context(request, session, user), employer_id)


@router.put(
    "/employers/{employer_id}/needs/{need_id}/status",
    tags=["employers"],
    summary="Mark a need filled or closed (or open again)",
)
def set_need_status(
    employer_id: IdPath,
    need_id: IdPath,
    body: NeedStatusChange,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.WRITE_EMPLOYERS)],
) -> NeedPublic:
    ctx = request_context(request, session, user)
    return employer_network.set_need_status(ctx, employer_id, need_id, body.status)


@router.put(
    "/employers/{employer_id}/status",
    status_code=204,
    tags=["employers"],
    summary="The employer's status in the network",
)
def set_network_status(
    employer_id: IdPath,
    body: NetworkStatusChange,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.WRITE_EMPLOYERS)],
) -> None:
    employer_network.set_status(request_context(request, session, user), employer_id, body.status)


@router.get(
    "/network/funnel",
    tags=["evaluations"],
    summary="The employer network as a funnel (aggregates)",
)
def network_funnel(
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.EVALUATE)],
) -> Funnel:
    return employer_network.funnel(request_context(request, session, user))
