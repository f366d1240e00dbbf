"""A coordinator's caseload: the people they are responsible for (or everyone of their area),
found by name or code, each with what needs doing next — one query per table, the next steps
worked out by :mod:`features.caseload`; audited like any list of people."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, ScalarSelect, func, or_, select

from api.core.context import Context
from api.core.security import Permission, Role, allowed
from api.market import service as market
from api.people.schemas import CaseloadPage, CaseloadRow, NextStepPublic
from api.storage.audit import record
from api.storage.contacts import open_steps
from api.storage.plan import last_plan_days, open_plan_steps
from api.storage.referrals import awaited_answers
from api.storage.tables import (
    CandidateRequestRow,
    ContactRow,
    EpisodeEventRow,
    EpisodeRow,
    FollowUpPlanRow,
    FollowUpVisitRow,
    HandoffRow,
    IdentityRow,
    JobseekerHistoryRow,
    JobseekerRow,
    OutcomeEventRow,
    ProposalRow,
    ReferralRow,
    SuggestionRow,
)
from features.caseload import (
    CONTRACT_ENDING,
    REFUSAL_SHOWN,
    NextStep,
    Step,
    attention,
    important_characteristics,
    next_steps,
)
from features.catalogue import CHARACTERISTIC_IDS
from features.schemas import JobseekerStatus
from features.schemas.dates import moment_of, today_in_finland
from features.schemas.proposal import TERMINAL
from matching.ranking import rank_tasks_for_person

__all__ = ["CASELOAD_SORTS", "SCOPES", "caseload"]

CASELOAD_SORTS = ("attention", "name", "code", "municipality", "status", "last_activity")
SCOPES = ("mine", "area")


def _responsible(ctx: Context) -> ColumnElement[bool]:
    """The actor's own people: those they are the responsible coordinator of, and those handed
    over to their kind of coordinator and not yet taken over or refused (so that a hand-off
    is met on one's own list, not only on the area's)."""
    kind = ctx.actor.role if ctx.actor.role.is_coordinator else Role.COMPANY_COORDINATOR
    waiting = select(HandoffRow.jobseeker_id).where(
        HandoffRow.to_role == kind.value,
        HandoffRow.acknowledged_at.is_(None),
        HandoffRow.refused_at.is_(None),
    )
    return or_(JobseekerRow.responsible(kind.value) == ctx.actor.name,
               JobseekerRow.id.in_(waiting))  # fmt: skip


def caseload(
    ctx: Context,
    *,
    scope: str | None = None,
    text: str | None = None,
    status: JobseekerStatus | None = None,
    sort: str = "attention",
    limit: int = 50,
    offset: int = 0,
) -> CaseloadPage:
    """The actor's people with their next steps. ``scope``: ``mine`` (they are the
    responsible coordinator of their kind) or ``area``; by default ``mine`` when they are
    responsible for anyone. ``text``: any part of the name or the code."""
    session = ctx.session
    area = JobseekerRow.area == ctx.actor.area  # no area: nobody (NULL matches no row)
    if scope not in SCOPES:
        mine = session.scalar(
            select(func.count()).select_from(JobseekerRow).where(area, _responsible(ctx))
        )
        scope = "mine" if mine else "area"
    where = [area] + ([_responsible(ctx)] if scope == "mine" else [])
    if status is not None:
        where.append(JobseekerRow.status == status.value)
    if text:
        pattern = f"%{text.strip().lower()}%"
        where.append(or_(func.lower(JobseekerRow.code).like(pattern),
                         func.lower(IdentityRow.name).like(pattern)))  # fmt: skip
    people = session.execute(
        select(JobseekerRow, IdentityRow.name)
        .outerjoin(IdentityRow, IdentityRow.jobseeker_id == JobseekerRow.id)
        .where(*where)
    ).all()
    ids = [row.id for row, _ in people]
    chosen = select(JobseekerRow.id).outerjoin(IdentityRow).where(*where).scalar_subquery()
    proposals = pd.DataFrame(
        session.execute(
            select(ProposalRow.id, ProposalRow.jobseeker_id, ProposalRow.proposed_at).where(
                ProposalRow.jobseeker_id.in_(chosen)
            )
        ).all(),
        columns=["proposal_id", "person_id", "proposed_at"],
    )
    events = pd.DataFrame(
        session.execute(
            select(
                OutcomeEventRow.proposal_id,
                OutcomeEventRow.kind,
                OutcomeEventRow.at,
                OutcomeEventRow.until,
            )
            .join(ProposalRow, ProposalRow.id == OutcomeEventRow.proposal_id)
            .where(ProposalRow.jobseeker_id.in_(chosen))
        ).all(),
        columns=["proposal_id", "kind", "at", "until"],
    )
    # The latest thing that happened in the client's journey, on the day it happened — not the
    # day it was typed: a caseload taken on from a sheet today has its clients' enrolments,
    # months back, as their latest, so that "nothing since" is true of them. The intake itself
    # counts from the episode's start; a change to the profile after it from when it was made.
    last = {row.id: row.created_at for row, _ in people}  # no episode: kept from before 0024
    for person, day in _episode_days(ctx, chosen):
        last[person] = moment_of(day, ctx.now)
    for person, at in _profile_changes(ctx, chosen):
        last[person] = max(last[person], at)
    for frame, column in ((proposals, "proposed_at"), (events.merge(proposals), "at")):
        for person, at in frame.groupby("person_id")[column].max().items():
            last[int(person)] = max(last[int(person)], at.to_pydatetime())
    plan_days = last_plan_days(session, chosen)
    for person, day in _last_contacts(ctx, chosen) + _last_referrals(ctx, chosen) + plan_days:
        # A contact counts from when it happened (attempts too: the coordinator tried); a
        # referral from when it was made, answered or cancelled; a plan step from when it
        # was agreed, done or dropped.
        last[person] = max(last[person], moment_of(day, ctx.now))
    agreed = [(p, s.contact_id, s.due_on, s.what) for p, s in open_steps(session, chosen).items()]
    waiting = _waiting_for_me(ctx, chosen)
    if scope == "mine" and len(ids) <= NEW_MATCHES_AT_MOST:
        waiting += _new_matches(ctx, ids)
    news, since = market.news_counts(ctx, ids)
    if since is not None:
        waiting += [(Step.NEW_SINCE_RUN, p, n, since) for p, n in news.items() if n]
    awaited, planned = awaited_answers(session, chosen), open_plan_steps(session, chosen)
    steps = next_steps(proposals, events, last, _unassessed(ctx, ids), ctx.now, waiting, agreed,
                       awaited, planned)  # fmt: skip
    ended = set(events.loc[events["kind"].isin({k.value for k in TERMINAL}), "proposal_id"])
    open_counts = proposals[~proposals["proposal_id"].isin(ended)].groupby("person_id").size()
    rows = [
        CaseloadRow(
            id=row.id,
            code=row.code,
            name=name,
            municipality=row.municipality,
            status=row.status,
            consent_to_matching=row.consent_given_at is not None
            and row.consent_withdrawn_at is None,
            coordinator=row.coordinator,
            work_ability_coordinator=row.work_ability_coordinator,
            open_proposals=int(open_counts.get(row.id, 0)),
            last_activity=last[row.id],
            attention=attention(steps[row.id]),
            next_steps=[_public(s) for s in steps[row.id]],
        )
        for row, name in people
    ]
    rows.sort(key=_ORDER.get(sort, _ORDER["attention"]))
    page = rows[offset : offset + limit]
    details = {"ids": [r.id for r in page], "view": "caseload"}
    record(session, actor=ctx.actor.name, role=ctx.actor.role, action="list_jobseekers",
           object_type="jobseeker", details=details)  # fmt: skip
    session.commit()
    return CaseloadPage(data=page, count=len(rows), scope=scope)


_ORDER = {
    "attention": lambda r: (-r.attention, r.last_activity, r.code),
    "name": lambda r: ((r.name or "").casefold(), r.code),
    "code": lambda r: (r.code,),
    "municipality": lambda r: (r.municipality, r.code),
    "status": lambda r: (r.status.value, r.code),
    "last_activity": lambda r: (r.last_activity, r.code),
}
"""Ties by code, so paging stays consistent."""


def _public(step: NextStep) -> NextStepPublic:
    return NextStepPublic(step=step.step.value, since=step.since, about_id=step.about_id,
                          characteristics=list(step.characteristics), what=step.what)  # fmt: skip


def _episode_days(ctx: Context, chosen: ScalarSelect[int]) -> list[tuple[int, date]]:
    """Each person's latest day an episode of theirs began, or something in one happened
    (a pause, a resumption, an outcome, the end)."""
    began = ctx.session.execute(
        select(EpisodeRow.jobseeker_id, func.max(EpisodeRow.started_on))
        .where(EpisodeRow.jobseeker_id.in_(chosen))
        .group_by(EpisodeRow.jobseeker_id)
    ).all()
    happened = ctx.session.execute(
        select(EpisodeRow.jobseeker_id, func.max(EpisodeEventRow.happened_on))
        .join(EpisodeEventRow, EpisodeEventRow.episode_id == EpisodeRow.id)
        .where(EpisodeRow.jobseeker_id.in_(chosen))
        .group_by(EpisodeRow.jobseeker_id)
    ).all()
    latest: dict[int, date] = {}
    for person, day in [*began, *happened]:
        if day is not None:
            latest[int(person)] = max(latest.get(int(person), day), day)
    return list(latest.items())


def _profile_changes(ctx: Context, chosen: ScalarSelect[int]) -> list[tuple[int, datetime]]:
    """Each person's latest change to the profile or capacities after the one they were
    taken on with (their versions beyond the first: :mod:`api.storage.history`)."""
    version = JobseekerHistoryRow
    found = ctx.session.execute(
        select(version.jobseeker_id, func.count(), func.max(version.valid_from))
        .where(version.jobseeker_id.in_(chosen))
        .group_by(version.jobseeker_id)
    ).all()
    return [(int(person), at) for person, versions, at in found if versions > 1]


def _last_contacts(ctx: Context, chosen: ScalarSelect[int]) -> list[tuple[int, date]]:
    """Each person's latest contact's day."""
    found = ctx.session.execute(
        select(ContactRow.jobseeker_id, func.max(ContactRow.happened_on))
        .where(ContactRow.jobseeker_id.in_(chosen))
        .group_by(ContactRow.jobseeker_id)
    ).all()
    return [(int(person), day) for person, day in found if day is not None]


def _last_referrals(ctx: Context, chosen: ScalarSelect[int]) -> list[tuple[int, date]]:
    """Each person's latest day a referral was made or closed."""
    found = ctx.session.execute(
        select(ReferralRow.jobseeker_id, func.max(ReferralRow.made_on),
               func.max(ReferralRow.closed_on))
        .where(ReferralRow.jobseeker_id.in_(chosen))
        .group_by(ReferralRow.jobseeker_id)
    ).all()  # fmt: skip
    return [(int(p), max(d for d in (made, closed) if d is not None))
            for p, made, closed in found if made is not None]  # fmt: skip


