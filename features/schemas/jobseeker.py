"""A jobseeker's work-ability profile: functional capacities, never diagnoses.

Identity (name, contact) is a separate record, kept apart from the profile in storage and
returned only where a role may see it. Demographics exist for fairness evaluation only; no
scoring path reads them.
"""

from __future__ import annotations

import re
import secrets
from datetime import date
from enum import StrEnum
from typing import Annotated

import numpy as np
from pydantic import AfterValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from features.catalogue import CHARACTERISTICS
from features.matchability import not_matchable_reasons
from features.schemas.common import (
    CharacteristicId,
    Coordinates,
    EducationLevelId,
    EmailAddress,
    Level,
    LicenceId,
    MunicipalityName,
    PersonName,
    PhoneNumber,
    Schedule,
    SectorId,
    StrictModel,
    TaskKindId,
    UtcDatetime,
)

__all__ = [
    "Availability",
    "CapacityRating",
    "CapacitySource",
    "Consent",
    "ConsentScope",
    "Demographics",
    "Gender",
    "JobseekerIdentity",
    "JobseekerProfile",
    "JobseekerStatus",
    "LanguageSkill",
    "SupportNeeds",
    "hours_reversed",
]

MAX_WEEKLY_HOURS = 40.0
MIN_WEEKLY_HOURS = 0.25
"""A quarter of an hour a week: anything less is a slip of the keyboard (5e-324 was stored)."""
MAX_SKILL_LENGTH = 60
"""The longest skill, in characters (after its spaces are tidied)."""
MAX_SKILLS = 50
"""The most skills a profile (or a task) lists."""
MAX_GOALS_LENGTH = 500
"""The longest goals and wishes, in characters."""
CODE_PATTERN = r"^[A-Z]{2}-[0-9A-Z]{4,12}$"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Letters and digits that cannot be misread for one another (no I/1, O/0)."""


def new_code() -> str:
    """A fresh pseudonymous code for a client, e.g. ``JS-7KQ2MX`` (about 10⁹ possibilities; a
    clash is refused by the store, and the intake asks again)."""
    return "JS-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))


ICD10_CODE = re.compile(r"\b[A-TV-Z][0-9]{2}(\.[0-9]{1,2})?\b")
"""An ICD-10 diagnosis code such as M54 or F32.1."""


class CapacitySource(StrEnum):
    SELF_ASSESSMENT = "self_assessment"
    COORDINATOR = "coordinator"
    PHYSICIAN = "physician"


class CapacityRating(StrictModel):
    """What the person can do or tolerate for one characteristic, and who said so."""

    level: Level
    source: CapacitySource
    assessed_on: date
    hard_limit: bool = Field(
        default=False,
        description="A physician's restriction: never exceeded by the work as it will be done "
        "(only adjustments that change the work count; no tolerance).",
    )
    recommended: bool = Field(
        default=False,
        description="A physician's recommendation (e.g. 'much sitting is not recommended'): "
        "kept within the rule set's own tolerance where an adjustment can, always named in "
        "the explanation; work beyond it is suggested after every full fit, or excluded, as "
        "the rule set says (beyond_recommendation). Not with hard_limit.",
    )
    kilograms: float | None = Field(
        default=None, ge=0.1, le=100, description="Heaviest load, for lifting and carrying only."
    )
    reference: str | None = Field(
        default=None,
        max_length=120,
        description="Which physician's statement this is (e.g. 'B-lausunto, Lahden "
        "terveyskeskus'); its date is assessed_on. Never a diagnosis or a diagnosis code.",
    )

    @field_validator("reference")
    @classmethod
    def _no_diagnosis_code(cls, value: str | None) -> str | None:
        # Functional capacities are stored, never diagnoses: an ICD-10 code (F32.1, M54) in the
        # reference would put one in the record through the back door.
        if value is not None and ICD10_CODE.search(value):
            raise PydanticCustomError(
                "diagnosis_code",
                "a reference names the statement (its kind and who wrote it), never a "
                "diagnosis or its code",
            )
        return value or None

    @model_validator(mode="after")
    def _hard_limit_from_physician(self) -> CapacityRating:
        if self.hard_limit and self.source is not CapacitySource.PHYSICIAN:
            raise ValueError("hard_limit may only be set when source is 'physician'")
        if self.recommended and self.source is not CapacitySource.PHYSICIAN:
            raise ValueError("recommended may only be set when source is 'physician'")
        if self.reference and self.source is not CapacitySource.PHYSICIAN:
            raise ValueError("reference may only be set when source is 'physician'")
        if self.recommended and self.hard_limit:
            raise ValueError(
                "a physician's statement is a restriction (hard_limit) or a recommendation "
                "(recommended), not both"
            )
        return self


def _sorted_unique(values: list[str]) -> list[str]:
    return sorted(set(values))


def _skill(value: str) -> str:
    cleaned = " ".join(value.casefold().split())
    if not cleaned or len(cleaned) > MAX_SKILL_LENGTH:
        raise PydanticCustomError(
            "skill_length",
            "a skill is 1–{max_length} characters",
            {"max_length": MAX_SKILL_LENGTH, "actual_length": len(cleaned)},
        )
    return cleaned


Skill = Annotated[str, AfterValidator(_skill)]
Skills = Annotated[list[Skill], AfterValidator(_sorted_unique), Field(max_length=MAX_SKILLS)]


class Availability(StrictModel):
    weekly_hours_min: float = Field(ge=0, le=MAX_WEEKLY_HOURS)
    weekly_hours_max: float = Field(ge=MIN_WEEKLY_HOURS, le=MAX_WEEKLY_HOURS)
    schedule: Schedule = Field(
        min_length=1, description="Day × day-part slots the person can work, e.g. 'mon-morning'."
    )
    earliest_start: date | None = None

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Availability:
        if reversed_hours := hours_reversed(self.weekly_hours_min, self.weekly_hours_max):
            raise reversed_hours
        return self


def hours_reversed(low: float, high: float) -> PydanticCustomError | None:
    """The error of least weekly hours above the most (None when they are in order): the
    schema's, and a form's when something else in the same availability was refused."""
    if low <= high:
        return None
    return PydanticCustomError(
        "hours_min_above_max",
        "weekly_hours_min ({low}) is greater than weekly_hours_max ({high})",
        {"low": low, "high": high},
    )


class Cefr(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"
    NATIVE = "native"


def _language_code(value: str) -> str:
    if not re.fullmatch(r"[a-z]{2,3}", value):
        raise ValueError(f"language {value!r} must be an ISO 639 code such as 'fi', 'sv', 'en'")
    return value


LanguageCode = Annotated[str, AfterValidator(_language_code)]


class LanguageSkill(StrictModel):
    language: LanguageCode
    level: Cefr


class ConsentScope(StrEnum):
    MATCHING = "matching"
    SHARE_WITH_EMPLOYERS = "share_with_employers"
    EVALUATION = "evaluation"


class Consent(StrictModel):
    given_at: UtcDatetime
    scope: Annotated[list[ConsentScope], AfterValidator(_sorted_unique)] = Field(min_length=1)
    withdrawn_at: UtcDatetime | None = None

    @model_validator(mode="after")
    def _withdrawn_after_given(self) -> Consent:
        if self.withdrawn_at is not None and self.withdrawn_at < self.given_at:
            raise ValueError("withdrawn_at is earlier than given_at")
        return self

    def allows_matching(self) -> bool:
        return self.withdrawn_at is None and ConsentScope.MATCHING in self.scope


class SupportNeeds(StrictModel):
    job_coach: bool = False
    wage_subsidy_eligible: bool = False


class JobseekerStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    PLACED = "placed"
    ENDED = "ended"
    """The service episode ended elsewhere than in work (features.schemas.episode)."""


class JobseekerProfile(StrictModel):
    """Everything the matcher may read about a person. No name, no contact, no diagnosis."""

    code: str = Field(pattern=CODE_PATTERN, description="Pseudonymous code, e.g. 'JS-4F7K2A'.")
    municipality: MunicipalityName
    coordinates: Coordinates | None = Field(
        default=None, description="Home point; the municipality centre when omitted."
    )
    availability: Availability
    capacities: dict[CharacteristicId, CapacityRating] = Field(
        default_factory=dict,
        description="Capacity per characteristic. A missing one is unknown, not unlimited.",
    )
    skills: Skills = Field(default_factory=list)
    licences: Annotated[list[LicenceId], AfterValidator(_sorted_unique)] = Field(
        default_factory=list
    )
    languages: list[LanguageSkill] = Field(default_factory=list, max_length=10)
    education_level: EducationLevelId | None = None
    interest_sectors: Annotated[list[SectorId], AfterValidator(_sorted_unique)] = Field(
        default_factory=list
    )
    interest_task_kinds: Annotated[list[TaskKindId], AfterValidator(_sorted_unique)] = Field(
        default_factory=list
    )
    goals: str = Field(default="", max_length=MAX_GOALS_LENGTH)
    support: SupportNeeds = Field(default_factory=SupportNeeds)
    consent: Consent | None = None
    coordinator: str = Field(
        min_length=1, max_length=64, description="The responsible company coordinator."
    )
    work_ability_coordinator: str | None = Field(
        default=None,
        max_length=64,
        description="The responsible work-ability coordinator (the capacity assessment).",
    )
    area: str = Field(min_length=1, max_length=64, description="The coordinators' team or area.")
    status: JobseekerStatus = JobseekerStatus.ACTIVE

    @model_validator(mode="after")
    def _kilograms_only_where_they_belong(self) -> JobseekerProfile:
        for cid, rating in self.capacities.items():
            if rating.kilograms is not None and not CHARACTERISTICS[cid].has_kilograms:
                raise ValueError(
                    f"capacities.{cid}.kilograms: only "
                    + ", ".join(c.id for c in CHARACTERISTICS.values() if c.has_kilograms)
                    + " carry kilograms"
                )
        languages = [s.language for s in self.languages]
        twice = sorted({code for code in languages if languages.count(code) > 1})
        if twice:
            raise PydanticCustomError(
                "language_twice",
                "languages: each language may be listed once ({twice})",
                {"twice": ", ".join(twice)},
            )
        return self

    def not_matchable_reason(self) -> str:
        """'' when the person may be matched, else why not (see :mod:`features.matchability`,
        the one definition the pipeline uses too)."""
        consent = self.consent
        reasons = not_matchable_reasons(
            np.array([consent is not None]),
            np.array([consent is not None and consent.withdrawn_at is not None]),
            np.array([consent is not None and ConsentScope.MATCHING in consent.scope]),
            np.array([self.status is JobseekerStatus.ACTIVE]),
        )
        return str(reasons[0])

    def can_be_matched(self) -> bool:
        return not self.not_matchable_reason()


class JobseekerIdentity(StrictModel):
    """Direct identifiers, stored apart from the profile."""

    name: PersonName
    email: EmailAddress | None = None
    phone: PhoneNumber | None = None


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"


class Demographics(StrictModel):
    """For fairness evaluation only: never an input to scoring. The programme report's ESF+
    indicators count gender and birth year too, under a basis of their own (the ESF+
    regulation obliges the report), as aggregates with small cells suppressed
    (:func:`features.reports.esf_figures`)."""

    birth_year: int | None = Field(default=None, ge=1940, le=2015)
    gender: Gender = Gender.UNDISCLOSED
    mother_tongue: LanguageCode | None = None
