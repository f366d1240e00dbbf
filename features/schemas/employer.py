"""Employers (with the Rekrypiste CRM memory), their roles and the Ratko-decomposed tasks."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from features.catalogue import CHARACTERISTICS
from features.schemas.common import (
    AdjustmentId,
    BusinessId,
    CharacteristicId,
    Coordinates,
    EmailAddress,
    IndustryCode,
    Level,
    LicenceId,
    MunicipalityName,
    PhoneNumber,
    Schedule,
    SectorId,
    StrictModel,
    TaskKindId,
    UtcDatetime,
)
from features.schemas.jobseeker import MAX_WEEKLY_HOURS, MIN_WEEKLY_HOURS, Skills, _sorted_unique

__all__ = [
    "Address",
    "ContactChannel",
    "ContactPerson",
    "CrmNote",
    "Employer",
    "EmployerNeed",
    "Frequency",
    "NeedKind",
    "NetworkStatus",
    "Role",
    "Task",
    "TaskType",
    "Urgency",
]


class Address(StrictModel):
    street: str = Field(min_length=1, max_length=120)
    postal_code: str = Field(pattern=r"^\d{5}$")
    municipality: MunicipalityName
    coordinates: Coordinates | None = Field(
        default=None, description="The municipality centre when omitted."
    )


class ContactPerson(StrictModel):
    name: str = Field(min_length=1, max_length=120)
    title: str | None = Field(default=None, max_length=120)
    phone: PhoneNumber | None = None
    email: EmailAddress | None = None


class NetworkStatus(StrEnum):
    """Where the employer is in the services' network: the funnel runs contacted →
    interested → partner (cooperating) → hired through us; paused is a dormant partner."""

    PROSPECT = "prospect"
    CONTACTED = "contacted"
    INTERESTED = "interested"
    PARTNER = "partner"
    PAUSED = "paused"
    DECLINED = "declined"


class NeedKind(StrEnum):
    """What the employer has: an ordinary vacancy, a seasonal one, or tasks to hand over (a
    Ratko workshop's material)."""

    VACANCY = "vacancy"
    SEASONAL = "seasonal"
    HAND_OVER = "hand_over"


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    URGENT = "urgent"


class EmployerNeed(StrictModel):
    """What an employer said they need, taken down during a call."""

    work: str = Field(min_length=3, max_length=500, description="What work, in their words.")
    kind: NeedKind
    hours_per_week: float | None = Field(default=None, ge=MIN_WEEKLY_HOURS, le=MAX_WEEKLY_HOURS)
    start: date | None = Field(default=None, description="From when.")
    urgency: Urgency = Urgency.NORMAL
    contact_back: str | None = Field(
        default=None, max_length=120, description="Whom to contact back, and how."
    )
    next_contact: date | None = Field(default=None, description="When to contact them next.")


class ContactChannel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    VISIT = "visit"
    EVENT = "event"


class CrmNote(StrictModel):
    """The Rekrypiste memory: when the employer was contacted and what they need."""

    at: UtcDatetime
    author: str = Field(min_length=1, max_length=64)
    channel: ContactChannel
    text: str = Field(min_length=1, max_length=2000)
    needs: Annotated[list[SectorId], AfterValidator(_sorted_unique)] = Field(default_factory=list)


class Employer(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    business_id: BusinessId
    industry: IndustryCode = Field(description="TOL 2008 division, two digits, e.g. '56'.")
    address: Address
    contact: ContactPerson | None = None
    network_status: NetworkStatus = NetworkStatus.PROSPECT
    notes: list[CrmNote] = Field(default_factory=list, max_length=500)


class TaskType(StrEnum):
    """Ratko: core tasks need the role's expertise; hand-over tasks may be carved out."""

    CORE = "core"
    HAND_OVER = "hand_over"


class Frequency(StrEnum):
    DAILY = "daily"
    SEVERAL_PER_WEEK = "several_per_week"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    OCCASIONAL = "occasional"


class Task(StrictModel):
    """One row of a Ratko workshop's output."""

    title: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=2000)
    kind: TaskKindId
    task_type: TaskType
    hours_per_week: float = Field(ge=MIN_WEEKLY_HOURS, le=MAX_WEEKLY_HOURS)
    schedule: Schedule = Field(min_length=1)
    frequency: Frequency
    demands: dict[CharacteristicId, Level] = Field(
        description="Demand per characteristic. A missing one is not yet assessed."
    )
    demand_kilograms: dict[CharacteristicId, float] = Field(
        default_factory=dict, description="Heaviest load for lifting / carrying, in kg."
    )
    accepted_adjustments: Annotated[list[AdjustmentId], AfterValidator(_sorted_unique)] = Field(
        default_factory=list
    )
    required_licences: Annotated[list[LicenceId], AfterValidator(_sorted_unique)] = Field(
        default_factory=list
    )
    required_skills: Skills = Field(default_factory=list)
    place: Address | None = Field(default=None, description="Where, if not the employer's address.")
    mentor_available: bool = False
    season_start: date | None = None
    season_end: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Task:
        for cid, kg in self.demand_kilograms.items():
            if not CHARACTERISTICS[cid].has_kilograms:
                raise ValueError(f"demand_kilograms.{cid}: only lifting and carrying carry kg")
            if not 0 < kg <= 100:
                raise ValueError(f"demand_kilograms.{cid}: {kg} kg is outside 0–100 kg")
            if self.demands.get(cid, 0) == 0:
                raise ValueError(
                    f"demand_kilograms.{cid}: a load is given but the demand level of {cid} is "
                    "0 or missing"
                )
        if (self.season_start is None) != (self.season_end is None):
            raise ValueError("season_end: goes with season_start; give both or neither")
        if self.season_start and self.season_end and self.season_start > self.season_end:
            raise ValueError("season_start: later than season_end")
        return self


class Role(StrictModel):
    """A job as the employer sees it, decomposed into tasks."""

    title: str = Field(min_length=1, max_length=120)
    sector: SectorId
    description: str = Field(default="", max_length=2000)
    open_vacancy: bool = Field(
        default=False,
        description="The employer is hiring for the role as it is (an open, perhaps unadvertised "
        "vacancy): matched as a whole — a person fits when they fit every one of its tasks.",
    )
    vacancy_hours: float | None = Field(
        default=None,
        ge=MIN_WEEKLY_HOURS,
        le=MAX_WEEKLY_HOURS,
        description="The open position's weekly hours; by default its tasks' hours together.",
    )
    tasks: list[Task] = Field(default_factory=list, max_length=200)
