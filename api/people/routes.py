"""Jobseekers: profiles, identity kept apart, consent, export of a person's data, erasure.

Coordinators see the jobseekers of their own area; any other id is 404, as if it did not
exist. Every read and write of a person's data writes an audit row in the same transaction.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, UploadFile

from api.core.purposes import Purpose
from api.core.schemas import Created, Recorded
from api.core.security import Permission
from api.http.deps import Context, context_for
from api.http.params import IdPath
from api.people import bulk_intake, caseload, contacts, episodes, plan, referrals, undo
from api.people import service as people
from api.people.schemas import (
    CaseloadPage,
    ClientPlanPublic,
    ContactCreate,
    ContactPublic,
    ContactsPublic,
    EpisodeCreate,
    EpisodeEventCreate,
    EpisodePublic,
    JobseekerCreate,
    JobseekerPublic,
    PeoplePage,
    PeopleTakenOn,
    PersonExport,
    PlanStepClose,
    PlanStepCreate,
    PlanStepPublic,
    ReferralClose,
    ReferralCreate,
    ReferralPublic,
    StepUndo,
)
from features.schemas import JobseekerProfile, JobseekerStatus
from features.schemas.jobseeker import JobseekerIdentity

router = APIRouter(prefix="/jobseekers", tags=["jobseekers"])


@router.get("", summary="Jobseekers of my area")
def list_jobseekers(
    ctx: Annotated[Context, context_for(Permission.READ_JOBSEEKERS)],
    status: JobseekerStatus | None = None,
    code: Annotated[str | None, Query(min_length=1, max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PeoplePage:
    return people.list_people(ctx, status=status, code=code, limit=limit, offset=offset)


@router.get("/caseload", summary="My caseload: my people and what needs doing next")
def my_caseload(
    ctx: Annotated[Context, context_for(Permission.READ_JOBSEEKERS)],
    scope: Annotated[
        Literal["mine", "area"] | None,
        Query(
            description="mine: I am the responsible coordinator; area: everyone of my area. "
            "By default mine, when I am responsible for anyone."
        ),
    ] = None,
    text: Annotated[
        str | None,
        Query(min_length=1, max_length=120, description="Any part of the name or the code."),
    ] = None,
    status: JobseekerStatus | None = None,
    sort: Literal["attention", "name", "code", "municipality", "status", "last_activity"] = (
        "attention"
    ),
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CaseloadPage:
    """Each person with their next steps, most urgent first: a six-month follow-up due, a
    proposal unanswered for two weeks, a work trial running, capacities most hand-over tasks
    demand not assessed, nothing recorded for four weeks."""
    return caseload.caseload(ctx, scope=scope, text=text, status=status, sort=sort, limit=limit,
                             offset=offset)  # fmt: skip


@router.post("", response_model=Created, status_code=201, summary="Add a jobseeker")
def create_jobseeker(
    body: JobseekerCreate, ctx: Annotated[Context, context_for(Permission.WRITE_JOBSEEKERS)]
) -> Created:
    return Created(id=people.create_person(ctx, body))


@router.post(
    "/import",
    response_model=PeopleTakenOn,
    status_code=201,
    summary="Take on a caseload from a spreadsheet (.xlsx or .csv)",
)
def take_on_sheet(
    file: UploadFile, ctx: Annotated[Context, context_for(Permission.WRITE_JOBSEEKERS)]
) -> PeopleTakenOn:
    """One client a row, in the caller's area, each as ``POST /jobseekers`` takes one (a code
    made for each, the first service episode started); all or none: a 422 lists every row's
    every error with its column, and nothing is stored."""
    taken = bulk_intake.take_on_sheet(ctx, file.file.read(), file.filename or "upload")
    return PeopleTakenOn(ids=[t.id for t in taken])


@router.get("/{jobseeker_id}", response_model=JobseekerPublic, summary="A jobseeker's profile")
def get_jobseeker(
    jobseeker_id: IdPath,
    ctx: Annotated[Context, context_for(Permission.READ_JOBSEEKERS)],
    purpose: Annotated[Purpose, Query(description="Why it is read (audited).")] = (
        Purpose.UNSPECIFIED
    ),
) -> JobseekerPublic:
    return people.read_person(ctx, jobseeker_id, purpose=purpose)


@router.put("/{jobseeker_id}", response_model=JobseekerPublic, summary="Replace a profile")
def replace_jobseeker(
    jobseeker_id: IdPath,
    profile: JobseekerProfile,
    ctx: Annotated[Context, context_for(Permission.WRITE_JOBSEEKERS)],
) -> JobseekerPublic:
    return people.replace_person(ctx, jobseeker_id, profile)


@router.put(
    "/{jobseeker_id}/identity",
    response_model=JobseekerPublic,
    summary="Correct a person's name and contact details (GDPR Art. 16)",
)
def replace_identity(
    jobseeker_id: IdPath,
    body: JobseekerIdentity,
    ctx: Annotated[Context, context_for(Permission.WRITE_JOBSEEKERS)],
) -> JobseekerPublic:
    return people.replace_identity(ctx, jobseeker_id, body)


@router.get("/{jobseeker_id}/export", summary="Everything stored about a person (GDPR Art. 15)")
def export_jobseeker(
    jobseeker_id: IdPath, ctx: Annotated[Context, context_for(Permission.EXPORT_PERSON)]
) -> PersonExport:
    """Profile, identity, demographics, proposals and events, suggestions made for the person,
    candidate lists they appeared in, overrides of either, and every recorded access."""
    return people.export_person(ctx, jobseeker_id)


@router.delete("/{jobseeker_id}", status_code=204, summary="Erase a person (GDPR Art. 17)")
def erase_jobseeker(
    jobseeker_id: IdPath, ctx: Annotated[Context, context_for(Permission.ERASE_PERSON)]
) -> None:
    """Removes the person everywhere: profile, identity, demographics, capacities, the
    suggestions made for them and their place in candidate lists, free-text notes and override
    reasons, the match index and its snapshot. Proposals and outcomes stay without them."""
    people.erase_person(ctx, jobseeker_id)


@router.get(
    "/{jobseeker_id}/episodes",
    response_model=list[EpisodePublic],
    summary="A person's service episodes, newest first",
)
def episodes_of_person(
    jobseeker_id: IdPath, ctx: Annotated[Context, context_for(Permission.SERVICE_EPISODES)]
) -> list[EpisodePublic]:
    """Each with its enrolment (date, referral source, programme), its status, what happened
    (dated when it happened) and, once ended, the end and its continuation path."""
    return episodes.episodes_of_person(ctx, jobseeker_id)


@router.post(
    "/{jobseeker_id}/episodes",
    response_model=Created,
    status_code=201,
    summary="Start a service episode (enrolment)",
)
def start_episode(
    jobseeker_id: IdPath,
    body: EpisodeCreate,
    ctx: Annotated[Context, context_for(Permission.SERVICE_EPISODES)],
) -> Created:
    """One episode is open at a time (409 while one is); a new one starts no earlier than the
    previous one ended, and never in the future. The person is active again."""
    return Created(id=episodes.start_episode(ctx, jobseeker_id, body))


@router.post(
    "/{jobseeker_id}/episode/events",
    response_model=EpisodePublic,
    status_code=201,
    summary="Record a pause, a resumption, an outcome or the end of the open episode",
)
def record_episode_event(
    jobseeker_id: IdPath,
    body: EpisodeEventCreate,
    ctx: Annotated[Context, context_for(Permission.SERVICE_EPISODES)],
) -> EpisodePublic:
    """An outcome is what happened to the person, with or without a proposal (sick leave,
    education, continues job search…); the end names where the person continues. Dated when
    it happened (``on``, today in Finland when omitted): not in the future, not before the
    episode began or its latest step. Employed or wage-subsidised work places the person
    (they leave matching); ending elsewhere ends their status."""
    return episodes.record_episode_event(ctx, jobseeker_id, body)


@router.post(
    "/{jobseeker_id}/episode/events/undo",
    response_model=Recorded,
    summary="Undo the latest step of the person's service episode, with the reason",
)
def undo_episode_event(
    jobseeker_id: IdPath,
    body: StepUndo,
    ctx: Annotated[Context, context_for(Permission.SERVICE_EPISODES)],
) -> Recorded:
    """The step is kept among the undone steps (in the person's export); the episode and the
    person's status go back to what they were. A step that came from a proposal is undone
    there (409 here)."""
    undo.undo_episode_event(ctx, jobseeker_id, body)
    return Recorded(status="undone")


@router.get(
    "/{jobseeker_id}/contacts",
    response_model=ContactsPublic,
    summary="A person's contacts with their coordinators, newest first, and the open next step",
)
def contacts_of_person(
    jobseeker_id: IdPath, ctx: Annotated[Context, context_for(Permission.CONTACTS)]
) -> ContactsPublic:
    """Each contact with its date, kind (met, phoned, video, message; or an attempt: cancelled,
    no_show, not_reached), who recorded it, the note and the next step agreed in it (open,
    done or superseded); and the one next step still open, with its due date."""
    return contacts.contacts_of_person(ctx, jobseeker_id)


@router.post(
    "/{jobseeker_id}/contacts",
    response_model=ContactPublic,
    status_code=201,
    summary="Record a contact with the client, and the next step agreed",
)
def record_contact(
    jobseeker_id: IdPath,
    body: ContactCreate,
    ctx: Annotated[Context, context_for(Permission.CONTACTS)],
) -> ContactPublic:
    """Dated when it happened (``on``, today in Finland when omitted): not in the future, not
    before the client's first service episode began. A ``next_step`` (what, ≤ 200 characters,
    and ``due_on``: today or later, within a year) supersedes the step still open;
    ``step_done: true`` marks the open step done (422 at ``step_done`` when none is open)."""
    return contacts.record_contact(ctx, jobseeker_id, body)


@router.get(
    "/{jobseeker_id}/referrals",
    response_model=list[ReferralPublic],
    summary="A person's referrals onwards, newest first",
)
def referrals_of_person(
    jobseeker_id: IdPath, ctx: Annotated[Context, context_for(Permission.REFERRALS)]
) -> list[ReferralPublic]:
    """Each referral with its kind (health_check, physician, psychologist, social_services,
    health_care, rehabilitation, other), the day it was made, the day its answer is awaited
    by (``overdue`` when past and still open), the characteristics the awaited statement will
    assess, who made it, the note, and its state (open, answered, cancelled) with the date."""
    return referrals.referrals_of_person(ctx, jobseeker_id)


@router.post(
    "/{jobseeker_id}/referrals",
    response_model=ReferralPublic,
    status_code=201,
    summary="Refer the client onwards",
)
def make_referral(
    jobseeker_id: IdPath,
    body: ReferralCreate,
    ctx: Annotated[Context, context_for(Permission.REFERRALS)],
) -> ReferralPublic:
    """Dated when it was made (``on``, today in Finland when omitted): not in the future, not
    before the client's first service episode began. ``due_on`` (optional): today or later,
    within a year. ``assesses``: characteristic ids the awaited statement will assess."""
    return referrals.make_referral(ctx, jobseeker_id, body)


@router.post(
    "/{jobseeker_id}/referrals/{referral_id}/close",
    response_model=ReferralPublic,
    summary="Record a referral answered or cancelled",
)
def close_referral(
    jobseeker_id: IdPath,
    referral_id: IdPath,
    body: ReferralClose,
    ctx: Annotated[Context, context_for(Permission.REFERRALS)],
) -> ReferralPublic:
    """``outcome``: answered (the statement received, the visit done) or cancelled; ``on``:
    when (today in Finland when omitted), not in the future, not before the referral was
    made. Once: 409 when the referral is closed already."""
    return referrals.close_referral(ctx, jobseeker_id, referral_id, body)


@router.get(
    "/{jobseeker_id}/plan",
    response_model=ClientPlanPublic,
    summary="A person's client plan: their goals and the steps agreed toward them",
)
def plan_of_person(
    jobseeker_id: IdPath, ctx: Annotated[Context, context_for(Permission.PLAN)]
) -> ClientPlanPublic:
    """The client's goals (the profile's), their company and work-ability coordinators, and
    each step agreed with them — what is to be done, who does it (client,
    company_coordinator, work_ability_coordinator, or other with ``who_else`` in words), by
    when (``overdue`` when past and still open), when it was agreed and by whom, and its state
    (open, done, dropped) with its date and, when dropped, the reason. Open steps first by due
    date, then the ended ones, the latest ended first."""
    return plan.plan_of_person(ctx, jobseeker_id)


@router.post(
    "/{jobseeker_id}/plan/steps",
    response_model=PlanStepPublic,
    status_code=201,
    summary="Agree a step of the client plan",
)
def add_plan_step(
    jobseeker_id: IdPath,
    body: PlanStepCreate,
    ctx: Annotated[Context, context_for(Permission.PLAN)],
) -> PlanStepPublic:
    """``what`` (3–300 characters), ``who`` (``who_else`` names them when other), ``due_on``:
    today or later, within a year. Dated when it was agreed (``agreed_on``, today in Finland
    when omitted): not in the future, not before the client's first service episode began."""
    return plan.add_plan_step(ctx, jobseeker_id, body)


@router.post(
    "/{jobseeker_id}/plan/steps/{step_id}/close",
    response_model=PlanStepPublic,
    summary="Record a plan step done, or dropped",
)
def close_plan_step(
    jobseeker_id: IdPath,
    step_id: IdPath,
    body: PlanStepClose,
    ctx: Annotated[Context, context_for(Permission.PLAN)],
) -> PlanStepPublic:
    """``outcome``: done, or dropped with the ``reason`` (3–300 characters); ``on``: the day
    it was done or dropped (today in Finland when omitted), not in the future, not before the
    step was agreed. Once: 409 when the step has ended already."""
    return plan.close_plan_step(ctx, jobseeker_id, step_id, body)
