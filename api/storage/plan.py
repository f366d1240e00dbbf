"""A client's plan steps: storing one, ending it once, reading a person's, and the open
ones of a whole caseload (for its step when due)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ScalarSelect, case, func, select
from sqlalchemy.orm import Session

from api.storage.engine import update_once
from api.storage.tables import PlanStepRow
from features import tables as tables_form
from features.schemas.plan import PlanStep, PlanStepOutcome

__all__ = ["add_step", "close", "last_plan_days", "open_plan_steps", "step_of", "steps_of"]


def steps_of(session: Session, *, jobseeker_id: int) -> list[PlanStepRow]:
    """The person's plan steps: the open ones first, by due date (then as agreed), then the
    ended ones, the latest ended first."""
    ended = PlanStepRow.outcome.is_not(None)
    return list(
        session.scalars(
            select(PlanStepRow)
            .where(PlanStepRow.jobseeker_id == jobseeker_id)
            .order_by(
                case((ended, 1), else_=0),
                case((ended, None), else_=PlanStepRow.due_on),
                PlanStepRow.closed_on.desc(),
                PlanStepRow.id,
            )
        )
    )


def step_of(session: Session, *, jobseeker_id: int, step_id: int) -> PlanStepRow | None:
    """The person's plan step ``step_id`` (none when it is another person's)."""
    return session.scalar(
        select(PlanStepRow).where(
            PlanStepRow.id == step_id, PlanStepRow.jobseeker_id == jobseeker_id
        )
    )


def open_plan_steps(
    session: Session, people: Sequence[int] | ScalarSelect[int]
) -> list[tuple[int, int, date, str]]:
    """(person, step, due date, what) of the open plan steps of ``people``, the earliest due
    first (the caseload shows those due: ``features.schemas.dates.is_due``)."""
    rows = session.execute(
        select(PlanStepRow.jobseeker_id, PlanStepRow.id, PlanStepRow.due_on, PlanStepRow.what)
        .where(PlanStepRow.jobseeker_id.in_(people), PlanStepRow.outcome.is_(None))
        .order_by(PlanStepRow.due_on, PlanStepRow.id)
    ).all()  # fmt: skip
    return [(int(p), int(s), due, str(what)) for p, s, due, what in rows]


def last_plan_days(
    session: Session, people: Sequence[int] | ScalarSelect[int]
) -> list[tuple[int, date]]:
    """Each person's latest day a plan step was agreed or ended (the caseload's activity)."""
    found = session.execute(
        select(PlanStepRow.jobseeker_id, func.max(PlanStepRow.agreed_on),
               func.max(PlanStepRow.closed_on))
        .where(PlanStepRow.jobseeker_id.in_(people))
        .group_by(PlanStepRow.jobseeker_id)
    ).all()  # fmt: skip
    return [(int(p), max(d for d in (agreed, closed) if d is not None))
            for p, agreed, closed in found if agreed is not None]  # fmt: skip


def add_step(session: Session, *, jobseeker_id: int, step: PlanStep, by: str) -> PlanStepRow:
    """Store a plan step, open."""
    row = PlanStepRow(jobseeker_id=jobseeker_id, agreed_by=by,
                      **tables_form.plan_step_columns(step))  # fmt: skip
    session.add(row)
    session.flush()
    return row


def close(
    session: Session, row: PlanStepRow, *, outcome: PlanStepOutcome, on: date,
    reason: str | None, by: str, at: datetime,
) -> bool:  # fmt: skip
    """End an open plan step: done or dropped on ``on`` (dropped with ``reason``). False when
    it was ended already (the update asks for it open, so that of two coordinators ending it
    at once only one does)."""
    return update_once(session, row, PlanStepRow.outcome.is_(None),
                       {"outcome": outcome.value, "closed_on": on, "reason": reason,
                        "closed_by": by, "closed_at": at})  # fmt: skip
