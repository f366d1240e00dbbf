"""After the hire: the follow-up plan (contract and its end, the job coach's support fading
over the first weeks), follow-up visits with the employee and the employer, and the support
applications with their status. Only for a hired proposal of a person in the actor's reach;
audited, free text kept out of the audit trail."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.policy import reachable_person
from api.core.context import Context
from api.proposals.schemas import (
    FollowUpPlanIn,
    FollowUpPlanPublic,
    FollowUpPublic,
    SupportApplicationIn,
    SupportApplicationPublic,
    VisitCreate,
    VisitDone,
    VisitPublic,
)
from api.storage.audit import record
from api.storage.tables import (
    FollowUpPlanRow,
    FollowUpVisitRow,
    OutcomeEventRow,
    ProposalRow,
    SupportApplicationRow,
)
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.schemas.dates import happened_problems
from features.schemas.proposal import OutcomeKind

__all__ = ["add_visit", "follow_up", "set_plan", "set_support", "visit_done"]


def _hired(ctx: Context, proposal_id: int) -> ProposalRow:
    """The proposal, if its person is in the actor's full reach and it led to a hire."""
    message = f"no proposal with id {proposal_id}"
    row = ctx.session.get(ProposalRow, proposal_id)
    if row is None or row.jobseeker_id is None:
        raise NotFoundError(message)
    try:
        reachable_person(ctx, row.jobseeker_id)
    except NotFoundError:
        raise NotFoundError(message) from None
    hired = ctx.session.scalar(
        select(OutcomeEventRow.id).where(
            OutcomeEventRow.proposal_id == proposal_id,
            OutcomeEventRow.kind == OutcomeKind.HIRED.value,
        )
    )
    if hired is None:
        raise ConflictError(f"proposal {proposal_id} has not led to a hire: follow-up comes after")
    return row


def _audit(ctx: Context, action: str, proposal_id: int, **details: object) -> None:
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action=action,
           object_type="proposal", object_id=proposal_id, details=dict(details))  # fmt: skip


def set_plan(ctx: Context, proposal_id: int, body: FollowUpPlanIn) -> FollowUpPlanPublic:
    _hired(ctx, proposal_id)
    row = ctx.session.get(FollowUpPlanRow, proposal_id) or FollowUpPlanRow(proposal_id=proposal_id)
    row.contract_type, row.starts_on, row.contract_end = (
        body.contract_type,
        body.starts_on,
        body.contract_end,
    )
    row.coach_hours, row.updated_by, row.updated_at = body.coach_hours, ctx.actor.name, ctx.now
    ctx.session.add(row)
    _audit(ctx, "set_follow_up_plan", proposal_id, contract_type=body.contract_type)
    result = _plan(row)
    ctx.session.commit()
    return result


def add_visit(ctx: Context, proposal_id: int, body: VisitCreate) -> int:
    _hired(ctx, proposal_id)
    row = FollowUpVisitRow(
        proposal_id=proposal_id,
        planned_on=body.planned_on,
        with_whom=body.with_whom,
        note="",
        recorded_by=ctx.actor.name,
    )
    ctx.session.add(row)
    ctx.session.flush()
    _audit(ctx, "plan_visit", proposal_id, visit_id=row.id)
    ctx.session.commit()
    return row.id


def visit_done(ctx: Context, proposal_id: int, visit_id: int, body: VisitDone) -> VisitPublic:
    _hired(ctx, proposal_id)
    row = ctx.session.get(FollowUpVisitRow, visit_id)
    if row is None or row.proposal_id != proposal_id:
        raise NotFoundError(f"no visit {visit_id} of proposal {proposal_id}")
    if problems := happened_problems("done_on", body.done_on, ctx.now):
        raise InvalidInputError(problems)
    row.done_on, row.note = body.done_on, body.note
    _audit(ctx, "record_visit", proposal_id, visit_id=visit_id)
    result = _visit(row)
    ctx.session.commit()
    return result


def set_support(ctx: Context, proposal_id: int, body: SupportApplicationIn) -> int:
    """A support application's status (one row per support, updated as it moves on)."""
    _hired(ctx, proposal_id)
    row = ctx.session.scalar(
        select(SupportApplicationRow).where(
            SupportApplicationRow.proposal_id == proposal_id,
            SupportApplicationRow.support == body.support,
        )
    ) or SupportApplicationRow(proposal_id=proposal_id, support=body.support)
    row.status, row.updated_by, row.updated_at = body.status, ctx.actor.name, ctx.now
    ctx.session.add(row)
    ctx.session.flush()
    _audit(ctx, "set_support_application", proposal_id, support=body.support, status=body.status)
    ctx.session.commit()
    return row.id


def follow_up(ctx: Context, proposal_id: int, *, audited: bool = True) -> FollowUpPublic:
    """A hire's follow-up; the read audited (visit notes are free text about the person),
    unless it is part of a read audited as a whole (``audited=False``: the person page)."""
    _hired(ctx, proposal_id)
    answer = follow_up_of(ctx.session, proposal_id)
    if audited:
        _audit(ctx, "read_follow_up", proposal_id)
        ctx.session.commit()
    return answer


def follow_up_of(session: Session, proposal_id: int) -> FollowUpPublic:
    """What is stored of a proposal's follow-up, whoever may read it (the caller checks)."""
    plan = session.get(FollowUpPlanRow, proposal_id)
    visits = session.scalars(
        select(FollowUpVisitRow)
        .where(FollowUpVisitRow.proposal_id == proposal_id)
        .order_by(FollowUpVisitRow.planned_on, FollowUpVisitRow.id)
    ).all()
    supports = session.scalars(
        select(SupportApplicationRow)
        .where(SupportApplicationRow.proposal_id == proposal_id)
        .order_by(SupportApplicationRow.id)
    ).all()
    return FollowUpPublic(
        proposal_id=proposal_id,
        plan=_plan(plan) if plan is not None else None,
        visits=[_visit(v) for v in visits],
        supports=[
            SupportApplicationPublic(
                id=s.id,
                support=s.support,
                status=s.status,
                updated_by=s.updated_by,
                updated_at=s.updated_at,
            )
            for s in supports
        ],
    )


def _plan(row: FollowUpPlanRow) -> FollowUpPlanPublic:
    return FollowUpPlanPublic(contract_type=row.contract_type, starts_on=row.starts_on,
                              contract_end=row.contract_end, coach_hours=row.coach_hours,
                              updated_by=row.updated_by, updated_at=row.updated_at)  # fmt: skip


def _visit(row: FollowUpVisitRow) -> VisitPublic:
    return VisitPublic(id=row.id, planned_on=row.planned_on, with_whom=row.with_whom,
                       done_on=row.done_on, note=row.note, recorded_by=row.recorded_by)  # fmt: skip