def _waiting_for_me(
    ctx: Context, chosen: ScalarSelect[int]
) -> list[tuple[Step, int, int, datetime]]:
    """Candidate requests the company coordinator is to answer; hand-offs to the actor's role
    not taken over yet."""
    waiting: list[tuple[Step, int, int, datetime]] = []
    if allowed(ctx.actor.role, Permission.ANSWER_CANDIDATE_REQUESTS):
        asked = ctx.session.execute(
            select(CandidateRequestRow.jobseeker_id, CandidateRequestRow.id,
                   CandidateRequestRow.requested_at)
            .where(CandidateRequestRow.jobseeker_id.in_(chosen),
                   CandidateRequestRow.answer.is_(None))
        ).all()  # fmt: skip
        waiting += [(Step.CANDIDATE_REQUEST, p, i, at) for p, i, at in asked]
    handed = ctx.session.execute(
        select(HandoffRow.jobseeker_id, HandoffRow.id, HandoffRow.at)
        .where(HandoffRow.jobseeker_id.in_(chosen), HandoffRow.to_role == ctx.actor.role.value,
               HandoffRow.acknowledged_at.is_(None), HandoffRow.refused_at.is_(None))
    ).all()  # fmt: skip
    waiting += [(Step.HANDOFF, p, i, at) for p, i, at in handed]
    waiting += _refused_handoffs(ctx, chosen)
    return waiting + _follow_up_steps(ctx, chosen)


