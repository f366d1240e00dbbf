"""Request and response bodies about people: profiles, the caseload, hand-overs between
coordinators, a person's timeline and export."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.employers.schemas import CandidateRequestPublic
from api.proposals.schemas import FollowUpPublic, OverridePublic
from api.suggestions.schemas import StoredSuggestionPublic
from features.schemas import Demographics, JobseekerIdentity, JobseekerProfile, JobseekerStatus
from features.schemas.common import StrictModel
from features.schemas.contact import ContactFields, ContactKind, NextAgreedStep, StepState
from features.schemas.episode import (
    ContinuationPath,
    EnrolmentFields,
    Episode,
    EpisodeEventFields,
    EpisodeEventKind,
    EpisodeStatus,
)
from features.schemas.plan import REASON_LONGEST, PlanStepFields, PlanStepOutcome, PlanWho
from features.schemas.referral import ReferralFields, ReferralKind, ReferralOutcome

__all__ = [
    "AccessPublic",
    "CaseloadPage",
    "CaseloadRow",
    "ClientPlanPublic",
    "ContactCreate",
    "ContactPublic",
    "ContactsPublic",
    "EpisodeCreate",
    "EpisodeEventCreate",
    "EpisodePublic",
    "HandoffCreate",
    "HandoffPublic",
    "JobseekerCreate",
    "JobseekerPublic",
    "JobseekerSummary",
    "NextStepPublic",
    "OpenStepPublic",
    "PeoplePage",
    "PersonExport",
    "PlanStepClose",
    "PlanStepCreate",
    "PlanStepPublic",
    "ProfileVersion",
    "ReferralClose",
    "ReferralCreate",
    "ReferralPublic",
    "TimelineEntry",
]


class EpisodeCreate(EnrolmentFields):
    """Start a service episode (enrolment)."""

    started_on: date | None = Field(default=None, description="Today (in Finland) when omitted.")


class EpisodeEventCreate(EpisodeEventFields):
    """Record a pause, a resumption, what happened to the person (an outcome, with or without
    a proposal) or the end of the open episode with its continuation path."""

    on: date | None = Field(
        default=None, description="When it happened; today (in Finland) when omitted."
    )


class EpisodePublic(Episode):
    id: int
    status: EpisodeStatus
    ended_on: date | None = None
    continuation_path: ContinuationPath | None = None
    started_by: str
    next_kinds: list[EpisodeEventKind] = Field(
        default_factory=list, description="What may be recorded next (none once ended)."
    )
    latest_from_proposal: int | None = Field(
        default=None,
        description="The proposal whose step made the latest event: it is undone there.",
    )


class ContactCreate(ContactFields):
    """Record a contact with the client (or an attempt that did not happen)."""

    on: date | None = Field(
        default=None,
        description="When it happened; today (in Finland) when omitted. Not in the future, not "
        "before the client's first service episode began.",
    )


class ContactPublic(BaseModel):
    id: int
    on: date
    kind: ContactKind
    happened: bool = Field(description="False for an attempt: cancelled, no show, not reached.")
    note: str
    next_step: NextAgreedStep | None = None
    step_state: StepState | None = Field(
        default=None, description="Of the step agreed here: open, done or superseded."
    )
    step_done_on: date | None = Field(
        default=None, description="When a later contact found the step agreed here done."
    )
    closes_step_of: int | None = Field(
        default=None, description="The earlier contact whose agreed step this one found done."
    )
    recorded_by: str
    recorded_at: datetime


class OpenStepPublic(NextAgreedStep):
    contact_id: int = Field(description="The contact where it was agreed.")
    agreed_on: date
    overdue: bool = Field(description="Its due date is past (in Finland's today).")


class ContactsPublic(BaseModel):
    """A person's contacts, newest first, and the next step agreed and still open."""

    data: list[ContactPublic]
    open_step: OpenStepPublic | None = None


class ReferralCreate(ReferralFields):
    """Refer the client onwards."""

    on: date | None = Field(
        default=None,
        description="When the referral was made; today (in Finland) when omitted. Not in the "
        "future, not before the client's first service episode began.",
    )


class ReferralClose(StrictModel):
    """An open referral answered (the statement received, the visit done) or cancelled."""

    outcome: ReferralOutcome
    on: date | None = Field(
        default=None,
        description="When it was answered or cancelled; today (in Finland) when omitted. Not "
        "in the future, not before the referral was made.",
    )


class ReferralPublic(BaseModel):
    id: int
    on: date = Field(description="When the referral was made.")
    kind: ReferralKind
    note: str
    due_on: date | None = Field(default=None, description="The answer is awaited by this day.")
    assesses: list[str] = Field(
        default_factory=list,
        description="The characteristics the awaited statement will assess (catalogue ids).",
    )
    made_by: str
    made_at: datetime
    state: Literal["open", "answered", "cancelled"]
    overdue: bool = Field(
        default=False, description="Open and its due date past (in Finland's today)."
    )
    closed_on: date | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None


class PlanStepCreate(PlanStepFields):
    """Agree a step of the client plan with the client."""

    agreed_on: date | None = Field(
        default=None,
        description="When it was agreed; today (in Finland) when omitted. Not in the future, "
        "not before the client's first service episode began.",
    )


class PlanStepClose(StrictModel):
    """An open plan step done, or dropped with the reason."""

    outcome: PlanStepOutcome
    on: date | None = Field(
        default=None,
        description="When it was done or dropped; today (in Finland) when omitted. Not in the "
        "future, not before the step was agreed.",
    )
    reason: str = Field(
        default="",
        max_length=REASON_LONGEST,
        description="Why it was dropped: required for dropped (3 characters at least), none for "
        "done; never audited.",
    )


