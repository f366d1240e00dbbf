"""A programme event as recorded and as answered, the list of a period's events and a
withdrawal of one recorded by mistake."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from features.schemas.common import StrictModel
from features.schemas.programme_event import EventKind, ProgrammeEventFields

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
