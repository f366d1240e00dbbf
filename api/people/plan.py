"""A client's plan (asiakassuunnitelma, #27 point 7): their goals — the profile's — and the
steps agreed with them toward those goals: what is to be done, who does it (the client, the
company coordinator, the work-ability coordinator, or someone else named in words) and by
when, each dated when it was agreed; later done (with the day it was done) or dropped (with
the reason), once.

Both coordinators of the person's area agree, end and read them; every write and read is
audited with ids, who does the step, dates and the outcome, never what is to be done nor why
a step was dropped (free text the audit trail, which cannot be rewritten, must never hold).
The printable plan, for handing to the client, is read here too (:func:`printable_plan`):
the client's name, goals, steps and coordinators — nothing of their capacities or health.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from api.auth import users
from api.auth.policy import reachable_person
from api.auth.schemas import StaffContact
from api.core.context import Context
from api.people.schemas import ClientPlanPublic, PlanStepClose, PlanStepCreate, PlanStepPublic
from api.storage import plan as stored
from api.storage import repository
from api.storage.audit import record
from api.storage.tables import JobseekerRow, PlanStepRow
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.schemas.contact import STEP_DUE_WITHIN
from features.schemas.dates import (
    FIRST_EPISODE_START,
    PLAN_STEP_AGREED,
    due_problems,
    happened_problems,
    is_overdue,
    today_in_finland,
)
from features.schemas.errors import FieldError
from features.schemas.plan import PlanStep, PlanStepOutcome, PlanWho

__all__ = [
    "PrintablePlan",
    "add_plan_step",
    "close_plan_step",
    "plan_of_person",
    "plan_steps_of_person",
    "printable_plan",
]

REASON_SHORTEST = 3


def public(row: PlanStepRow, ctx: Context) -> PlanStepPublic:
    """A stored plan step as the API and the pages show it (overdue by Finland's today)."""
    state = row.outcome or "open"
    overdue = state == "open" and is_overdue(row.due_on, today_in_finland(ctx.now))
    return PlanStepPublic(
        id=row.id, what=row.what, who=PlanWho(row.who), who_else=row.who_else or "",
        due_on=row.due_on, agreed_on=row.agreed_on, agreed_by=row.agreed_by,
        agreed_at=row.agreed_at, state=state, overdue=overdue, closed_on=row.closed_on,
        reason=row.reason, closed_by=row.closed_by, closed_at=row.closed_at,
    )  # fmt: skip


def _plan(ctx: Context, row: JobseekerRow) -> ClientPlanPublic:
    steps = [public(r, ctx) for r in stored.steps_of(ctx.session, jobseeker_id=row.id)]
    return ClientPlanPublic(goals=row.goals or "", steps=steps, coordinator=row.coordinator,
                            work_ability_coordinator=row.work_ability_coordinator)  # fmt: skip


def plan_steps_of_person(ctx: Context, jobseeker_id: int) -> list[PlanStepPublic]:
    """The person's plan steps (open first by due date, then ended), unaudited: for a read
    audited as a whole (the person page, the export)."""
    reachable_person(ctx, jobseeker_id)
    return [public(r, ctx) for r in stored.steps_of(ctx.session, jobseeker_id=jobseeker_id)]


def plan_of_person(ctx: Context, jobseeker_id: int) -> ClientPlanPublic:
    """The client plan: the goals, the steps (open first by due date, then ended) and the
    coordinators; the read audited."""
    row = reachable_person(ctx, jobseeker_id)
    plan = _plan(ctx, row)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_plan",
           object_type="jobseeker", object_id=jobseeker_id)  # fmt: skip
    ctx.session.commit()
    return plan


@dataclass(frozen=True)
class PrintablePlan:
    """What the printed plan shows the client: whom it is for, on which day, their goals, the
    steps and their coordinators — deliberately nothing of capacities, statements or health
    (the paper is the client's and may be left lying on a table)."""

    name: str
    """The client's name (their code, when no name is kept)."""
    on: date
    plan: ClientPlanPublic
    company_contact: StaffContact | None
    """The company coordinator's name and work contact details for clients (none before they
    set them: the paper names the role only, never a login name)."""
    work_ability_contact: StaffContact | None
    unnamed: tuple[str, ...]
    """The client's coordinators (login names) who have not set their name for clients: the
    staff are told so on the screen, above the paper."""


