"""A person's rights over their data: everything stored about them (GDPR Art. 15) and erasure
(Art. 17) that leaves nothing of them behind — in the tables, the free text, the candidate
lists they appeared in, the match index and its snapshot on disk, and SQLite's write-ahead log.

Proposals and their outcomes stay without the person, so aggregate statistics survive; their
free-text notes go with the person.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from api.auth.policy import reachable_person
from api.core.context import Context
from api.core.purposes import Purpose
from api.core.runtime import bump_data_version
from api.employers import candidate_requests
from api.people import contacts, duplicates, episodes, handoffs, plan, referrals, rules
from api.people.schemas import (
    AccessPublic,
    EpisodeCreate,
    JobseekerCreate,
    JobseekerPublic,
    JobseekerSummary,
    PeoplePage,
    PersonExport,
    ProfileVersion,
    UndonePublic,
)
from api.proposals.follow_up import follow_up_of
from api.proposals.schemas import FollowUpPublic, OverridePublic
from api.storage import records, repository
from api.storage.audit import record
from api.storage.tables import (
    AuditRow,
    CandidateRequestRow,
    FollowUpVisitRow,
    JobseekerHistoryRow,
    JobseekerRow,
    OutcomeEventRow,
    OverrideRow,
    ProposalRow,
    SuggestionRow,
    UndoneStepRow,
)
from api.suggestions.schemas import StoredSuggestionPublic
from features.errors import ConflictError, InvalidInputError
from features.i18n import LANGUAGES
from features.matchability import reason_text
from features.schemas import JobseekerProfile, JobseekerStatus
from features.schemas.errors import FieldError, field_errors
from features.schemas.jobseeker import Consent, ConsentScope, Demographics, JobseekerIdentity

__all__ = [
    "add_person",
    "checked_intake",
    "checked_profile",
    "consent_narrowed",
    "create_person",
    "erase_person",
    "export_person",
    "list_people",
    "profile_for_editing",
    "public_person",
    "read_person",
    "replace_identity",
    "replace_person",
]

CANDIDATE_LISTS = ("tasks_people", "compose_employer")
"""Suggestion kinds whose results list people (the person may appear in them)."""


def public_person(session: Session, row: JobseekerRow, *, with_identity: bool) -> JobseekerPublic:
    """A person as every answer shows them to their coordinator."""
    profile = repository.get_jobseeker(session, jobseeker_id=row.id)
    identity = repository.get_identity(session, jobseeker_id=row.id) if with_identity else None
    reason = profile.not_matchable_reason()
    return JobseekerPublic(
        id=row.id,
        profile=profile,
        identity=identity,
        matchable=not reason,
        not_matchable_reason=reason,
        not_matchable_text={lang: reason_text(reason, lang) for lang in LANGUAGES},
    )


def read_person(
    ctx: Context, jobseeker_id: int, *, purpose: Purpose, via: str = "api"
) -> JobseekerPublic:
    """A person in full for their own coordinator (profile, identity, matchability), the read
    audited with its purpose; the API's profile, the web UI's person page and editor."""
    row = reachable_person(ctx, jobseeker_id)
    result = public_person(ctx.session, row, with_identity=True)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_jobseeker",
           object_type="jobseeker", object_id=jobseeker_id, purpose=purpose,
           details={"via": via})  # fmt: skip
    ctx.session.commit()
    return result


def _appearances(ctx: Context, person: JobseekerRow) -> list[SuggestionRow]:
    """Candidate lists that named the person (by id, or by code in composed bundles)."""
    rows = ctx.session.scalars(
        select(SuggestionRow).where(SuggestionRow.kind.in_(CANDIDATE_LISTS))
    ).all()
    return [
        s
        for s in rows
        if person.id in s.results.get("ids", [])
        or any(i.get("code") == person.code for i in s.results.get("items", []))
    ]


def _suggestion(s: SuggestionRow) -> StoredSuggestionPublic:
    return StoredSuggestionPublic(id=s.id, at=s.at, kind=s.kind, actor=s.actor,
                                  ruleset_version=s.ruleset_version,
                                  model_version=s.model_version, results=s.results)  # fmt: skip


def _override(o: OverrideRow) -> OverridePublic:
    return OverridePublic(suggestion_id=o.suggestion_id, at=o.at, actor=o.actor,
                          original=o.original, chosen=o.chosen, reason=o.reason)  # fmt: skip


def export_person(ctx: Context, jobseeker_id: int) -> PersonExport:
    """Everything stored about the person: profile, identity, demographics, proposals with
    their events, suggestions made for them, candidate lists they appeared in, overrides of
    either and every recorded access to any of it. Audited."""
    person = reachable_person(ctx, jobseeker_id)
    session = ctx.session
    proposal_ids = session.scalars(
        select(ProposalRow.id).where(ProposalRow.jobseeker_id == jobseeker_id)
    ).all()
    own = session.scalars(
        select(SuggestionRow).where(SuggestionRow.jobseeker_id == jobseeker_id)
    ).all()
    appearances = _appearances(ctx, person)
    suggestion_ids = [s.id for s in own] + [s.id for s in appearances]
    overrides = session.scalars(
        select(OverrideRow).where(OverrideRow.suggestion_id.in_(suggestion_ids))
    ).all()
    request_ids = session.scalars(
        select(CandidateRequestRow.id).where(CandidateRequestRow.jobseeker_id == jobseeker_id)
    ).all()
    about = (
        ((AuditRow.object_type == "jobseeker") & (AuditRow.object_id == str(jobseeker_id)))
        | ((AuditRow.object_type == "proposal") & AuditRow.object_id.in_(map(str, proposal_ids)))
        | (
            (AuditRow.object_type == "suggestion")
            & AuditRow.object_id.in_(map(str, suggestion_ids))
        )
        | (
            (AuditRow.object_type == "candidate_request")
            & AuditRow.object_id.in_(map(str, request_ids))
        )
    )
    accesses = [
        AccessPublic(at=a.at, actor=a.actor, role=a.role, action=a.action,
                     object_type=a.object_type, purpose=a.purpose)
        for a in session.scalars(select(AuditRow).where(about).order_by(AuditRow.id))
    ]  # fmt: skip
    demographics = repository.get_demographics(session, jobseeker_id=jobseeker_id)
    requests = (
        candidate_requests.requests_in_view(ctx, jobseeker_id=jobseeker_id) if request_ids else []
    )
    answer = PersonExport(
        jobseeker=public_person(session, person, with_identity=True),
        demographics=demographics,
        proposals=[
            {"id": pid, **repository.get_proposal(session, proposal_id=pid).model_dump(mode="json")}
            for pid in proposal_ids
        ],
        suggestions=[_suggestion(s) for s in own],
        candidate_lists=[_suggestion(s) for s in appearances],
        overrides=[_override(o) for o in overrides],
        handoffs=handoffs.handoffs_of_person(ctx, jobseeker_id, audited=False),
        episodes=episodes.episodes_of_person(ctx, jobseeker_id, audited=False),
        contacts=contacts.contacts_of_person(ctx, jobseeker_id, audited=False).data,
        referrals=referrals.referrals_of_person(ctx, jobseeker_id, audited=False),
        plan_steps=plan.plan_steps_of_person(ctx, jobseeker_id),
        follow_ups=[f for pid in proposal_ids if _has_content(f := follow_up_of(session, pid))],
        undone_steps=_undone_steps(session, jobseeker_id),
        candidate_requests=requests,
        profile_history=[
            ProfileVersion(
                valid_from=h.valid_from, valid_to=h.valid_to, profile=h.row, capacities=h.capacity
            )
            for h in session.scalars(
                select(JobseekerHistoryRow)
                .where(JobseekerHistoryRow.jobseeker_id == jobseeker_id)
                .order_by(JobseekerHistoryRow.valid_from, JobseekerHistoryRow.id)
            )
        ],
        accesses=accesses,
    )
    record(session, actor=ctx.actor.name, role=ctx.actor.role, action="export_jobseeker",
           object_type="jobseeker", object_id=jobseeker_id)  # fmt: skip
    session.commit()
    return answer


def _undone_steps(session: Session, jobseeker_id: int) -> list[UndonePublic]:
    rows = session.scalars(
        select(UndoneStepRow)
        .where(UndoneStepRow.jobseeker_id == jobseeker_id)
        .order_by(UndoneStepRow.id)
    )
    return [
        UndonePublic(kind=u.kind, about_id=u.about_id, step=u.step, undone_at=u.undone_at,
                     undone_by=u.undone_by, reason=u.reason)
        for u in rows
    ]  # fmt: skip


def _has_content(follow: FollowUpPublic) -> bool:
    return follow.plan is not None or bool(follow.visits) or bool(follow.supports)


def erase_person(ctx: Context, jobseeker_id: int) -> None:
    """Erase the person everywhere the service wrote them, then rebuild the match index (and
    its snapshot) at once."""
    person = reachable_person(ctx, jobseeker_id)
    session = ctx.session
    proposal_ids = session.scalars(
        select(ProposalRow.id).where(ProposalRow.jobseeker_id == jobseeker_id)
    ).all()
    # The proposals stay (anonymous outcomes for evaluation), without any free text: a note, a
    # reason for proposing against the engine or for withdrawing it, or a follow-up visit's
    # note may say who, or something of health.
    session.execute(
        update(OutcomeEventRow).where(OutcomeEventRow.proposal_id.in_(proposal_ids)).values(note="")
    )
    session.execute(
        update(ProposalRow)
        .where(ProposalRow.id.in_(proposal_ids), ProposalRow.override_reason.is_not(None))
        .values(override_reason="")
    )
    session.execute(update(ProposalRow).where(ProposalRow.id.in_(proposal_ids)).values(note=""))
    session.execute(
        update(ProposalRow)
        .where(ProposalRow.id.in_(proposal_ids), ProposalRow.withdraw_reason.is_not(None))
        .values(withdraw_reason="(erased)")
    )
    session.execute(
        update(FollowUpVisitRow)
        .where(FollowUpVisitRow.proposal_id.in_(proposal_ids))
        .values(note="")
    )
    own = session.scalars(
        select(SuggestionRow.id).where(SuggestionRow.jobseeker_id == jobseeker_id)
    ).all()
    appearances = _appearances(ctx, person)
    session.execute(
        update(OverrideRow)
        .where(OverrideRow.suggestion_id.in_([*own, *(s.id for s in appearances)]))
        .values(reason="")
    )
    session.execute(
        update(SuggestionRow)
        .where(SuggestionRow.id.in_(own))
        .values(subject={"erased": True}, results={}, jobseeker_id=None)
    )
    for s in appearances:  # the list stays (others were on it), without the person
        keep = [i for i, x in enumerate(s.results.get("ids", [])) if x != person.id]
        results = {
            key: [value[i] for i in keep] if isinstance(value, list) and key != "items" else value
            for key, value in s.results.items()
        }
        if "items" in results:
            results["items"] = [i for i in results["items"] if i.get("code") != person.code]
        s.results = results
    # Cascades to identity, demographics, capacities, episodes, contacts, referrals and the
    # client plan's steps.
    session.delete(person)
    session.flush()
    record(session, actor=ctx.actor.name, role=ctx.actor.role, action="erase_jobseeker",
           object_type="jobseeker", object_id=jobseeker_id)  # fmt: skip
    bump_data_version(session)
    session.commit()
    if session.get_bind().dialect.name == "sqlite":
        # secure_delete (on for every connection) zeroed the freed pages; the checkpoint
        # moves them into the file and empties the write-ahead log that still held the rows.
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        session.commit()
    ctx.index.forget_snapshots(session)
    if ctx.batch is not None:
        ctx.batch.forget_person(jobseeker_id)


PEOPLE_SORTS = {
    "id": (),
    "code": (JobseekerRow.code,),
    "municipality": (JobseekerRow.municipality, JobseekerRow.code),
    "status": (JobseekerRow.status, JobseekerRow.code),
}
"""The orders a list of people can be read in (server-side, so paging stays consistent)."""


def list_people(
    ctx: Context,
    *,
    status: JobseekerStatus | None = None,
    code: str | None = None,
    limit: int = 50,
    offset: int = 0,
    sort: str = "id",
) -> PeoplePage:
    """The people of the actor's own area (a coordinator without an area sees nobody:
    ``area IS NULL`` matches no person), by code prefix and status, ordered by ``sort`` (one
    of :data:`PEOPLE_SORTS`; ties by id); audited."""
    session = ctx.session
    query = select(JobseekerRow).where(JobseekerRow.area == ctx.actor.area)
    if status is not None:
        query = query.where(JobseekerRow.status == status.value)
    if code:
        query = query.where(JobseekerRow.code.like(f"{code.upper()}%"))
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    order = [*PEOPLE_SORTS.get(sort, ()), JobseekerRow.id]
    rows = session.scalars(query.order_by(*order).limit(limit).offset(offset)).all()
    data = [
        JobseekerSummary(
            id=r.id,
            code=r.code,
            municipality=r.municipality,
            status=r.status,
            consent_to_matching=r.consent_given_at is not None and r.consent_withdrawn_at is None,
        )
        for r in rows
    ]
    record(session, actor=ctx.actor.name, role=ctx.actor.role, action="list_jobseekers",
           object_type="jobseeker", details={"ids": [r.id for r in rows]})  # fmt: skip
    session.commit()
    return PeoplePage(data=data, count=count)


def create_person(ctx: Context, body: JobseekerCreate) -> int:
    """A new client, with their first service episode; committed."""
    taken = select(JobseekerRow.id).where(JobseekerRow.code == body.profile.code)
    if ctx.session.scalar(taken) is not None:
        # The same answer whoever holds the code, in reach or not; that a code is in use is all
        # a typed code can tell, and the attempt is on the record for whoever audits probing.
        record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="code_taken",
               object_type="jobseeker")  # fmt: skip
        ctx.session.commit()
        raise ConflictError(f"the code {body.profile.code} cannot be used; choose another")
    new_id = add_person(ctx, body)
    bump_data_version(ctx.session)
    ctx.session.commit()
    return new_id


def add_person(ctx: Context, body: JobseekerCreate, *, via: str = "api") -> int:
    """A new client, checked (area, coordinators, a physician's statements, dates: every
    problem at once; then a namesake in the area) and stored with their first service episode
    and the audit row, uncommitted: the caller commits (one client, or a whole sheet of them at
    once)."""
    born = body.demographics.birth_year if body.demographics else None
    started = body.episode.started_on if body.episode else None
    problems = _intake_rule_problems(ctx, body.profile, born, started)
    if problems:
        raise InvalidInputError(problems)
    if body.identity is not None and not body.duplicate_checked:
        matches = duplicates.same_name_in_area(
            ctx.session, area=body.profile.area, name=body.identity.name, birth_year=born
        )
        if matches:
            raise duplicates.PossibleDuplicateError(matches)
    new_id = repository.add_jobseeker(ctx.session, profile=body.profile, identity=body.identity,
                                      demographics=body.demographics)  # fmt: skip
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="create_jobseeker",
           object_type="jobseeker", object_id=new_id,
           details={"via": via} if via != "api" else None)  # fmt: skip
    episodes.start_first_episode(ctx, new_id, body.episode)
    return new_id


def _intake_rule_problems(
    ctx: Context, profile: rules.Judged, born: int | None, started: date | None
) -> list[FieldError]:
    """Every rule a new client's intake is held to beyond its schema: the profile's, and the
    first episode's start."""
    return [
        *rules.profile_rule_problems(ctx, None, profile, birth_year=born, prefix="profile."),
        *episodes.first_start_problems(ctx, started, born),
    ]


