"""The network around a match: hand-offs between a person's two coordinators, a Rekrypiste
worker's candidate requests to a candidate's company coordinator, and the employer's call
(needs, status in the network, the analysts' funnel). Validate, call one service function,
format."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.core.schemas import Created
from api.core.security import Permission
from api.employers import candidate_requests
from api.employers import network as employer_network
from api.employers.schemas import (
    CandidateRequestAnswer,
    CandidateRequestBatch,
    CandidateRequestCreate,
    CandidateRequestPublic,
    CandidateRequestsCreated,
    Funnel,
    NeedCreate,
    NeedPublic,
    NeedStatusChange,
    NetworkStatusChange,
)
from api.http.deps import Context, context_for
from api.http.params import IdPath
from api.people import handoffs, timeline
from api.people.schemas import HandoffCreate, HandoffPublic, HandoffRefusal, TimelineEntry

router = APIRouter(tags=["network"])


@router.post(
    "/jobseekers/{jobseeker_id}/handoffs",
    status_code=201,
    summary="Hand the person to the other coordinator, with a note",
)
def hand_off(
    jobseeker_id: IdPath,
    body: HandoffCreate,
    ctx: Annotated[Context, context_for(Permission.HAND_OFF)],
) -> Created:
    return Created(id=handoffs.hand_off(ctx, jobseeker_id, body))


@router.get("/jobseekers/{jobseeker_id}/handoffs", summary="The person's hand-offs")
def list_handoffs(
    jobseeker_id: IdPath, ctx: Annotated[Context, context_for(Permission.HAND_OFF)]
) -> list[HandoffPublic]:
    return handoffs.handoffs_of_person(ctx, jobseeker_id)


@router.get(
    "/jobseekers/{jobseeker_id}/timeline",
    tags=["jobseekers"],
    summary="Everything that happened to the person, newest first",
)
def person_timeline(
    jobseeker_id: IdPath,
    ctx: Annotated[Context, context_for(Permission.READ_JOBSEEKERS)],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[TimelineEntry]:
    return timeline.timeline(ctx, jobseeker_id, limit)


@router.post("/handoffs/{handoff_id}/acknowledge", summary="Take a hand-off over")
def acknowledge_handoff(
    handoff_id: IdPath, ctx: Annotated[Context, context_for(Permission.HAND_OFF)]
) -> HandoffPublic:
    return handoffs.acknowledge(ctx, handoff_id)


@router.post(
    "/handoffs/{handoff_id}/refuse", summary="Refuse a hand-off, saying why (the person stays)"
)
def refuse_handoff(
    handoff_id: IdPath,
    body: HandoffRefusal,
    ctx: Annotated[Context, context_for(Permission.HAND_OFF)],
) -> HandoffPublic:
    return handoffs.refuse_handoff(ctx, handoff_id, body)


@router.post(
    "/candidate-requests",
    status_code=201,
    summary="Ask a candidate's coordinator: would your client want this?",
)
def ask_about_a_candidate(
    body: CandidateRequestCreate,
    ctx: Annotated[Context, context_for(Permission.REQUEST_CANDIDATES)],
) -> Created:
    return Created(id=candidate_requests.ask(ctx, body))


@router.post(
    "/candidate-requests/batch",
    status_code=201,
    summary="Ask about several candidates in one go: all asked, or none",
)
def ask_about_candidates(
    body: CandidateRequestBatch,
    ctx: Annotated[Context, context_for(Permission.REQUEST_CANDIDATES)],
) -> CandidateRequestsCreated:
    """One request per candidate, in one transaction, each audited as a single one. Refused
    as a whole (422, every refused request named at `requests[i].jobseeker_code`) when a
    person is no longer shown to employers, the list named did not put them forward, the same
    question is waiting for its answer already, or the same request is in the batch twice."""
    return CandidateRequestsCreated(ids=candidate_requests.ask_many(ctx, body.requests))


@router.get("/candidate-requests", summary="Candidate requests: mine, or about my area's people")
def list_candidate_requests(
    ctx: Annotated[Context, context_for(Permission.READ_CANDIDATE_REQUESTS)],
    waiting: Annotated[bool, Query(description="Only those not answered yet.")] = False,
) -> list[CandidateRequestPublic]:
    return candidate_requests.requests_in_view(ctx, waiting=waiting)


@router.post(
    "/candidate-requests/{request_id}/answer",
    summary="Answer a candidate request: yes, no (with the reason) or discuss",
)
def answer_candidate_request(
    request_id: IdPath,
    body: CandidateRequestAnswer,
    ctx: Annotated[Context, context_for(Permission.ANSWER_CANDIDATE_REQUESTS)],
) -> CandidateRequestPublic:
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
    ctx: Annotated[Context, context_for(Permission.WRITE_EMPLOYERS)],
) -> Created:
    return Created(id=employer_network.record_need(ctx, employer_id, body))


@router.get("/employers/{employer_id}/needs", tags=["employers"], summary="An employer's needs")
def list_needs(
    employer_id: IdPath, ctx: Annotated[Context, context_for(Permission.READ_EMPLOYERS)]
) -> list[NeedPublic]:
    return employer_network.list_needs(ctx, employer_id)


@router.put(
    "/employers/{employer_id}/needs/{need_id}/status",
    tags=["employers"],
    summary="Mark a need filled or closed (or open again)",
)
def set_need_status(
    employer_id: IdPath,
    need_id: IdPath,
    body: NeedStatusChange,
    ctx: Annotated[Context, context_for(Permission.WRITE_EMPLOYERS)],
) -> NeedPublic:
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
    ctx: Annotated[Context, context_for(Permission.WRITE_EMPLOYERS)],
) -> None:
    employer_network.set_status(ctx, employer_id, body.status)


@router.get(
    "/network/funnel",
    tags=["evaluations"],
    summary="The employer network as a funnel (aggregates)",
)
def network_funnel(ctx: Annotated[Context, context_for(Permission.EVALUATE)]) -> Funnel:
    return employer_network.funnel(ctx)
