"""A programme event as recorded and as answered, the list of a period's events and a
withdrawal of one recorded by mistake."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from features.schemas.common import StrictModel
from features.schemas.dates import RECORD_BEGINS, happened_problems
from features.schemas.programme_event import EARLIEST_EVENT, EventKind, ProgrammeEventFields

__all__ = [
    "EventWithdrawal",
    "NetworkEmployer",
    "ProgrammeEventCreate",
    "ProgrammeEventPublic",
    "ProgrammeEventsPublic",
]


class ProgrammeEventCreate(ProgrammeEventFields):
    """Record an event of the programme, and who came (counts only)."""

    held_on: date = Field(
        description="The day it was held (not the day it is recorded): not in the future (in "
        "Finland), not before 2000."
    )
    area: str | None = Field(
        default=None,
        max_length=64,
        description="The area whose event it is: a coordinator's own (the default for them; "
        "another is a 404); an administrator names one of the known areas.",
    )

    @field_validator("held_on")
    @classmethod
    def _happened(cls, day: date, info: ValidationInfo) -> date:
        """Not in the future in Finland, not before 2000 — checked with the other fields, so
        that a form hears of every problem at once. Today is that of the validation context's
        ``now`` (the request's moment), else of the clock."""
        now = (info.context or {}).get("now") or datetime.now(UTC)
        for problem in happened_problems("held_on", day, now, not_before=EARLIEST_EVENT,
                                         what=RECORD_BEGINS):  # fmt: skip
            raise PydanticCustomError(problem.kind, problem.message, dict(problem.context))
        return day


class EventWithdrawal(StrictModel):
    reason: str = Field(
        min_length=3, max_length=500, description="Why: recorded by mistake, twice, wrong day …"
    )


class NetworkEmployer(BaseModel):
    id: int
    name: str


class ProgrammeEventPublic(BaseModel):
    id: int
    held_on: date
    area: str
    name: str
    kind: EventKind
    in_cooperation: bool
    partner: str | None
    clients: int = Field(description="Clients (jobseekers) who came, as the organiser counted.")
    employers: int = Field(description="Employers (organisations) who came.")
    others: int = Field(description="Others who came.")
    network_employers: list[NetworkEmployer] = Field(
        description="The employers of the network who took part (organisations, not people)."
    )
    recorded_by: str
    recorded_at: datetime
    withdrawn_at: datetime | None = Field(
        default=None, description="Withdrawn as recorded by mistake: when (out of every count)."
    )
    withdrawn_by: str | None = None
    withdraw_reason: str | None = None


class ProgrammeEventsPublic(BaseModel):
    """The events of a period (both days included) and an area (null: every area the user
    may see), newest first; withdrawn ones included, marked."""

    period_from: date
    period_to: date
    area: str | None
    areas: list[str] = Field(description="The areas events can be recorded or asked for.")
    data: list[ProgrammeEventPublic]