class PlanStepPublic(BaseModel):
    id: int
    what: str
    who: PlanWho
    who_else: str = Field(default="", description="Who, in words, when ``who`` is other.")
    due_on: date
    agreed_on: date
    agreed_by: str
    agreed_at: datetime
    state: Literal["open", "done", "dropped"]
    overdue: bool = Field(
        default=False, description="Open and its due date past (in Finland's today)."
    )
    closed_on: date | None = Field(default=None, description="When it was done or dropped.")
    reason: str | None = Field(default=None, description="Why it was dropped.")
    closed_by: str | None = None
    closed_at: datetime | None = None


class ClientPlanPublic(BaseModel):
    """The client plan: the client's goals (the profile's), the steps agreed toward them — the
    open ones first by due date, then the ended ones, the latest ended first — and the
    client's coordinators."""

    goals: str
    steps: list[PlanStepPublic]
    coordinator: str = Field(description="The company coordinator.")
    work_ability_coordinator: str | None = None


class JobseekerCreate(StrictModel):
    profile: JobseekerProfile
    identity: JobseekerIdentity | None = None
    demographics: Demographics | None = None
    episode: EpisodeCreate | None = Field(
        default=None,
        description="The first service episode (enrolment); started today with the referral "
        "source unknown when omitted.",
    )
    duplicate_checked: bool = Field(
        default=False,
        description="Someone of the same name (and birth year, where both are known) in the "
        "area makes the intake a 409 possible_duplicate; true once a coordinator has checked "
        "that this is another person.",
    )


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


class UndonePublic(BaseModel):
    kind: str = Field(description="proposal_step or episode_event")
    about_id: int = Field(description="The proposal, or the service episode.")
    step: dict[str, Any] = Field(description="The step as it was recorded.")
    undone_at: datetime
    undone_by: str
    reason: str


class PeopleTakenOn(BaseModel):
    ids: list[int] = Field(description="The new clients' ids, in the sheet's row order.")


class StepUndo(StrictModel):
    reason: str = Field(
        min_length=3,
        max_length=2000,
        description="Why the step is undone (recorded by mistake, on the wrong person, …).",
    )


class HandoffRefusal(StrictModel):
    reason: str = Field(
        min_length=3,
        max_length=2000,
        description="Why not (what is missing, who should take it instead): told to the one "
        "who handed the person over.",
    )


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
    refused_by: str | None = None
    refused_at: datetime | None = None
    refusal_reason: str | None = None


class TimelineEntry(BaseModel):
    """One thing that happened to a person."""

    at: datetime
    kind: str = Field(
        description="profile_created, profile_changed, proposed, proposed_against_engine, step, "
        "handed_over, taken_over, handoff_refused, undone, asked, answered, left_out, contact, "
        "referral_made, referral_answered, referral_cancelled, plan_step_added, plan_step_done, "
        "plan_step_dropped, episode_started (step: the referral source) or episode_event "
        "(step: its kind; path: a continuation path)"
    )
    actor: str | None = None
    about_id: int | None = Field(
        default=None,
        description="The proposal, hand-off, candidate request, contact, referral or plan step.",
    )
    task_ids: list[int] = Field(default_factory=list)
    step: str | None = Field(default=None, description="For a step: the outcome's kind.")
    to_role: str | None = None
    answer: str | None = None
    contact: ContactKind | None = Field(default=None, description="For a contact: its kind.")
    due_on: date | None = Field(
        default=None,
        description="For a contact that agreed a next step, a referral or a plan step agreed: "
        "its due date.",
    )
    step_done: bool = Field(
        default=False, description="For a contact: it found the open agreed step done."
    )
    referral: ReferralKind | None = Field(default=None, description="For a referral: its kind.")
    path: str | None = Field(
        default=None, description="For an episode's outcome or end: the continuation path."
    )


class NextStepPublic(BaseModel):
    step: str = Field(
        description="follow_up_due, visit_due, contract_ending, trial_ending, candidate_request, "
        "handoff, agreed_step_due, referral_due, plan_step_due, "
        "new_matches, new_since_run, answer_overdue, waiting_answer, trial_running, "
        "agreed_step, assess or no_activity (most urgent first)"
    )
    since: datetime | None = Field(
        default=None,
        description="When it began; for an agreed step, a referral or a plan step due, its "
        "due date.",
    )
    about_id: int | None = Field(
        default=None,
        description="The proposal, candidate request, hand-off, contact (that agreed the "
        "step), referral or plan step it is about; for new_matches and new_since_run, how many.",
    )
    characteristics: list[str] = Field(
        default_factory=list, description="For assess: the capacities to assess."
    )
    what: str = Field(
        default="",
        description="For agreed_step, agreed_step_due and plan_step_due: what was agreed; "
        "for referral_due: the referral's kind.",
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
    episodes: list[EpisodePublic] = Field(
        default_factory=list, description="Their service episodes, newest first."
    )
    contacts: list[ContactPublic] = Field(
        default_factory=list,
        description="Their coordinators' contacts with them, newest first, notes and agreed "
        "steps included.",
    )
    referrals: list[ReferralPublic] = Field(
        default_factory=list,
        description="Their referrals onwards, newest first, notes included.",
    )
    plan_steps: list[PlanStepPublic] = Field(
        default_factory=list,
        description="The steps of their client plan, open first, what was agreed and why a step "
        "was dropped included.",
    )
    follow_ups: list[FollowUpPublic] = Field(
        default_factory=list,
        description="After a hire: the contract, coach hours, visits and support applications.",
    )
    undone_steps: list[UndonePublic] = Field(
        default_factory=list,
        description="Steps recorded by mistake and undone, each as it was, with who undid it, "
        "when and why.",
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
