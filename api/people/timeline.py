"""A person's timeline: everything that happened to them, newest first — the profile created
and changed, service episodes started and what happened in them, proposals and what followed,
hand-offs, the Rekrypiste's questions and the answers, suggestions left out, contacts with the
client, referrals made, answered and cancelled, steps of the client plan agreed, done and
dropped — read from where each is kept, for their own coordinators."""

from __future__ import annotations

from sqlalchemy import select

from api.auth.policy import reachable_person
from api.core.context import Context
from api.people.schemas import TimelineEntry
from api.storage.audit import record
from api.storage.tables import (
    AuditRow,
    CandidateRequestRow,
    ContactRow,
    EpisodeRow,
    HandoffRow,
    OutcomeEventRow,
    OverrideRow,
    PlanStepRow,
    ProposalRow,
    ProposalTaskRow,
    ReferralRow,
    SuggestionRow,
    UndoneStepRow,
)
from features.schemas.contact import ContactKind
from features.schemas.dates import moment_of
from features.schemas.referral import ReferralKind

__all__ = ["TIMELINE_KINDS", "timeline"]

TIMELINE_KINDS = (
    "profile_created", "profile_changed", "proposed", "proposed_against_engine", "step",
    "handed_over", "taken_over", "asked", "answered", "left_out", "contact", "referral_made",
    "referral_answered", "referral_cancelled", "plan_step_added", "plan_step_done",
    "plan_step_dropped", "episode_started", "episode_event", "handoff_refused", "undone",
)  # fmt: skip
_PROFILE = {"create_jobseeker": "profile_created", "update_jobseeker": "profile_changed"}


