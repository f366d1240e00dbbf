"""Request and response bodies of the HTTP API (one schema per use)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path
from pydantic import BaseModel, Field

from features.schemas import (
    Demographics,
    Employer,
    JobseekerIdentity,
    JobseekerProfile,
    JobseekerStatus,
    OutcomeEvent,
    Proposal,
    Role,
)
from features.schemas.common import StrictModel
from matching.rules import RuleSet

MAX_ID = 2_147_483_647
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A record id in a path: positive and within the database's integer range."""
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]

__all__ = [
    "MAX_ID",
    "BodyId",
    "ComposeRequest",
    "Created",
    "IdPath",
    "JobseekerCreate",
    "JobseekerPublic",
    "JobseekerSummary",
    "Page",
    "TaskCandidatesRequest",
]


class Created(BaseModel):
    id: int


class JobseekerCreate(StrictModel):
    profile: JobseekerProfile
    identity: JobseekerIdentity | None = None
    demographics: Demographics | None = None


class JobseekerPublic(BaseModel):
    id: int
    profile: JobseekerProfile
    identity: JobseekerIdentity | None = None
    matchable: bool
    not_matchable_reason: str = ""


class JobseekerSummary(BaseModel):
    id: int
    code: str
    municipality: str
    status: JobseekerStatus
    consent_to_matching: bool


class Page(BaseModel):
    data: list[Any]
    count: int


class TaskCandidatesRequest(StrictModel):
    task_ids: list[BodyId] = Field(min_length=1, max_length=50)
    k: int = Field(default=10, ge=1, le=100)
    areas: list[str] | None = Field(default=None, max_length=20)


class ComposeRequest(StrictModel):
    employer_ids: list[BodyId] | None = Field(default=None, max_length=50)
    radius_km: float | None = Field(default=None, gt=0, le=200)


class EmployerCreate(StrictModel):
    employer: Employer


class RoleCreate(StrictModel):
    role: Role


class ProposalCreate(StrictModel):
    proposal: Proposal
    suggestion_id: BodyId | None = None


class EventCreate(StrictModel):
    event: OutcomeEvent


class OverrideCreate(StrictModel):
    chosen: list[BodyId] = Field(max_length=200, description="The ids actually chosen, in order.")
    reason: str = Field(min_length=3, max_length=2000)


class UserCreate(StrictModel):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    role: str = Field(pattern=r"^(coordinator|rekrypiste|analyst|admin)$")
    area: str | None = Field(default=None, max_length=64)
    password: str | None = Field(default=None, min_length=10, max_length=200)


class TokenRequest(StrictModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


RulesetVersion = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]


class RuleSetCreate(StrictModel):
    rules: RuleSet
    parent: str | None = Field(
        default=None,
        max_length=64,
        description="The version it changes (default: the active one).",
    )
    note: str = Field(min_length=1, max_length=2000, description="What changed and why.")


class EvaluationRequest(StrictModel):
    ruleset: str | None = Field(
        default=None, max_length=64, description="A stored version (default: the active one)."
    )
    against: str | None = Field(default=None, max_length=64, description="Compare with this one.")
    k: int = Field(default=10, ge=1, le=100)
    coverage_sample: int = Field(default=2000, ge=10, le=20_000)
    task_sample: int = Field(default=300, ge=10, le=2000)