def _refused_handoffs(
    ctx: Context, chosen: ScalarSelect[int]
) -> list[tuple[Step, int, int, datetime]]:
    """Hand-offs from the actor's kind of coordinator refused lately, where the refusal is the
    person's latest hand-off (a new one supersedes it)."""
    latest = (
        select(HandoffRow.jobseeker_id, func.max(HandoffRow.id).label("id"))
        .where(HandoffRow.jobseeker_id.in_(chosen))
        .group_by(HandoffRow.jobseeker_id)
        .subquery()
    )
    refused = ctx.session.execute(
        select(HandoffRow.jobseeker_id, HandoffRow.id, HandoffRow.refused_at)
        .join(latest, latest.c.id == HandoffRow.id)
        .where(HandoffRow.from_role == ctx.actor.role.value,
               HandoffRow.refused_at >= ctx.now - REFUSAL_SHOWN)
    ).all()  # fmt: skip
    return [(Step.HANDOFF_REFUSED, p, i, at) for p, i, at in refused if at is not None]


def _follow_up_steps(
    ctx: Context, chosen: ScalarSelect[int]
) -> list[tuple[Step, int, int, datetime]]:
    """Follow-up visits past their day and not recorded; contracts ending within a month."""
    today = today_in_finland(ctx.now)
    visits = ctx.session.execute(
        select(ProposalRow.jobseeker_id, FollowUpVisitRow.id, FollowUpVisitRow.planned_on)
        .join(ProposalRow, ProposalRow.id == FollowUpVisitRow.proposal_id)
        .where(ProposalRow.jobseeker_id.in_(chosen), FollowUpVisitRow.done_on.is_(None),
               FollowUpVisitRow.planned_on < today)
    ).all()  # fmt: skip
    ending = ctx.session.execute(
        select(ProposalRow.jobseeker_id, ProposalRow.id, FollowUpPlanRow.contract_end)
        .join(ProposalRow, ProposalRow.id == FollowUpPlanRow.proposal_id)
        .where(ProposalRow.jobseeker_id.in_(chosen), FollowUpPlanRow.contract_end >= today,
               FollowUpPlanRow.contract_end <= today + CONTRACT_ENDING)
    ).all()  # fmt: skip

    def moment(day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=UTC)

    found: list[tuple[Step, int | None, int, date | None]]
    found = [(Step.VISIT_DUE, p, i, d) for p, i, d in visits]
    found += [(Step.CONTRACT_ENDING, p, i, d) for p, i, d in ending]
    # The filters above keep only rows of a person in the caseload, with a date.
    return [(step, p, i, moment(d)) for step, p, i, d in found if p is not None and d is not None]