def timeline(ctx: Context, jobseeker_id: int, limit: int = 100) -> list[TimelineEntry]:
    """The newest ``limit`` entries of the person's timeline; audited as a read."""
    reachable_person(ctx, jobseeker_id)
    session = ctx.session
    out: list[TimelineEntry] = []
    for row in session.scalars(
        select(AuditRow).where(AuditRow.object_type == "jobseeker",
                               AuditRow.object_id == str(jobseeker_id),
                               AuditRow.action.in_(list(_PROFILE)))
    ):  # fmt: skip
        out.append(TimelineEntry(at=row.at, kind=_PROFILE[row.action], actor=row.actor))
    proposals = session.scalars(
        select(ProposalRow).where(ProposalRow.jobseeker_id == jobseeker_id)
    ).all()
    tasks: dict[int, list[int]] = {}
    for pid, tid in session.execute(
        select(ProposalTaskRow.proposal_id, ProposalTaskRow.task_id).where(
            ProposalTaskRow.proposal_id.in_([p.id for p in proposals])
        )
    ):
        tasks.setdefault(pid, []).append(tid)
    for p in proposals:
        kind = "proposed_against_engine" if p.against_engine else "proposed"
        out.append(TimelineEntry(at=p.proposed_at, kind=kind, actor=p.proposed_by,
                                 about_id=p.id, task_ids=sorted(tasks.get(p.id, []))))  # fmt: skip
    for e in session.scalars(
        select(OutcomeEventRow).where(OutcomeEventRow.proposal_id.in_([p.id for p in proposals]))
    ):
        out.append(TimelineEntry(at=e.at, kind="step", about_id=e.proposal_id, step=e.kind))
    for h in session.scalars(select(HandoffRow).where(HandoffRow.jobseeker_id == jobseeker_id)):
        out.append(TimelineEntry(at=h.at, kind="handed_over", actor=h.from_user, about_id=h.id,
                                 to_role=h.to_role))  # fmt: skip
        if h.acknowledged_at is not None:
            out.append(TimelineEntry(at=h.acknowledged_at, kind="taken_over",
                                     actor=h.acknowledged_by, about_id=h.id))  # fmt: skip
        if h.refused_at is not None:
            out.append(TimelineEntry(at=h.refused_at, kind="handoff_refused",
                                     actor=h.refused_by, about_id=h.id))  # fmt: skip
    undone = select(UndoneStepRow).where(UndoneStepRow.jobseeker_id == jobseeker_id)
    for u in session.scalars(undone):
        kind = str(u.step.get("kind", ""))
        step = kind if u.kind == "proposal_step" else f"episode_{kind}"
        out.append(TimelineEntry(at=u.undone_at, kind="undone", actor=u.undone_by,
                                 about_id=u.about_id, step=step))  # fmt: skip
    for r in session.scalars(
        select(CandidateRequestRow).where(CandidateRequestRow.jobseeker_id == jobseeker_id)
    ):
        out.append(TimelineEntry(at=r.requested_at, kind="asked", actor=r.requested_by,
                                 about_id=r.id, task_ids=list(r.task_ids)))  # fmt: skip
        if r.answered_at is not None:
            out.append(TimelineEntry(at=r.answered_at, kind="answered", actor=r.answered_by,
                                     about_id=r.id, answer=r.answer))  # fmt: skip
    for o in session.scalars(
        select(OverrideRow)
        .join(SuggestionRow, SuggestionRow.id == OverrideRow.suggestion_id)
        .where(SuggestionRow.jobseeker_id == jobseeker_id)
    ):
        left = sorted(set(o.original) - set(o.chosen))
        if left:
            out.append(TimelineEntry(at=o.at, kind="left_out", actor=o.actor, task_ids=left))
    for c in session.scalars(select(ContactRow).where(ContactRow.jobseeker_id == jobseeker_id)):
        # When it happened (a contact typed in later is placed on its own day).
        at = moment_of(c.happened_on, c.recorded_at)
        out.append(TimelineEntry(at=at, kind="contact", actor=c.recorded_by, about_id=c.id,
                                 contact=ContactKind(c.kind), due_on=c.next_step_due,
                                 step_done=c.closes_step_of is not None))  # fmt: skip
    referrals = select(ReferralRow).where(ReferralRow.jobseeker_id == jobseeker_id)
    for ref in session.scalars(referrals):
        # On the days they happened (a referral typed in later is placed on its own day).
        to = ReferralKind(ref.kind)
        out.append(TimelineEntry(at=moment_of(ref.made_on, ref.made_at), kind="referral_made",
                                 actor=ref.made_by, about_id=ref.id, referral=to,
                                 due_on=ref.due_on))  # fmt: skip
        if ref.outcome is not None and ref.closed_on is not None and ref.closed_at is not None:
            out.append(TimelineEntry(at=moment_of(ref.closed_on, ref.closed_at),
                                     kind=f"referral_{ref.outcome}", actor=ref.closed_by,
                                     about_id=ref.id, referral=to))  # fmt: skip
    for ep in session.scalars(select(EpisodeRow).where(EpisodeRow.jobseeker_id == jobseeker_id)):
        # On the days they happened: an episode begun or a step recorded later is placed there.
        out.append(TimelineEntry(at=moment_of(ep.started_on, ep.created_at),
                                 kind="episode_started", actor=ep.started_by, about_id=ep.id,
                                 step=f"referral_{ep.referral_source}"))  # fmt: skip
        for ev in ep.events:
            out.append(TimelineEntry(at=moment_of(ev.happened_on, ev.recorded_at),
                                     kind="episode_event", actor=ev.recorded_by, about_id=ep.id,
                                     step=f"episode_{ev.kind}",
                                     path=f"path_{ev.path}" if ev.path else None))  # fmt: skip
    planned_steps = select(PlanStepRow).where(PlanStepRow.jobseeker_id == jobseeker_id)
    for ps in session.scalars(planned_steps):
        # On the days they happened; never what is to be done, nor why it was dropped.
        out.append(TimelineEntry(at=moment_of(ps.agreed_on, ps.agreed_at), kind="plan_step_added",
                                 actor=ps.agreed_by, about_id=ps.id, due_on=ps.due_on))  # fmt: skip
        if ps.outcome is not None and ps.closed_on is not None and ps.closed_at is not None:
            out.append(TimelineEntry(at=moment_of(ps.closed_on, ps.closed_at),
                                     kind=f"plan_step_{ps.outcome}", actor=ps.closed_by,
                                     about_id=ps.id))  # fmt: skip
    out.sort(key=lambda e: e.at, reverse=True)
    record(session, actor=ctx.actor.name, role=ctx.actor.role, action="read_timeline",
           object_type="jobseeker", object_id=jobseeker_id)  # fmt: skip
    session.commit()
    return out[:limit]