def checked_intake(ctx: Context, sent: Mapping[str, Any]) -> JobseekerCreate:
    """An intake body as a form or a sheet's row fills it, through the schema; refused with
    every problem at once — the schema's, and the service's rules on each part that parses on
    its own (the coordinators, the start date, …) — so that whoever fixes it learns everything
    in one round. A body the schema takes is judged by :func:`add_person`."""
    try:
        return JobseekerCreate.model_validate(sent)
    except ValidationError as err:
        schema = field_errors(err)
        refused = rules.Refused.of(schema)
        profile = rules.parts_as_typed(sent.get("profile"), refused, "profile.")
        born = refused.alone(Demographics, "birth_year", sent.get("demographics"), "demographics.")
        started = refused.alone(EpisodeCreate, "started_on", sent.get("episode"), "episode.")
        problems = _intake_rule_problems(ctx, profile, born, started)
        hours = rules.hours_problems(sent.get("profile"), refused, "profile.")
        raise InvalidInputError(schema + hours + problems) from err


def replace_person(ctx: Context, jobseeker_id: int, profile: JobseekerProfile) -> JobseekerPublic:
    """The person's profile replaced, once every rule holds (every problem said at once)."""
    row = reachable_person(ctx, jobseeker_id)
    problems = []
    if profile.status.value != row.status:
        # One story: the status is the service episode's (and a hire's), never typed over.
        problems.append(FieldError(
            "status", f"the status ({row.status}) follows the service episode: record a pause, "
            "a resumption or the end there (POST /jobseekers/{id}/episode/events)",
            kind="status_follows_episode",
        ))  # fmt: skip
    before = records.profile_from_rows(row, row.capacities)
    problems += _replace_rule_problems(ctx, row, before, profile)
    if problems:
        raise InvalidInputError(problems)
    repository.replace_jobseeker(ctx.session, jobseeker_id=jobseeker_id, profile=profile)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="update_jobseeker",
           object_type="jobseeker", object_id=jobseeker_id)  # fmt: skip
    result = public_person(ctx.session, row, with_identity=True)
    bump_data_version(ctx.session)
    ctx.session.commit()
    if ctx.batch is not None and consent_narrowed(before.consent, profile.consent):
        # A withdrawal reaches the stored runs as an erasure does: the person's scores go.
        ctx.batch.forget_person(jobseeker_id)
    return result


