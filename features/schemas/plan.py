"""The client plan (*asiakassuunnitelma*): the client's goals (the profile's ``goals``) and the
steps agreed with them toward those goals — what is to be done, who does it (the client
themself, their company coordinator, their work-ability coordinator, or someone else named
in words, e.g. "työkykykoordinaattori + lääkäri"), and by when — each dated when it was
agreed.

A step is open until a coordinator records it **done** (with the day it was done) or
**dropped** (with the reason), once. Its due date is held to the rules of
:mod:`features.schemas.dates` as a contact's next agreed step is: today or later when it is
agreed, at most :data:`~features.schemas.contact.STEP_DUE_WITHIN` days ahead.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from features.schemas.common import StrictModel

__all__ = [
    "PLAN_STEP_LONGEST",
    "PLAN_STEP_SHORTEST",
    "REASON_LONGEST",
    "WHO_ELSE_LONGEST",
    "PlanStep",
    "PlanStepFields",
    "PlanStepOutcome",
    "PlanWho",
]

PLAN_STEP_SHORTEST = 3
PLAN_STEP_LONGEST = 300
"""What is to be done, in plain words: 3–300 characters (it is printed for the client)."""
WHO_ELSE_LONGEST = 120
REASON_LONGEST = 300


class PlanWho(StrEnum):
    """Who does a step."""

    CLIENT = "client"
    """The client themself."""
    COMPANY_COORDINATOR = "company_coordinator"
    WORK_ABILITY_COORDINATOR = "work_ability_coordinator"
    OTHER = "other"
    """Someone else, named in words (``who_else``)."""


class PlanStepOutcome(StrEnum):
    DONE = "done"
    DROPPED = "dropped"
    """Given up, with the reason (no longer needed, replaced by another step, …)."""


class PlanStepFields(StrictModel):
    """A plan step but the day it was agreed (one being agreed may leave it to the service:
    today)."""

    what: str = Field(
        min_length=PLAN_STEP_SHORTEST,
        max_length=PLAN_STEP_LONGEST,
        description="What is to be done, in plain words the client understands; never audited.",
    )
    who: PlanWho = Field(description="Who does it.")
    who_else: str = Field(
        default="",
        max_length=WHO_ELSE_LONGEST,
        description="When ``who`` is other: who, in words (e.g. 'työkykykoordinaattori + "
        "lääkäri'); empty otherwise.",
    )
    due_on: date = Field(description="By when: today or later, at most a year ahead.")


class PlanStep(PlanStepFields):
    agreed_on: date = Field(description="When it was agreed with the client.")