def printable_plan(ctx: Context, jobseeker_id: int, *, via: str = "web") -> PrintablePlan:
    """The client plan to print and hand to the client; the read audited as ``print_plan``."""
    row = reachable_person(ctx, jobseeker_id)
    identity = repository.get_identity(ctx.session, jobseeker_id=jobseeker_id)
    plan = _plan(ctx, row)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="print_plan",
           object_type="jobseeker", object_id=jobseeker_id,
           details={"steps": len(plan.steps), "via": via})  # fmt: skip
    ctx.session.commit()
    name = identity.name if identity is not None and identity.name else row.code
    named = [n for n in (plan.coordinator, plan.work_ability_coordinator) if n]
    contacts = users.staff_contacts(ctx.session, named)
    return PrintablePlan(
        name=name, on=today_in_finland(ctx.now), plan=plan,
        company_contact=contacts.get(plan.coordinator or ""),
        work_ability_contact=contacts.get(plan.work_ability_coordinator or ""),
        unnamed=tuple(n for n in named if n not in contacts),
    )  # fmt: skip


def _who_problems(body: PlanStepCreate) -> list[FieldError]:
    if body.who is PlanWho.OTHER and not body.who_else:
        return [FieldError("who_else", "name who does it, when it is someone else",
                           kind="missing")]  # fmt: skip
    if body.who is not PlanWho.OTHER and body.who_else:
        return [FieldError("who_else", "is only for a step someone else does (who: other)",
                           kind="only_for_other")]  # fmt: skip
    return []


def add_plan_step(
    ctx: Context, jobseeker_id: int, body: PlanStepCreate, *, via: str = "api"
) -> PlanStepPublic:
    """Agree a step of the client plan, dated when it was agreed (today in Finland when not
    said): not in the future, not before the client's first service episode began. It is due
    today or later, within about a year; someone else doing it is named in ``who_else``."""
    reachable_person(ctx, jobseeker_id)
    on = body.agreed_on or today_in_finland(ctx.now)
    episodes = repository.episodes_of(ctx.session, jobseeker_id=jobseeker_id)
    first = min((e.started_on for _, e in episodes), default=None)
    problems = happened_problems("agreed_on", on, ctx.now, not_before=first,
                                 what=FIRST_EPISODE_START)  # fmt: skip
    problems += due_problems("due_on", body.due_on, ctx.now, within_days=STEP_DUE_WITHIN)
    problems += _who_problems(body)
    if problems:
        raise InvalidInputError(problems)
    step = PlanStep(what=body.what, who=body.who, who_else=body.who_else, due_on=body.due_on,
                    agreed_on=on)  # fmt: skip
    row = stored.add_step(ctx.session, jobseeker_id=jobseeker_id, step=step, by=ctx.actor.name)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="plan_step_added",
           object_type="jobseeker", object_id=jobseeker_id,
           details={"step_id": row.id, "who": step.who.value, "agreed_on": on.isoformat(),
                    "due_on": step.due_on.isoformat(), "via": via})  # fmt: skip
    result = public(row, ctx)
    ctx.session.commit()
    return result


def close_plan_step(
    ctx: Context, jobseeker_id: int, step_id: int, body: PlanStepClose, *, via: str = "api"
) -> PlanStepPublic:
    """Record the person's open plan step done (on the day it was done) or dropped (with the
    reason), on ``body.on`` (today in Finland when not said): not in the future, not before
    the step was agreed. Once: 409 when it has ended already; 404 when the person has no such
    step."""
    reachable_person(ctx, jobseeker_id)
    row = stored.step_of(ctx.session, jobseeker_id=jobseeker_id, step_id=step_id)
    if row is None:
        raise NotFoundError(f"the person has no plan step with id {step_id}")
    if row.outcome is not None:
        raise ConflictError(f"plan step {step_id} was {row.outcome} already, by {row.closed_by}")
    on = body.on or today_in_finland(ctx.now)
    problems = happened_problems("on", on, ctx.now, not_before=row.agreed_on,
                                 what=PLAN_STEP_AGREED)  # fmt: skip
    outcome = PlanStepOutcome(body.outcome)
    if outcome is PlanStepOutcome.DROPPED and len(body.reason) < REASON_SHORTEST:
        problems.append(FieldError("reason", "say why the step is dropped (3 characters at "
                                   "least)", kind="missing"))  # fmt: skip
    if outcome is PlanStepOutcome.DONE and body.reason:
        problems.append(FieldError("reason", "a step done has no reason; only a dropped one",
                                   kind="only_for_dropped"))  # fmt: skip
    if problems:
        raise InvalidInputError(problems)
    reason = body.reason if outcome is PlanStepOutcome.DROPPED else None
    if not stored.close(ctx.session, row, outcome=outcome, on=on, reason=reason,
                        by=ctx.actor.name, at=ctx.now):  # fmt: skip
        ctx.session.rollback()
        raise ConflictError(f"plan step {step_id} has ended already")
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="plan_step_closed",
           object_type="jobseeker", object_id=jobseeker_id,
           details={"step_id": row.id, "outcome": outcome.value, "on": on.isoformat(),
                    "via": via})  # fmt: skip
    result = public(row, ctx)
    ctx.session.commit()
    return result
