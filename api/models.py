"""Request and response bodies of the HTTP API (one schema per use)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.security import Role as UserRole
from features.schemas import (
    Demographics,
    Employer,
    JobseekerIdentity,
    JobseekerProfile,
    JobseekerStatus,
    OutcomeEvent,
    Role,
)
from features.schemas.common import IndustryCode, SectorId, StrictModel, UtcDatetime
from features.schemas.employer import ContactChannel, EmployerNeed, NetworkStatus
from features.schemas.proposal import DeclineReason, OutcomeKind
from matching.rules import RuleSet

MAX_ID = 2_147_483_647
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A record id in a path: positive and within the database's integer range."""
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
RadiusKm = Annotated[float, Field(ge=0.1, le=200, description="Kilometres from home, 0.1–200.")]
"""A search radius: one definition for the query parameter and the body field."""

__all__ = [
    "MAX_ID",
    "BodyId",
    "ComposeRequest",
    "Created",
    "EmployerPage",
    "IdPath",
    "JobseekerCreate",
    "JobseekerPublic",
    "JobseekerSummary",
    "PeoplePage",
    "RadiusKm",
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
    not_matchable_reason: str = Field(
        default="", description="'' or no_consent, consent_withdrawn, consent_scope, not_active"
    )
    not_matchable_text: dict[str, str] = Field(default_factory=dict)


class JobseekerSummary(BaseModel):
    id: int
    code: str
    municipality: str
    status: JobseekerStatus
    consent_to_matching: bool


class HandoffCreate(StrictModel):
    to_role: Literal["work_ability_coordinator", "company_coordinator"] = Field(
        description="The other coordinator's role (not one's own)."
    )
    note: str = Field(min_length=3, max_length=2000, description="What they need to know.")


class HandoffPublic(BaseModel):
    id: int
    jobseeker_id: int
    at: datetime
    from_user: str
    from_role: str
    to_role: str
    note: str
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None


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


class CandidateRequestAnswer(StrictModel):
    answer: Literal["yes", "no", "discuss"]
    note: str = Field(
        default="",
        max_length=2000,
        description="Seen by the asker: the reason of a no (required then), or what to discuss. "
        "Never health details.",
    )

    @model_validator(mode="after")
    def _no_says_why(self) -> CandidateRequestAnswer:
        if self.answer == "no" and len(self.note.strip()) < 3:
            raise ValueError("note: a no says why (3 characters at least)")
        return self


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
    age_days: int = Field(description="Days since it was asked (or until it was answered).")


class FollowUpPlanIn(StrictModel):
    """After a hire: the contract and the job coach's support, week by week, fading."""

    contract_type: Literal["permanent", "fixed_term", "apprenticeship", "work_trial"]
    starts_on: date
    contract_end: date | None = Field(default=None, description="Required for a fixed term.")
    coach_hours: list[Annotated[float, Field(ge=0, le=40)]] = Field(
        default_factory=list,
        max_length=26,
        description="The job coach's hours in each week from the start; they fade (never rise).",
    )

    @model_validator(mode="after")
    def _dates_and_fading(self) -> FollowUpPlanIn:
        if self.contract_type == "fixed_term" and self.contract_end is None:
            raise ValueError("contract_end: a fixed-term contract has an end date")
        if self.contract_end is not None and self.contract_end <= self.starts_on:
            raise ValueError("contract_end: after the start")
        if any(b > a for a, b in zip(self.coach_hours, self.coach_hours[1:], strict=False)):
            raise ValueError("coach_hours: the support fades: each week at most the one before")
        return self


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


class TimelineEntry(BaseModel):
    """One thing that happened to a person."""

    at: datetime
    kind: str = Field(
        description="profile_created, profile_changed, proposed, proposed_against_engine, step, "
        "handed_over, taken_over, asked, answered or left_out"
    )
    actor: str | None = None
    about_id: int | None = Field(
        default=None, description="The proposal, hand-off or candidate request."
    )
    task_ids: list[int] = Field(default_factory=list)
    step: str | None = Field(default=None, description="For a step: the outcome's kind.")
    to_role: str | None = None
    answer: str | None = None


class NextStepPublic(BaseModel):
    step: str = Field(
        description="follow_up_due, visit_due, contract_ending, trial_ending, candidate_request, "
        "handoff, "
        "new_matches, answer_overdue, waiting_answer, trial_running, assess or no_activity "
        "(most urgent first)"
    )
    since: datetime | None = None
    about_id: int | None = Field(
        default=None,
        description="The proposal, candidate request or hand-off it is about; for "
        "new_matches, how many.",
    )
    characteristics: list[str] = Field(
        default_factory=list, description="For assess: the capacities to assess."
    )


class CaseloadRow(BaseModel):
    id: int
    code: str
    name: str | None = None
    municipality: str
    status: JobseekerStatus
    consent_to_matching: bool
    coordinator: str
    work_ability_coordinator: str | None = None
    open_proposals: int
    last_activity: datetime
    attention: int = Field(description="How urgent the most urgent step is; 0: nothing to do.")
    next_steps: list[NextStepPublic]


class CaseloadPage(BaseModel):
    """One page of a coordinator's caseload; ``count`` is how many match in all."""

    data: list[CaseloadRow]
    count: int
    scope: str = Field(description="mine (responsible for) or area (everyone of the area)")


class PeoplePage(BaseModel):
    """One page of people; ``count`` is how many match in all (for paging)."""

    data: list[JobseekerSummary]
    count: int


class StoredSuggestionPublic(BaseModel):
    id: int
    at: datetime
    kind: str
    actor: str
    ruleset_version: str
    model_version: str | None
    results: dict[str, Any]


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


class AccessPublic(BaseModel):
    at: datetime
    actor: str
    role: str
    action: str
    object_type: str
    purpose: str


class ProfileVersion(BaseModel):
    """The profile as the matcher read it from ``valid_from`` until ``valid_to`` (null: still
    so), as stored."""

    valid_from: datetime
    valid_to: datetime | None
    profile: dict[str, Any]
    capacities: list[list[Any]]


class PersonExport(BaseModel):
    """Everything stored about a person (GDPR Art. 15)."""

    jobseeker: JobseekerPublic
    demographics: Demographics | None
    proposals: list[dict[str, Any]] = Field(description="Each proposal with its events.")
    suggestions: list[StoredSuggestionPublic] = Field(description="Suggestions made for them.")
    candidate_lists: list[StoredSuggestionPublic] = Field(
        description="Candidate lists they appeared in."
    )
    overrides: list[OverridePublic]
    handoffs: list[HandoffPublic] = Field(description="Hand-offs between their coordinators.")
    follow_ups: list[FollowUpPublic] = Field(
        default_factory=list,
        description="After a hire: the contract, coach hours, visits and support applications.",
    )
    candidate_requests: list[CandidateRequestPublic] = Field(
        description="Rekrypiste's questions about them, and the answers."
    )
    profile_history: list[ProfileVersion] = Field(
        default_factory=list,
        description="Every earlier version of the profile and capacities the service kept (for "
        "evaluating suggestions as they were made), oldest first.",
    )
    accesses: list[AccessPublic] = Field(description="Every recorded access to any of it.")


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


class TaskCandidatesRequest(StrictModel):
    task_ids: list[BodyId] = Field(min_length=1, max_length=50)
    k: int = Field(default=10, ge=1, le=100)
    areas: list[str] | None = Field(default=None, max_length=20)


class ComposeRequest(StrictModel):
    employer_ids: list[BodyId] | None = Field(default=None, max_length=50)
    radius_km: RadiusKm | None = None


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
    (their status now and every recorded change), and how many hired through us."""

    stages: dict[str, int] = Field(
        description="contacted, interested, cooperating, hired_through_us — each at least "
        "as far as the stage"
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

    @field_validator("task_ids")
    @classmethod
    def _each_task_once(cls, task_ids: list[int]) -> list[int]:
        if len(set(task_ids)) != len(task_ids):
            raise ValueError("each task once")
        return task_ids


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
    events: list[EventPublic]


class ProposalPage(BaseModel):
    """One page of a person's proposals, newest first; ``count`` is how many there are."""

    data: list[ProposalPublic]
    count: int


class EventCreate(StrictModel):
    event: OutcomeEvent


class Envelope(BaseModel):
    """What every stored suggestion answers with: its id and the versions that made it."""

    suggestion_id: int
    ruleset_version: str
    model_version: str | None = None


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


class OverrideCreate(StrictModel):
    chosen: list[BodyId] = Field(max_length=200, description="The ids actually chosen, in order.")
    reason: str = Field(min_length=3, max_length=2000)


class UserCreate(StrictModel):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    role: UserRole
    area: str | None = Field(default=None, max_length=64)
    password: str | None = Field(default=None, min_length=10, max_length=200)


class RoleChange(StrictModel):
    role: UserRole
    area: str | None = Field(
        default=None, max_length=64, description="Needed by the coordinators; others have none."
    )


class TokenRequest(StrictModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


RulesetVersion = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]


class ActivationCreate(StrictModel):
    note: str = Field(default="", max_length=500, description="Why it is activated (audited).")


class RuleSetCreate(StrictModel):
    rules: RuleSet
    parent: str | None = Field(
        default=None,
        max_length=64,
        description="The version it changes (default: the active one).",
    )
    note: str = Field(min_length=1, max_length=2000, description="What changed and why.")


class RuleSetSummary(BaseModel):
    version: str
    parent: str | None
    author: str
    created_at: datetime
    note: str
    fingerprint: str
    active: bool


class RuleSetList(BaseModel):
    data: list[RuleSetSummary]
    count: int


class RuleSetDetail(RuleSetSummary):
    rules: dict[str, Any] = Field(description="The rule set as stored (see the RuleSet schema).")


class RuleSetChange(BaseModel):
    path: str = Field(description="The setting, e.g. groups.physical.over_demand_tolerance")
    before: Any = Field(alias="from")
    after: Any = Field(alias="to")

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class RuleSetDiff(BaseModel):
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    changes: list[RuleSetChange]

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class Activation(BaseModel):
    active: str
    previous: str | None


class DraftValid(BaseModel):
    valid: bool
    version: str
    fingerprint: str


class MetricComparison(BaseModel):
    """A metric under A and B; for per-person metrics the difference B − A with a 95 %
    paired bootstrap interval (people resampled). None: nothing to measure."""

    a: float | None
    b: float | None
    diff: float | None
    ci_low: float | None = None
    ci_high: float | None = None


class EvaluationSide(BaseModel):
    ruleset_version: str
    k: int
    metrics: dict[str, float | None] = Field(
        description="hit_rate@k, recall@k, ndcg@10, mrr, coverage_people, coverage_tasks, "
        "mean_adjustments, distinct_employers, …"
    )
    counts: dict[str, float | None]
    fairness: dict[str, Any] = Field(
        description="Per protected attribute: each group's exposure, hit rate and the ratios."
    )
    min_cell: int = Field(
        default=10,
        description="The rule set's fairness_min_cell: a group with fewer people (or, for its "
        "hit rate, fewer successes) is suppressed, its figures withheld and marked.",
    )


class GuardrailFinding(BaseModel):
    """A guardrail B is worse on than A, beyond doubt (the interval of B − A above zero)."""

    metric: str = Field(
        description="tolerated_share, unassessed_share, mean_adjustment_cost, failed_in_top_k "
        "or overrides_still_suggested"
    )
    a: float
    b: float
    diff: float
    ci_low: float
    ci_high: float


class Estimate(BaseModel):
    value: float | None
    ci_low: float | None = Field(description="95 % bootstrap interval over the logged lists.")
    ci_high: float | None


class OffPolicyEstimate(BaseModel):
    """What an ordering's first choices would have achieved on the logged exploration."""

    lists: int = Field(description="Logged lists whose first place was drawn, outcomes known.")
    support: float | None = Field(
        description="Share of those lists where this ordering's first choice could have been "
        "shown first by the logging (else it says nothing about them)."
    )
    effective_sample_size: float = Field(description="(Σw)² / Σw²: how many lists it rests on.")
    trusted: bool = Field(description="Effective sample size at least 100.")
    logged_value: float | None = Field(description="The success rate of what was shown.")
    ips: Estimate
    snips: Estimate
    dr: Estimate


class SnipsDifference(BaseModel):
    diff: float | None
    ci_low: float | None
    ci_high: float | None


class OffPolicyReport(BaseModel):
    """Off-policy estimates on the lists whose first place the rule set's exploration drew
    (IPS, self-normalised IPS, doubly robust), for A and B, and B − A by SNIPS."""

    a: OffPolicyEstimate
    b: OffPolicyEstimate | None = None
    snips_difference: SnipsDifference | None = None
    trusted: bool = Field(
        description="False: too few effective lists (under 100) for the estimates to be trusted."
    )


class EvaluationReport(BaseModel):
    """Aggregates only: no person appears in it."""

    replayed_as_of: bool = Field(
        default=True,
        description="Each proposal ranked on the world as it was when it was made (its "
        "person's profile and the tasks of that day, from the stored history); false: on the "
        "world as it is now.",
    )
    a: EvaluationSide
    b: EvaluationSide | None = None
    comparison: dict[str, MetricComparison] | None = None
    off_policy: OffPolicyReport | None = None
    guardrails: list[GuardrailFinding] | None = Field(
        default=None,
        description="What B relies on more than A: tolerated over-demand, ratings to assess, "
        "costlier adjustments. Hit rates count only logged successes; a rule set that relaxes "
        "its constraints can look better by them, and this says what it pays for that.",
    )


class EvaluationRequest(StrictModel):
    ruleset: str | None = Field(
        default=None, max_length=64, description="A stored version (default: the active one)."
    )
    against: str | None = Field(default=None, max_length=64, description="Compare with this one.")
    k: int = Field(default=10, ge=1, le=100)
    coverage_sample: int = Field(default=2000, ge=10, le=20_000)
    task_sample: int = Field(default=300, ge=10, le=2000)
    as_of: bool = Field(
        default=True,
        description="Replay each proposal on the world as it was when it was made (false: on "
        "the world as it is now, to see how much later edits move the figures).",
    )


class TrainingRequest(StrictModel):
    version: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description="The new model's name."
    )
    k: int = Field(default=10, ge=1, le=100, description="Cut-off for the held-out hit rate.")


