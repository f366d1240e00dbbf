"""Proposals and their outcomes, overrides of a stored suggestion, and the tasks left out of
a person's suggestions (and put back)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.core.schemas import Created, Recorded
from api.core.security import Permission
from api.http.deps import (
    Context,
    context_for,
)
from api.http.params import IdPath
from api.people import undo
from api.people.schemas import StepUndo
from api.proposals import service as proposals
from api.proposals.schemas import (
    EventCreate,
    LeftOutPublic,
    OverrideCreate,
    ProposalCreate,
    ProposalPage,
    ProposalPublic,
    ProposalWithdrawal,
)

router = APIRouter()


@router.post(
    "/proposals",
    tags=["proposals"],
    response_model=Created,
    status_code=201,
    summary="Record that a person was proposed for tasks",
)
def create_proposal(
    body: ProposalCreate, ctx: Annotated[Context, context_for(Permission.PROPOSE)]
) -> Created:
    """Who proposed it, when, and under which rule set and model are recorded by the service
    (from the suggestion named, else the active rule set)."""
    return Created(id=proposals.propose(ctx, body))


@router.get(
    "/jobseekers/{jobseeker_id}/proposals",
    tags=["proposals"],
    response_model=ProposalPage,
    summary="A person's proposals, newest first, a page at a time",
)
def proposals_of_person(
    jobseeker_id: IdPath,
    ctx: Annotated[Context, context_for(Permission.READ_PROPOSALS)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ProposalPage:
    data, count = proposals.proposals_of_person(ctx, jobseeker_id, limit, offset)
    return ProposalPage(data=data, count=count)


@router.get(
    "/proposals/{proposal_id}",
    tags=["proposals"],
    response_model=ProposalPublic,
    summary="A proposal and what happened",
)
def get_proposal(
    proposal_id: IdPath, ctx: Annotated[Context, context_for(Permission.READ_PROPOSALS)]
) -> ProposalPublic:
    return proposals.read_proposal(ctx, proposal_id)


@router.post(
    "/proposals/{proposal_id}/events",
    tags=["proposals"],
    status_code=201,
    summary="Record an answer, a work trial, a hire or a follow-up",
)
def add_event(
    proposal_id: IdPath,
    body: EventCreate,
    ctx: Annotated[Context, context_for(Permission.RECORD_OUTCOMES)],
) -> Recorded:
    """Each role records the steps it owns: the work-ability coordinator, where the proposal
    leads to care, rehabilitation or sick leave, education or another service (403 for the
    rest)."""
    proposals.record_outcome(ctx, proposal_id, body.event)
    return Recorded()


@router.post(
    "/proposals/{proposal_id}/events/undo",
    tags=["proposals"],
    response_model=Recorded,
    summary="Undo the proposal's latest step, with the reason",
)
def undo_event(
    proposal_id: IdPath,
    body: StepUndo,
    ctx: Annotated[Context, context_for(Permission.RECORD_OUTCOMES)],
) -> Recorded:
    """By the person's own coordinators, for a kind of step their role records; the step is
    kept among the undone steps, and the service-episode outcome it made (while that is the
    episode's latest step) goes with it. Undoing a hire makes the person active again."""
    undo.undo_proposal_step(ctx, proposal_id, body)
    return Recorded(status="undone")


@router.post(
    "/proposals/{proposal_id}/withdraw",
    tags=["proposals"],
    response_model=Recorded,
    summary="Withdraw a proposal made in error or no longer wanted, with the reason",
)
def withdraw(
    proposal_id: IdPath,
    body: ProposalWithdrawal,
    ctx: Annotated[Context, context_for(Permission.PROPOSE)],
) -> Recorded:
    """By the person's own coordinators or by whoever made it, while no step is recorded on it
    (409 once one is, or when it was withdrawn already). Who, when and why are kept on the
    proposal; it has ended, and evaluation does not count it."""
    proposals.withdraw_proposal(ctx, proposal_id, body)
    return Recorded(status="withdrawn")


@router.post(
    "/suggestions/{suggestion_id}/overrides",
    tags=["proposals"],
    response_model=Created,
    status_code=201,
    summary="Override a suggestion, with the reason",
)
def override(
    suggestion_id: IdPath,
    body: OverrideCreate,
    ctx: Annotated[Context, context_for(Permission.OVERRIDE)],
) -> Created:
    return Created(id=proposals.override_suggestion(ctx, suggestion_id, body.chosen, body.reason))


@router.get(
    "/jobseekers/{jobseeker_id}/left-out",
    tags=["proposals"],
    response_model=list[LeftOutPublic],
    summary="Suggested tasks left out for a person, with the latest reason",
)
def left_out(
    jobseeker_id: IdPath, ctx: Annotated[Context, context_for(Permission.OVERRIDE)]
) -> list[LeftOutPublic]:
    return proposals.left_out_tasks(ctx, jobseeker_id)


@router.post(
    "/jobseekers/{jobseeker_id}/left-out/{task_id}/restore",
    tags=["proposals"],
    response_model=Created,
    status_code=201,
    summary="Undo leaving a task out: it is suggested again (the history is kept)",
)
def restore_left_out(
    jobseeker_id: IdPath, task_id: IdPath, ctx: Annotated[Context, context_for(Permission.OVERRIDE)]
) -> Created:
    return Created(id=proposals.restore_left_out(ctx, jobseeker_id, task_id))
