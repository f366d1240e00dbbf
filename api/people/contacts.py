"""A client's contacts with their coordinators — met in person, phoned, a video call, a
message, or an attempt that did not happen (cancelled by the client, did not show up, not
reached) — each dated when it happened, and the next step agreed in it with its due date.

A later contact may find the open step done (``step_done``); a newer step supersedes it. Both
coordinators of the person's area record and read them; every write and read is audited with
ids and kinds, never the note nor what was agreed (free text the audit trail, which cannot be
rewritten, must never hold).
"""

from __future__ import annotations

from datetime import date

from api.auth.policy import reachable_person
from api.core.context import Context
from api.people.schemas import ContactCreate, ContactPublic, ContactsPublic, OpenStepPublic
from api.storage import contacts as stored
from api.storage import repository
from api.storage.audit import record
from api.storage.tables import ContactRow
from features.errors import InvalidInputError
from features.schemas.contact import (
    STEP_DUE_WITHIN,
    Contact,
    ContactKind,
    NextAgreedStep,
    StepState,
)
from features.schemas.dates import (
    FIRST_EPISODE_START,
    STEP_AGREED,
    before_start,
    due_problems,
    happened_problems,
    is_overdue,
    today_in_finland,
)
from features.schemas.errors import FieldError

__all__ = ["contacts_of_person", "record_contact"]


def _public(row: ContactRow, state: StepState | None, done_on: dict[int, date]) -> ContactPublic:
    kind = ContactKind(row.kind)
    step = (
        NextAgreedStep(what=row.next_step, due_on=row.next_step_due)
        if row.next_step is not None and row.next_step_due is not None
        else None
    )
    return ContactPublic(
        id=row.id, on=row.happened_on, kind=kind, happened=kind.happened, note=row.note,
        next_step=step, step_state=state if step else None, step_done_on=done_on.get(row.id),
        closes_step_of=row.closes_step_of, recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )  # fmt: skip


def _state(row: ContactRow, open_id: int | None, done: set[int]) -> StepState | None:
    if row.next_step is None:
        return None
    if row.id in done:
        return StepState.DONE
    return StepState.OPEN if row.id == open_id else StepState.SUPERSEDED


def contacts_of_person(ctx: Context, jobseeker_id: int, *, audited: bool = True) -> ContactsPublic:
    """The person's contacts, newest first, and their open agreed step; the read audited,
    unless it is part of a read audited as a whole (``audited=False``: the person page, the
    export)."""
    reachable_person(ctx, jobseeker_id)
    rows = stored.contacts_of(ctx.session, jobseeker_id=jobseeker_id)
    step = stored.open_steps(ctx.session, [jobseeker_id]).get(jobseeker_id)
    done_on: dict[int, date] = {
        r.closes_step_of: r.happened_on for r in rows if r.closes_step_of is not None
    }
    open_id, done = (step.contact_id if step else None), set(done_on)
    data = [_public(r, _state(r, open_id, done), done_on) for r in rows]
    if audited:
        record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_contacts",
               object_type="jobseeker", object_id=jobseeker_id)  # fmt: skip
        ctx.session.commit()
    open_step = None
    if step is not None:
        late = is_overdue(step.due_on, today_in_finland(ctx.now))
        open_step = OpenStepPublic(what=step.what, due_on=step.due_on, contact_id=step.contact_id,
                                   agreed_on=step.agreed_on, overdue=late)  # fmt: skip
    return ContactsPublic(data=data, open_step=open_step)


def record_contact(
    ctx: Context, jobseeker_id: int, body: ContactCreate, *, via: str = "api"
) -> ContactPublic:
    """Record a contact, dated when it happened (today in Finland when not said): not in the
    future, not before the client's first service episode began. A next step agreed in it is
    due today or later, within about a year, and supersedes any step still open; ``step_done``
    marks the open step done (no earlier than the contact that agreed it)."""
    reachable_person(ctx, jobseeker_id)
    on = body.on or today_in_finland(ctx.now)
    episodes = repository.episodes_of(ctx.session, jobseeker_id=jobseeker_id)
    first = min((e.started_on for _, e in episodes), default=None)
    problems = happened_problems("on", on, ctx.now, not_before=first, what=FIRST_EPISODE_START)
    if body.next_step is not None:
        problems += due_problems("next_step.due_on", body.next_step.due_on, ctx.now,
                                 within_days=STEP_DUE_WITHIN)  # fmt: skip
    open_step = stored.open_steps(ctx.session, [jobseeker_id]).get(jobseeker_id)
    if body.step_done and open_step is None:
        problems.append(FieldError("step_done", "no agreed step is open to be marked done",
                                   kind="no_open_step"))  # fmt: skip
    elif body.step_done and open_step is not None and on < open_step.agreed_on and not problems:
        problems.append(before_start("on", open_step.agreed_on, STEP_AGREED))
    closes = open_step.contact_id if body.step_done and open_step is not None else None
    if problems:
        raise InvalidInputError(problems)
    contact = Contact(on=on, kind=body.kind, note=body.note, next_step=body.next_step,
                      step_done=body.step_done)  # fmt: skip
    row = stored.add_contact(ctx.session, jobseeker_id=jobseeker_id, contact=contact,
                             closes=closes, by=ctx.actor.name)  # fmt: skip
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="record_contact",
           object_type="jobseeker", object_id=jobseeker_id,
           details={"contact_id": row.id, "kind": contact.kind.value,
                    "next_step": contact.next_step is not None, "closes_step_of": closes,
                    "via": via})  # fmt: skip
    now_open = stored.open_steps(ctx.session, [jobseeker_id]).get(jobseeker_id)
    # A back-dated contact's step is superseded at once by a newer contact's.
    state = StepState.OPEN if now_open and now_open.contact_id == row.id else StepState.SUPERSEDED
    result = _public(row, state, {})
    ctx.session.commit()
    return result
