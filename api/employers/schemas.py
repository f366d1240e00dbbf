"""Request and response bodies about employers: the employer, its roles and tasks, the
Ratko sheet, CRM notes, needs, the network and candidate requests."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from api.core.schemas import BodyId, each_task_once
from features.schemas import Employer, Role
from features.schemas.common import IndustryCode, SectorId, StrictModel, UtcDatetime
from features.schemas.employer import ContactChannel, EmployerNeed, NetworkStatus

__all__ = [
    "CandidateRequestAnswer",
    "CandidateRequestBatch",
    "CandidateRequestCreate",
    "CandidateRequestPublic",
    "CandidateRequestsCreated",
    "EmployerCreate",
    "EmployerPage",
    "EmployerSummary",
    "Funnel",
    "NeedCreate",
    "NeedPublic",
    "NeedStatusChange",
    "NetworkStatusChange",
    "NoteCreate",
    "RoleCreate",
    "RoleList",
    "RoleStored",
    "RoleWithTasks",
    "SheetStored",
    "TaskPage",
    "TaskSummary",
]


class CandidateRequestCreate(StrictModel):
    """Would this candidate want these tasks? Asked of the candidate's company coordinator."""

    jobseeker_code: str = Field(pattern=r"^[A-Z]{2}-[0-9A-Z]{4,12}$")
    task_ids: list[BodyId] = Field(min_length=1, max_length=20)
    suggestion_id: BodyId | None = Field(
        default=None, description="The candidate list or composition it came from."
    )
    note: str = Field(
        default="", max_length=2000, description="About the work, for the coordinator."
    )

    @field_validator("task_ids")
    @classmethod
    def _each_task_once(cls, task_ids: list[int]) -> list[int]:
        return each_task_once(task_ids)


class CandidateRequestBatch(StrictModel):
    """Several candidate requests in one go: all made, or none (the refused ones named)."""

    requests: list[CandidateRequestCreate] = Field(min_length=1, max_length=50)


class CandidateRequestsCreated(BaseModel):
    ids: list[int] = Field(description="The requests made, in the order they were asked.")


class CandidateRequestAnswer(StrictModel):
    answer: Literal["yes", "no", "discuss"]
    note: str = Field(
        default="",
        max_length=2000,
        validate_default=True,
        description="Seen by the asker: the reason of a no (required then), or what to discuss. "
        "Never health details.",
    )

    @field_validator("note")
    @classmethod
    def _no_says_why(cls, note: str, info: ValidationInfo) -> str:
        if info.data.get("answer") == "no" and len(note.strip()) < 3:
            raise PydanticCustomError(
                "no_says_why", "a no says why ({min_length} characters at least)", {"min_length": 3}
            )
        return note


class CandidateRequestPublic(BaseModel):
    id: int
    jobseeker_code: str
    name: str | None = Field(
        default=None, description="The person's name: to the asker only after a yes."
    )
    task_ids: list[int]
    requested_by: str
    requested_at: datetime
    note: str
    answer: str | None = None
    answer_note: str = ""
    answered_by: str | None = None
    answered_at: datetime | None = None
    age_days: int = Field(
        description="Calendar days in Finland since it was asked (or until it was answered): "
        "0 on the day it was asked."
    )


class EmployerSummary(BaseModel):
    id: int
    name: str
    business_id: str
    industry: IndustryCode
    municipality: str
    network_status: str


class EmployerPage(BaseModel):
    """One page of employers, by name; ``count`` is how many match in all."""

    data: list[EmployerSummary]
    count: int


class TaskSummary(BaseModel):
    """A task in a list: what it is and whose, nothing about people."""

    id: int
    title: str
    kind: str
    task_type: str
    hours_per_week: float
    role_title: str
    employer_id: int
    employer_name: str
    municipality: str


class TaskPage(BaseModel):
    """One page of tasks; ``count`` is how many match in all."""

    data: list[TaskSummary]
    count: int


class EmployerCreate(StrictModel):
    employer: Employer


class NeedCreate(EmployerNeed):
    """A need taken down during the call; who took it down and when are the service's."""

    owner: str | None = Field(
        default=None,
        max_length=64,
        description="Whose it is (a user's name); by default whoever takes it down.",
    )


class NeedPublic(EmployerNeed):
    id: int
    employer_id: int
    recorded_at: datetime
    recorded_by: str
    owner: str
    status: Literal["open", "filled", "closed"]


class NeedStatusChange(StrictModel):
    status: Literal["open", "filled", "closed"]


class NetworkStatusChange(StrictModel):
    status: NetworkStatus


class Funnel(BaseModel):
    """The employer network as a funnel: how many employers have ever got at least this far
    (their status now and every recorded change, and a hire through us), monotone by
    definition; and where a stage was skipped in the record."""

    stages: dict[str, int] = Field(
        description="contacted, interested, cooperating, hired_through_us — each at least "
        "as far as the stage, so never more than the stage before (an employer that reached a "
        "stage reached every stage before it)"
    )
    implied: dict[str, int] = Field(
        default_factory=dict,
        description="Of each stage's count, the employers counted there only because they "
        "reached a later stage: their status was never recorded at this one.",
    )
    by_status: dict[str, int]
    open_needs: dict[str, int] = Field(description="Open needs by kind.")


class NoteCreate(StrictModel):
    """A CRM note; its author is the acting user."""

    channel: ContactChannel
    text: str = Field(min_length=1, max_length=2000)
    needs: list[SectorId] = Field(default_factory=list, max_length=50)
    at: UtcDatetime | None = Field(
        default=None, description="When the contact happened (default: now; never later)."
    )


class RoleCreate(StrictModel):
    role: Role


class RoleStored(BaseModel):
    role_id: int
    task_ids: list[int]


class RoleWithTasks(BaseModel):
    role: Role
    task_ids: list[int]


class RoleList(BaseModel):
    data: list[RoleWithTasks]
    count: int


class SheetStored(BaseModel):
    roles: list[RoleStored]