class ModelCard(BaseModel):
    """A trained re-ranker's card: what it predicts, on what it was trained, how it compares
    with the rules on held-out history, and whether it was saved."""

    version: str
    saved: bool = Field(description="False: no better than the base rate, so not saved.")
    refused: str | None = Field(default=None, description="Why it was not saved.")
    verdict: str
    verdict_code: str = Field(description="better, worse or unclear")
    features: list[str]
    training: dict[str, Any] = Field(
        description="Rows (pairs the rules allow), successes, pairs left out, the time split."
    )
    metrics: dict[str, Any] = Field(
        description="Held-out AUC and Brier score (and the base rate's), the comparison with "
        "the rules with paired intervals."
    )


class Health(BaseModel):
    status: str = Field(description="ok")


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Me(BaseModel):
    name: str
    role: str
    area: str | None = None


class UserCreated(BaseModel):
    id: int
    token: str = Field(description="Shown once; only its hash is stored.")


class Recorded(BaseModel):
    status: str = "recorded"


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    object_type: str
    object_id: str | None = None
    purpose: str = ""
    ruleset_version: str | None = None
    details: dict[str, Any]


class AuditPage(BaseModel):
    """The newest entries first; ``count`` is how many match in all."""

    data: list[AuditEntry]
    count: int


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
