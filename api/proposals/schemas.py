"""Request and response bodies about proposals: the proposal and its events, overrides and
left-out tasks, the follow-up after a hire."""

from __future__ import annotations

from datetime import date, datetime
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from api.core.schemas import BodyId, each_task_once
from features.schemas import OutcomeEvent
from features.schemas.common import StrictModel
from features.schemas.proposal import DeclineReason, OutcomeKind

__all__ = [
    "COACH_WEEKS",
    "EventCreate",
    "EventPublic",
    "FollowUpPlanIn",
    "FollowUpPlanPublic",
    "FollowUpPublic",
    "LeftOutPublic",
    "OverrideCreate",
    "OverridePublic",
    "ProposalCreate",
    "ProposalPage",
    "ProposalPublic",
    "ProposalWithdrawal",
    "SupportApplicationIn",
    "SupportApplicationPublic",
    "VisitCreate",
    "VisitDone",
    "VisitPublic",
]


COACH_WEEKS = 26
"""A job coach's fading support is planned for half a year at most, week by week."""


class FollowUpPlanIn(StrictModel):
    """After a hire: the contract and the job coach's support, week by week, fading. Each
    problem is said at its own field (a form names each, not the three in one sentence)."""

    contract_type: Literal["permanent", "fixed_term", "apprenticeship", "work_trial"]
    starts_on: date
    contract_end: date | None = Field(
        default=None, validate_default=True, description="Required for a fixed term."
    )
    coach_hours: list[Annotated[float, Field(ge=0, le=40)]] = Field(
        default_factory=list,
        max_length=COACH_WEEKS,
        description="The job coach's hours in each week from the start; they fade (never rise).",
    )

    @field_validator("contract_end")
    @classmethod
    def _end_after_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("starts_on")
        if end is None and info.data.get("contract_type") == "fixed_term":
            raise PydanticCustomError(
                "fixed_term_end_missing", "a fixed-term contract has an end date"
            )
        if end is not None and start is not None and end <= start:
            raise PydanticCustomError(
                "end_not_after_start", "after the start ({start})", {"start": start}
            )
        return end

    @field_validator("coach_hours")
    @classmethod
    def _fading(cls, hours: list[float]) -> list[float]:
        for week, (before, after) in enumerate(pairwise(hours), start=2):
            if after > before:
                raise PydanticCustomError(
                    "support_rises",
                    "the support fades: each week at most the one before (week {week}: "
                    "{after} after {before})",
                    {"week": week, "before": before, "after": after},
                )
        return hours


class FollowUpPlanPublic(FollowUpPlanIn):
    updated_by: str
    updated_at: datetime


class VisitCreate(StrictModel):
    planned_on: date
    with_whom: Literal["employee", "employer", "both"]


class VisitDone(StrictModel):
    done_on: date
    note: str = Field(default="", max_length=2000)


class VisitPublic(BaseModel):
    id: int
    planned_on: date
    with_whom: str
    done_on: date | None = None
    note: str = ""
    recorded_by: str


class SupportApplicationIn(StrictModel):
    support: Literal["wage_subsidy", "workplace_adjustment_subsidy", "job_coach"]
    status: Literal["planned", "applied", "granted", "declined"]


class SupportApplicationPublic(SupportApplicationIn):
    id: int
    updated_by: str
    updated_at: datetime


class FollowUpPublic(BaseModel):
    """A hired proposal's follow-up: the plan, the visits and the support applications."""

    proposal_id: int
    plan: FollowUpPlanPublic | None = None
    visits: list[VisitPublic]
    supports: list[SupportApplicationPublic]


class OverridePublic(BaseModel):
    suggestion_id: int
    at: datetime
    actor: str
    original: list[int]
    chosen: list[int]
    reason: str


class LeftOutPublic(BaseModel):
    """A suggested task people chose to leave out for a person, and why (the latest time)."""

    task_id: int
    at: datetime
    actor: str
    reason: str


class ProposalCreate(StrictModel):
    """Who is proposed for which tasks. Who proposed it, when, and under which rule set and
    model are the service's to record, never the client's."""

    jobseeker_code: str = Field(pattern=r"^[A-Z]{2}-[0-9A-Z]{4,12}$")
    task_ids: list[BodyId] = Field(min_length=1, max_length=20)
    suggestion_id: BodyId | None = Field(
        default=None, description="The stored suggestion it came from, if any."
    )
    reason: str | None = Field(
        default=None,
        min_length=3,
        max_length=2000,
        description="Why, when the rules exclude a task of it for the person (required then): "
        "the person chose it, a trial would show, the employer agreed to more. Recorded as a "
        "human override.",
    )
    note: str = Field(
        default="",
        max_length=2000,
        description="The proposer's own note (what was agreed, whom to call): shown with the "
        "proposal to the person's own coordinators and to whoever made it.",
    )

    @field_validator("task_ids")
    @classmethod
    def _each_task_once(cls, task_ids: list[int]) -> list[int]:
        return each_task_once(task_ids)


class EventPublic(BaseModel):
    kind: OutcomeKind
    at: datetime
    reason: DeclineReason | None = None
    note: str = ""
    until: date | None = Field(default=None, description="A work trial's planned last day.")


class ProposalPublic(BaseModel):
    """A proposal and what followed; free-text notes and decline reasons only for the
    person's own coordinators."""

    id: int
    jobseeker_code: str
    task_ids: list[int]
    proposed_at: datetime
    proposed_by: str
    ruleset_version: str
    model_version: str | None = None
    suggestion_id: int | None = Field(
        default=None, description="The suggestion list it was taken from (null: outside one)."
    )
    suggestion_position: int | None = Field(
        default=None, description="Its position in that list, 1 = first (recorded by the service)."
    )
    against_engine: bool = Field(
        default=False, description="Proposed although the rules excluded a task of it."
    )
    engine_said: dict[str, list[str]] = Field(
        default_factory=dict, description="Excluded task id → what failed, when proposed."
    )
    override_reason: str | None = Field(
        default=None, description="Why anyway (the person's own coordinators only)."
    )
    note: str = Field(
        default="",
        description="The proposer's note (the person's own coordinators, and its maker).",
    )
    withdrawn_at: datetime | None = Field(
        default=None,
        description="Withdrawn (made in error, or no longer wanted): when; null "
        "while it stands. A withdrawn proposal has ended.",
    )
    withdrawn_by: str | None = Field(default=None, description="Who withdrew it.")
    withdraw_reason: str | None = Field(
        default=None,
        description="Why it was withdrawn (the person's own coordinators, and "
        "whoever withdrew it).",
    )
    events: list[EventPublic]


class ProposalPage(BaseModel):
    """One page of a person's proposals, newest first; ``count`` is how many there are."""

    data: list[ProposalPublic]
    count: int


class ProposalWithdrawal(StrictModel):
    reason: str = Field(
        min_length=3,
        max_length=2000,
        description="Why the proposal is withdrawn (made in error, on the wrong person, no "
        "longer wanted): kept with it.",
    )


class EventCreate(StrictModel):
    event: OutcomeEvent


class OverrideCreate(StrictModel):
    chosen: list[BodyId] = Field(max_length=200, description="The ids actually chosen, in order.")
    reason: str = Field(min_length=3, max_length=2000)
