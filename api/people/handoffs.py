"""Hand-offs between a person's two coordinators: the work-ability coordinator hands the
person to the company coordinator once the capacity assessment is done (and back, when work
ability needs looking at again), with a note; the receiving side takes it over, or refuses it
and says why. Audited; the note and the reason are the person's coordinators' own (never in the
audit trail)."""

from __future__ import annotations

from sqlalchemy import and_, select

from api.auth.policy import reachable_person, refuse, row_about_reachable_person
from api.core.context import Context
from api.people.schemas import HandoffCreate, HandoffPublic, HandoffRefusal
from api.storage.audit import record
from api.storage.engine import update_once
from api.storage.tables import HandoffRow, JobseekerRow
from features.errors import ConflictError, InvalidInputError
from features.schemas.errors import FieldError

__all__ = ["acknowledge", "hand_off", "handoffs_of_person", "person_of", "refuse_handoff"]


def _public(row: HandoffRow) -> HandoffPublic:
    return HandoffPublic(
        id=row.id, jobseeker_id=row.jobseeker_id, at=row.at, from_user=row.from_user,
        from_role=row.from_role, to_role=row.to_role, note=row.note,
        acknowledged_by=row.acknowledged_by, acknowledged_at=row.acknowledged_at,
        refused_by=row.refused_by, refused_at=row.refused_at, refusal_reason=row.refusal_reason,
    )  # fmt: skip


def hand_off(ctx: Context, jobseeker_id: int, body: HandoffCreate) -> int:
    """Hand the person (of the actor's area) to the other kind of coordinator."""
    reachable_person(ctx, jobseeker_id)
    if body.to_role == ctx.actor.role.value:
        raise InvalidInputError(
            [FieldError("to_role", "hand the person to the other coordinator, not your own role")]
        )
    waiting = ctx.session.scalar(
        select(HandoffRow.id).where(
            HandoffRow.jobseeker_id == jobseeker_id, HandoffRow.to_role == body.to_role,
            HandoffRow.acknowledged_at.is_(None), HandoffRow.refused_at.is_(None),
        )
    )  # fmt: skip
    if waiting is not None:
        # One open hand-off a kind: a second (a double press, two tabs) would let one be
        # refused and the other taken over, the person's story then saying both.
        raise ConflictError(f"a hand-off of this person to {body.to_role} is waiting already "
                            f"(hand-off {waiting}): it is taken over or refused first")  # fmt: skip
    row = HandoffRow(
        jobseeker_id=jobseeker_id,
        at=ctx.now,
        from_user=ctx.actor.name,
        from_role=ctx.actor.role.value,
        to_role=body.to_role,
        note=body.note,
    )
    ctx.session.add(row)
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="hand_off",
           object_type="jobseeker", object_id=jobseeker_id,
           details={"handoff_id": row.id, "to_role": body.to_role})  # fmt: skip
    ctx.session.commit()
    return row.id


def acknowledge(ctx: Context, handoff_id: int) -> HandoffPublic:
    """The receiving coordinator takes the hand-off over (once) and becomes the person's
    responsible coordinator of their kind."""
    row = _open_to_me(ctx, handoff_id)
    _close_once(ctx, row, {"acknowledged_by": ctx.actor.name, "acknowledged_at": ctx.now})
    # Taking over makes the taker the person's responsible coordinator of their kind: the
    # person enters the taker's own caseload. The hand-off row keeps who handed and who took
    # over; the audit row, whom the responsibility passed from.
    person = ctx.session.get_one(JobseekerRow, row.jobseeker_id)
    column = JobseekerRow.RESPONSIBLE_BY_ROLE[row.to_role]
    before = getattr(person, column)
    setattr(person, column, ctx.actor.name)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="acknowledge_handoff",
           object_type="jobseeker", object_id=row.jobseeker_id,
           details={"handoff_id": handoff_id, "responsible_before": before})  # fmt: skip
    result = _public(row)
    ctx.session.commit()
    return result


def refuse_handoff(ctx: Context, handoff_id: int, body: HandoffRefusal) -> HandoffPublic:
    """The receiving coordinator does not take the person over, and says why: the person stays
    with whoever handed them, who is told the reason (on the person's page and in their
    caseload); the hand-off is closed. Audited, never with the reason."""
    row = _open_to_me(ctx, handoff_id)
    _close_once(ctx, row, {"refused_by": ctx.actor.name, "refused_at": ctx.now,
                           "refusal_reason": body.reason})  # fmt: skip
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="refuse_handoff",
           object_type="jobseeker", object_id=row.jobseeker_id,
           details={"handoff_id": handoff_id})  # fmt: skip
    result = _public(row)
    ctx.session.commit()
    return result


def person_of(ctx: Context, handoff_id: int) -> int:
    """The person a hand-off in the actor's reach is about (another area's: not found)."""
    return row_about_reachable_person(ctx, HandoffRow, handoff_id, "hand-off").jobseeker_id


def _close_once(ctx: Context, row: HandoffRow, values: dict[str, object]) -> None:
    """Take over or refuse the hand-off, if nobody has meanwhile (two coordinators of the
    kind pressing at once: the second is told who did, nothing of theirs written)."""
    still_open = and_(HandoffRow.acknowledged_at.is_(None), HandoffRow.refused_at.is_(None))
    if not update_once(ctx.session, row, still_open, values):
        ctx.session.rollback()
        _closed_already(row)
        raise ConflictError(f"hand-off {row.id} was closed meanwhile")


def _closed_already(row: HandoffRow) -> None:
    if row.acknowledged_at is not None:
        raise ConflictError(f"hand-off {row.id} was taken over by {row.acknowledged_by}")
    if row.refused_at is not None:
        raise ConflictError(f"hand-off {row.id} was refused by {row.refused_by}")


def _open_to_me(ctx: Context, handoff_id: int) -> HandoffRow:
    """A hand-off to the actor's kind of coordinator, in reach, neither taken over nor refused."""
    row = row_about_reachable_person(ctx, HandoffRow, handoff_id, "hand-off")
    if row.to_role != ctx.actor.role.value:
        raise refuse(ctx, "handoff", handoff_id, f"no hand-off with id {handoff_id}")
    _closed_already(row)
    return row


def handoffs_of_person(
    ctx: Context, jobseeker_id: int, *, audited: bool = True
) -> list[HandoffPublic]:
    """The person's hand-offs, newest first; the read audited (their notes are free text
    about the person), unless it is part of a read audited as a whole (``audited=False``:
    the person page, the export)."""
    reachable_person(ctx, jobseeker_id)
    rows = ctx.session.scalars(
        select(HandoffRow)
        .where(HandoffRow.jobseeker_id == jobseeker_id)
        .order_by(HandoffRow.at.desc(), HandoffRow.id.desc())
    ).all()
    if audited:
        record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_handoffs",
               object_type="jobseeker", object_id=jobseeker_id)  # fmt: skip
        ctx.session.commit()
    return [_public(r) for r in rows]
