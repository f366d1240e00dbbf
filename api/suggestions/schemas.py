"""Request and response bodies of matching: a person's matches, a task's candidates, why
not, the comparison, composed jobs and open vacancies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from api.core.schemas import BodyId, Envelope, RadiusKm
from features.schemas.common import StrictModel

__all__ = [
    "CandidatePublic",
    "CandidatesPublic",
    "ComparisonPublic",
    "ComposeRequest",
    "EmployerBundlesPublic",
    "MatchFilters",
    "MatchItem",
    "PersonBundlePublic",
    "PersonMatchesPublic",
    "ShownFirst",
    "StoredSuggestionPublic",
    "TaskCandidatesRequest",
    "VacanciesPublic",
    "VacancyPublic",
    "WhyNotPublic",
]


class VacancyPublic(BaseModel):
    """An open vacancy the person fits as a whole: every task of the role."""

    role_id: int
    title: str
    employer_id: int
    employer: str
    task_ids: list[int]
    hours: float
    total: float = Field(description="The mean of its tasks' scores.")
    adjustments: int = Field(description="Adjustments its tasks need, all told.")


class VacanciesPublic(BaseModel):
    suggestion_id: int
    ruleset_version: str
    model_version: str | None = None
    included: bool = Field(description="Whether the rule set in use includes open vacancies.")
    items: list[VacancyPublic]


class StoredSuggestionPublic(BaseModel):
    id: int
    at: datetime
    kind: str
    actor: str
    ruleset_version: str
    model_version: str | None
    results: dict[str, Any]


class TaskCandidatesRequest(StrictModel):
    task_ids: list[BodyId] = Field(min_length=1, max_length=50)
    k: int = Field(default=10, ge=1, le=100)
    areas: list[str] | None = Field(default=None, max_length=20)


class ComposeRequest(StrictModel):
    employer_ids: list[BodyId] | None = Field(default=None, max_length=50)
    radius_km: RadiusKm | None = None


class MatchFilters(StrictModel):
    k: int = Field(default=20, ge=1, le=100)
    sector: list[str] | None = Field(default=None, max_length=20)
    municipality: list[str] | None = Field(default=None, max_length=20)
    employer_id: list[BodyId] | None = Field(default=None, max_length=50)
    radius_km: RadiusKm | None = None


class MatchItem(BaseModel):
    task_id: int
    total: float
    explanation: dict[str, Any]


class ShownFirst(BaseModel):
    """The rule set explores (``exploration.share`` > 0): which task this list shows first was
    drawn, and how likely it was — logged so that other orderings can be evaluated."""

    rules_position: int = Field(
        description="The first task's place in the rules' order (1 = their own first)."
    )
    propensity: float = Field(description="The probability that this task was shown first.")
    among: int = Field(description="How many of the rules' best could have been drawn.")


class PersonMatchesPublic(Envelope):
    jobseeker_id: int
    not_matchable_reason: str = Field(
        description="'' when the person may be matched; else no_consent, consent_withdrawn, "
        "consent_scope or not_active."
    )
    not_matchable_text: dict[str, str] = Field(description="The reason in Finnish and English.")
    n_candidates: int
    n_feasible: int
    items: list[MatchItem]
    shown_first: ShownFirst | None = Field(
        default=None, description="Set when the rule set's exploration chose the first task."
    )


class CandidatePublic(BaseModel):
    code: str
    total: float
    tasks: list[dict[str, Any]] = Field(
        description="Per task: whether it fits, the fit in words and the adjustments to arrange."
    )
    supports: list[str] = Field(description="job_coach, wage_subsidy")
    explanations: list[dict[str, Any]] | None = Field(
        default=None, description="The full explanations: for the person's own coordinators only."
    )


class CandidatesPublic(Envelope):
    n_candidates: int
    n_feasible: int
    items: list[CandidatePublic]


class WhyNotPublic(Envelope):
    feasible: bool
    failures: list[str]
    relaxations: list[dict[str, Any]]
    explanation: dict[str, Any]


class ComparisonPublic(Envelope):
    feasible: bool
    comparison: list[dict[str, Any]]


class PersonBundlePublic(Envelope):
    bundle: dict[str, Any]


class EmployerBundlesPublic(Envelope):
    items: list[dict[str, Any]]
