"""Jobseekers: profiles, identity kept apart, consent, export of a person's data, erasure.

Coordinators see the jobseekers of their own area; any other id is 404, as if it did not
exist. Every read and write of a person's data writes an audit row in the same transaction.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import func, select

from api.audit import record
from api.deps import SessionDep, User, bump_data_version, require
from api.models import Created, IdPath, JobseekerCreate, JobseekerPublic, JobseekerSummary, Page
from api.security import Permission
from api.services import people
from api.services.context import request_context
from api.services.policy import reachable_person
from api.storage import repository
from api.storage.tables import (
    JobseekerRow,
    OutcomeEventRow,
    ProposalRow,
    ProposalTaskRow,
)
from features.errors import InvalidInputError
from features.schemas import JobseekerProfile, JobseekerStatus
from features.schemas.errors import FieldError

router = APIRouter(prefix="/jobseekers", tags=["jobseekers"])


@router.get("", response_model=Page, summary="Jobseekers of my area")
def list_jobseekers(
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_JOBSEEKERS)],
    status: JobseekerStatus | None = None,
    code: Annotated[str | None, Query(min_length=1, max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page:
    # Only one's own area; a coordinator without one (made before areas were required) sees
    # nobody: ``area IS NULL`` matches no person.
    query = select(JobseekerRow).where(JobseekerRow.area == user.area)
    if status is not None:
        query = query.where(JobseekerRow.status == status.value)
    if code:
        query = query.where(JobseekerRow.code.like(f"{code.upper()}%"))
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(JobseekerRow.id).limit(limit).offset(offset)).all()
    data = [
        JobseekerSummary(
            id=r.id,
            code=r.code,
            municipality=r.municipality,
            status=r.status,
            consent_to_matching=r.consent_given_at is not None and r.consent_withdrawn_at is None,
        )
        for r in rows
    ]
    record(
        session,
        actor=user.name,
        role=user.role,
        action="list_jobseekers",
        object_type="jobseeker",
        details={"ids": [r.id for r in rows]},
    )
    session.commit()
    return Page(data=data, count=count)


@router.post("", response_model=Created, status_code=201, summary="Add a jobseeker")
def create_jobseeker(
    body: JobseekerCreate,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.WRITE_JOBSEEKERS)],
) -> Created:
    if body.profile.area != user.area:
        raise InvalidInputError([FieldError("profile.area", f"must be your area {user.area!r}")])
    new_id = repository.add_jobseeker(
        session, profile=body.profile, identity=body.identity, demographics=body.demographics
    )
    record(
        session,
        actor=user.name,
        role=user.role,
        action="create_jobseeker",
        object_type="jobseeker",
        object_id=new_id,
    )
    bump_data_version(session)
    session.commit()
    return Created(id=new_id)


@router.get("/{jobseeker_id}", response_model=JobseekerPublic, summary="A jobseeker's profile")
def get_jobseeker(
    jobseeker_id: IdPath,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_JOBSEEKERS)],
    purpose: Annotated[str, Query(min_length=1, max_length=200)] = "unspecified",
) -> JobseekerPublic:
    row = reachable_person(request_context(request, session, user), jobseeker_id)
    result = people.public_person(session, row, with_identity=True)
    record(
        session,
        actor=user.name,
        role=user.role,
        action="read_jobseeker",
        object_type="jobseeker",
        object_id=jobseeker_id,
        purpose=purpose,
    )
    session.commit()
    return result


@router.put("/{jobseeker_id}", response_model=JobseekerPublic, summary="Replace a profile")
def replace_jobseeker(
    jobseeker_id: IdPath,
    profile: JobseekerProfile,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.WRITE_JOBSEEKERS)],
) -> JobseekerPublic:
    row = reachable_person(request_context(request, session, user), jobseeker_id)
    if profile.area != user.area:
        raise InvalidInputError([FieldError("area", f"must be your area {user.area!r}")])
    repository.replace_jobseeker(session, jobseeker_id=jobseeker_id, profile=profile)
    record(
        session,
        actor=user.name,
        role=user.role,
        action="update_jobseeker",
        object_type="jobseeker",
        object_id=jobseeker_id,
    )
    result = people.public_person(session, row, with_identity=True)
    bump_data_version(session)
    session.commit()
    return result


@router.get("/{jobseeker_id}/export", summary="Everything stored about a person (GDPR Art. 15)")
def export_jobseeker(
    jobseeker_id: IdPath,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.EXPORT_PERSON)],
) -> dict[str, object]:
    """Profile, identity, demographics, proposals and events, suggestions made for the person,
    candidate lists they appeared in, overrides of either, and every recorded access."""
    return people.export_person(request_context(request, session, user), jobseeker_id)


@router.delete("/{jobseeker_id}", status_code=204, summary="Erase a person (GDPR Art. 17)")
def erase_jobseeker(
    jobseeker_id: IdPath,
    request: Request,
    session: SessionDep,
    user: Annotated[User, require(Permission.ERASE_PERSON)],
) -> None:
    """Removes the person everywhere: profile, identity, demographics, capacities, the
    suggestions made for them and their place in candidate lists, free-text notes and override
    reasons, the match index and its snapshot. Proposals and outcomes stay without them."""
    people.erase_person(request_context(request, session, user), jobseeker_id)


def outcome_counts(session: SessionDep) -> dict[str, int]:
    """Aggregate outcomes, which survive erasure anonymised."""
    rows = session.execute(
        select(OutcomeEventRow.kind, func.count()).group_by(OutcomeEventRow.kind)
    ).all()
    return {kind: n for kind, n in rows} | {
        "proposals": session.scalar(select(func.count()).select_from(ProposalRow)) or 0,
        "proposed_tasks": session.scalar(select(func.count()).select_from(ProposalTaskRow)) or 0,
    }