def _replace_rule_problems(
    ctx: Context, row: JobseekerRow, before: JobseekerProfile, after: rules.Judged
) -> list[FieldError]:
    """Every rule a changed profile is held to beyond its schema (the person's birth year, where
    known, dates their assessments)."""
    demographics = repository.get_demographics(ctx.session, jobseeker_id=row.id)
    born = demographics.birth_year if demographics else None
    return rules.profile_rule_problems(ctx, before, after, birth_year=born)


def checked_profile(ctx: Context, jobseeker_id: int, sent: Mapping[str, Any]) -> JobseekerProfile:
    """A profile as the editor's form fills it, through the schema; refused with every problem
    at once — the schema's, and the service's rules on each part that parses on its own (the
    assessments' dates, a physician's statement, …). A profile the schema takes is judged by
    :func:`replace_person`."""
    try:
        return JobseekerProfile.model_validate(sent)
    except ValidationError as err:
        schema = field_errors(err)
        row = reachable_person(ctx, jobseeker_id)
        before = records.profile_from_rows(row, row.capacities)
        refused = rules.Refused.of(schema)
        after = rules.parts_as_typed(sent, refused)
        problems = _replace_rule_problems(ctx, row, before, after)
        hours = rules.hours_problems(sent, refused)
        raise InvalidInputError(schema + hours + problems) from err