NEW_MATCHES_AT_MOST = 100
"""New matches are looked for in a caseload of the coordinator's own people (up to this many):
each is a ranking, and a whole area's would make the page slow."""
NEW_MATCHES_K = 10


def _new_matches(ctx: Context, ids: list[int]) -> list[tuple[Step, int, int, datetime]]:
    """For each person whose page the actor has opened before: how many fully assessed fits
    among the top ten now were not among the tasks suggested then (since that look)."""
    last_look = (
        select(SuggestionRow.jobseeker_id, func.max(SuggestionRow.id).label("id"))
        .where(SuggestionRow.actor == ctx.actor.name, SuggestionRow.kind == "person_tasks",
               SuggestionRow.jobseeker_id.in_(ids))
        .group_by(SuggestionRow.jobseeker_id)
        .subquery()
    )  # fmt: skip
    looks = ctx.session.execute(
        select(SuggestionRow.jobseeker_id, SuggestionRow.at, SuggestionRow.results).join(
            last_look, last_look.c.id == SuggestionRow.id
        )
    ).all()
    index = ctx.index.get(ctx.session)
    found: list[tuple[Step, int, int, datetime]] = []
    for person, at, results in looks:
        i = index.people.row_of.get(int(person)) if person is not None else None
        if i is None or not index.people.matchable[i]:
            continue
        ranked = rank_tasks_for_person(index.people, index.tasks, int(person), ctx.index.rules,
                                       NEW_MATCHES_K)  # fmt: skip
        good = {int(t) for t, ok in zip(ranked.ids, ranked.pairs.first_tier, strict=False) if ok}
        new = good - {int(t) for t in results.get("ids", [])}
        if new:
            found.append((Step.NEW_MATCHES, int(person), len(new), at))
    return found


def _unassessed(ctx: Context, ids: list[int]) -> dict[int, list[str]]:
    """Each person's unassessed capacities that stand between them and their best matches in
    the latest batch run; for people not in a run, those most hand-over tasks demand."""
    gaps = market.capacity_gaps(ctx, ids) or {}
    rest = [i for i in ids if i not in gaps]
    return {**gaps, **_commonly_demanded_gaps(ctx, rest)}


def _commonly_demanded_gaps(ctx: Context, ids: list[int]) -> dict[int, list[str]]:
    """Each person's unassessed capacities among those most hand-over tasks demand."""
    index = ctx.index.get(ctx.session)
    important = important_characteristics(index.tasks.demand, index.tasks.hand_over)
    rows = [index.people.row_of.get(i) for i in ids]
    known = [(i, r) for i, r in zip(ids, rows, strict=True) if r is not None]
    if not known:
        return {}
    missing = np.isnan(index.people.capacity[[r for _, r in known]]) & important
    return {
        i: [CHARACTERISTIC_IDS[c] for c in np.flatnonzero(missing[k])]
        for k, (i, _) in enumerate(known)
    }
