"""A programme's events (#29: "25 Tapahtumaa (omia ja yhteistyössä järjestettyjä)" on the KUNTO
results page): recruitment events, job-search help, info sessions, wellbeing and community
events, employer events and seminars — each dated the day it was held, in an area, organised by
the programme alone or in cooperation with a partner, and who came as **counts only**.

Participants are people with health-related needs: no event names a person, so the record keeps
how many clients, employers and others came as the organiser counted them — never who. The
employers of the network who took part are named by id (organisations, not people).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from features.schemas.common import StrictModel

__all__ = [
    "EARLIEST_EVENT",
    "MOST_ATTENDING",
    "EventKind",
    "ProgrammeEventFields",
]

EARLIEST_EVENT = date(2000, 1, 1)
"""No programme event in the record is older: an earlier day is a typing error."""
MOST_ATTENDING = 100_000
"""More than this many of one kind at one event is a typing error (DuuniWork, the region's
largest recruitment event, has some thousands of visitors)."""


class EventKind(StrEnum):
    RECRUITMENT = "recruitment"
    """A recruitment event: employers and jobseekers meet (DuuniWork, Tiistairekry)."""
    JOB_SEARCH = "job_search"
    """Help with the job search: CVs, applications (Työnhakutori, CV kuntoon)."""
    INFO_SESSION = "info_session"
    """An info session (Täsmätyötiistai)."""
    WELLBEING = "wellbeing"
    """A wellbeing or community event (Kunnon kesä, Step-Out)."""
    EMPLOYER_EVENT = "employer_event"
    """An event or seminar for employers (social responsibility, entrepreneurship)."""
    OTHER = "other"


class ProgrammeEventFields(StrictModel):
    """What is recorded of an event but its day and area (the service checks the day against
    Finland's today and fills in a coordinator's area)."""

    name: str = Field(
        min_length=1, max_length=200, description="The event's name, e.g. 'DuuniWork'."
    )
    kind: EventKind
    in_cooperation: bool = Field(
        default=False,
        description="Organised with a partner (false: by the programme alone).",
    )
    partner: str | None = Field(
        default=None,
        max_length=200,
        description="The partner organisation's name, when organised in cooperation (optional).",
    )
    clients: int = Field(
        default=0, ge=0, le=MOST_ATTENDING,
        description="How many clients (jobseekers) came, as the organiser counted them.",
    )  # fmt: skip
    employers: int = Field(
        default=0, ge=0, le=MOST_ATTENDING,
        description="How many employers (organisations) came, as the organiser counted them.",
    )  # fmt: skip
    others: int = Field(
        default=0, ge=0, le=MOST_ATTENDING,
        description="How many others came (partners' staff, students, the public).",
    )  # fmt: skip
    network_employers: list[int] = Field(
        default_factory=list,
        max_length=200,
        description="The employers of the network (their ids) who took part — organisations, "
        "not people; each counted among ``employers`` too.",
    )

    @field_validator("partner")
    @classmethod
    def _partner_in_cooperation(cls, partner: str | None, info: ValidationInfo) -> str | None:
        # Checked with the other fields (not after them): a form's every problem said at once.
        if partner and info.data.get("in_cooperation") is False:
            raise PydanticCustomError(
                "partner_without_cooperation",
                "a partner is named for an event organised in cooperation only",
            )
        return partner
