"""Matches with explanations, why-not, profile comparison and the composer: validate, call
the use case in :mod:`api.suggestions.service`, answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field, StringConstraints

from api.core.purposes import Purpose
from api.core.schemas import MAX_ID, RadiusKm
from api.core.security import Permission
from api.http.deps import Context, context_for
from api.http.params import IdPath
from api.suggestions import service as matching
from api.suggestions.schemas import (
    CandidatesPublic,
    ComparisonPublic,
    ComposeRequest,
    EmployerBundlesPublic,
    MatchFilters,
    PersonBundlePublic,
    PersonMatchesPublic,
    TaskCandidatesRequest,
    VacanciesPublic,
    WhyNotPublic,
)

FilterText = Annotated[
    str, StringConstraints(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f]*$")
]
"""A filter's value: printable text (a NUL or a control character is a 422, never a 500)."""

router = APIRouter(tags=["matching"])


@router.get(
    "/jobseekers/{jobseeker_id}/matches",
    response_model=PersonMatchesPublic,
    summary="Hand-over tasks for a person",
)
def match_person(
    jobseeker_id: IdPath,
    ctx: Annotated[Context, context_for(Permission.MATCH_PERSON)],
    k: Annotated[int, Query(ge=1, le=100)] = 20,
    sector: Annotated[list[FilterText] | None, Query(max_length=20)] = None,
    municipality: Annotated[list[FilterText] | None, Query(max_length=20)] = None,
    employer_id: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None, Query(max_length=50)
    ] = None,
    radius_km: Annotated[RadiusKm | None, Query()] = None,
    purpose: Annotated[Purpose, Query(description="Why it is asked (audited).")] = (
        Purpose.UNSPECIFIED
    ),
) -> PersonMatchesPublic:
    filters = MatchFilters(
        k=k, sector=sector, municipality=municipality, employer_id=employer_id, radius_km=radius_km
    )
    return matching.tasks_for_person(ctx, jobseeker_id, filters, purpose=purpose)


@router.post(
    "/matches/candidates",
    response_model=CandidatesPublic,
    summary="Candidates for a task or a set of tasks",
)
def match_tasks(
    body: TaskCandidatesRequest, ctx: Annotated[Context, context_for(Permission.MATCH_TASKS)]
) -> CandidatesPublic:
    """Candidates by pseudonymous code with their fit in words, adjustments and supports;
    the full explanations only to the person's own coordinators."""
    return matching.candidates_for_tasks(ctx, body.task_ids, body.k, body.areas)


@router.get(
    "/jobseekers/{jobseeker_id}/why-not/{task_id}",
    response_model=WhyNotPublic,
    summary="Why not, and what would fit",
)
def why_not_route(
    jobseeker_id: IdPath,
    task_id: IdPath,
    ctx: Annotated[Context, context_for(Permission.MATCH_PERSON)],
) -> WhyNotPublic:
    return matching.why_not(ctx, jobseeker_id, task_id)


@router.get(
    "/jobseekers/{jobseeker_id}/comparison/{task_id}",
    response_model=ComparisonPublic,
    summary="Profile comparison",
)
def comparison(
    jobseeker_id: IdPath,
    task_id: IdPath,
    ctx: Annotated[Context, context_for(Permission.MATCH_PERSON)],
) -> ComparisonPublic:
    """Capacity, demand and demand after adjustments per characteristic (IMBA-style chart)."""
    return matching.compare(ctx, jobseeker_id, task_id)


@router.post(
    "/jobseekers/{jobseeker_id}/compose",
    response_model=PersonBundlePublic,
    summary="A tailored job for a person",
)
def compose_person(
    jobseeker_id: IdPath,
    body: ComposeRequest,
    ctx: Annotated[Context, context_for(Permission.MATCH_PERSON)],
) -> PersonBundlePublic:
    return matching.compose_job_for_person(
        ctx,
        jobseeker_id,
        employer_ids=body.employer_ids,
        radius_km=body.radius_km,
    )


@router.post(
    "/employers/{employer_id}/compose",
    response_model=EmployerBundlesPublic,
    summary="Candidates for an employer, each with a bundle",
)
def compose_employer(
    employer_id: IdPath,
    ctx: Annotated[Context, context_for(Permission.COMPOSE)],
    k: Annotated[int, Query(ge=1, le=20)] = 5,
) -> EmployerBundlesPublic:
    return matching.compose_for_employer_tasks(ctx, employer_id, k)


@router.get(
    "/jobseekers/{jobseeker_id}/vacancies",
    response_model=VacanciesPublic,
    summary="Open vacancies the person fits as a whole",
)
def person_vacancies(
    jobseeker_id: IdPath,
    ctx: Annotated[Context, context_for(Permission.MATCH_PERSON)],
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> VacanciesPublic:
    """Roles the employers are hiring for as they are, each matched as a whole: every task
    judged by the rule set (hand-over or not), the hours together within the person's maximum;
    empty when the rule set leaves open vacancies out (``included``)."""
    return matching.open_vacancies_for_person(ctx, jobseeker_id, k)