def replace_identity(
    ctx: Context, jobseeker_id: int, identity: JobseekerIdentity
) -> JobseekerPublic:
    """Correct the person's name and contact details (GDPR Art. 16); audited, never with the
    values."""
    row = reachable_person(ctx, jobseeker_id)
    repository.replace_identity(ctx.session, jobseeker_id=jobseeker_id, identity=identity)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="update_identity",
           object_type="jobseeker", object_id=jobseeker_id)  # fmt: skip
    result = public_person(ctx.session, row, with_identity=True)
    ctx.session.commit()
    return result


def consent_narrowed(before: Consent | None, after: Consent | None) -> bool:
    """The person allows less than before: withdrew, or took matching or sharing with
    employers out of the scope."""

    def allowed(consent: Consent | None) -> set[ConsentScope]:
        if consent is None or consent.withdrawn_at is not None:
            return set()
        return set(consent.scope) & {ConsentScope.MATCHING, ConsentScope.SHARE_WITH_EMPLOYERS}

    return bool(allowed(before) - allowed(after))


def profile_for_editing(ctx: Context, jobseeker_id: int) -> tuple[JobseekerRow, JobseekerProfile]:
    """The person and their stored profile, to edit; 404 if the actor may not reach them. Not
    audited as a read: the save that follows is."""
    row = reachable_person(ctx, jobseeker_id)
    return row, repository.get_jobseeker(ctx.session, jobseeker_id=jobseeker_id)
