"""A client's referrals onwards — a health check for the unemployed, an occupational
physician (a B statement), a psychologist, social services, health or mental health
services, rehabilitation, other — each dated when it was made, with the day its answer is
awaited by and, where a statement about work ability is to come, the characteristics it will
assess; later answered or cancelled, once.

Both coordinators of the person's area make, close and read them; every write and read is
audited with ids, kinds, dates and how many characteristics a statement will assess, never
the note (free text the audit trail, which cannot
be rewritten, must never hold).
"""

from __future__ import annotations

from api.auth.policy import reachable_person
from api.core.context import Context
from api.people.schemas import ReferralClose, ReferralCreate, ReferralPublic
from api.storage import referrals as stored
from api.storage import repository
from api.storage.audit import record
from api.storage.tables import ReferralRow
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.schemas.dates import (
    FIRST_EPISODE_START,
    REFERRAL_MADE,
    due_problems,
    happened_problems,
    is_overdue,
    today_in_finland,
)
from features.schemas.referral import ANSWER_DUE_WITHIN, Referral, ReferralKind, ReferralOutcome

__all__ = ["close_referral", "make_referral", "referrals_of_person"]


def public(row: ReferralRow, ctx: Context) -> ReferralPublic:
    """A stored referral as the API and the pages show it (overdue by Finland's today)."""
    state = row.outcome or "open"
    overdue = (
        state == "open"
        and row.due_on is not None
        and is_overdue(row.due_on, today_in_finland(ctx.now))
    )
    return ReferralPublic(
        id=row.id, on=row.made_on, kind=ReferralKind(row.kind), note=row.note, due_on=row.due_on,
        assesses=list(row.assesses or []), made_by=row.made_by, made_at=row.made_at,
        state=state, overdue=overdue, closed_on=row.closed_on, closed_by=row.closed_by,
        closed_at=row.closed_at,
    )  # fmt: skip


def referrals_of_person(
    ctx: Context, jobseeker_id: int, *, audited: bool = True
) -> list[ReferralPublic]:
    """The person's referrals, newest first; the read audited, unless it is part of a read
    audited as a whole (``audited=False``: the person page, the editor, the export)."""
    reachable_person(ctx, jobseeker_id)
    data = [public(r, ctx) for r in stored.referrals_of(ctx.session, jobseeker_id=jobseeker_id)]
    if audited:
        record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_referrals",
               object_type="jobseeker", object_id=jobseeker_id)  # fmt: skip
        ctx.session.commit()
    return data


def make_referral(
    ctx: Context, jobseeker_id: int, body: ReferralCreate, *, via: str = "api"
) -> ReferralPublic:
    """Refer the client onwards, dated when the referral was made (today in Finland when not
    said): not in the future, not before the client's first service episode began. The day its
    answer is awaited by, if given, is today or later, within about a year."""
    reachable_person(ctx, jobseeker_id)
    on = body.on or today_in_finland(ctx.now)
    episodes = repository.episodes_of(ctx.session, jobseeker_id=jobseeker_id)
    first = min((e.started_on for _, e in episodes), default=None)
    problems = happened_problems("on", on, ctx.now, not_before=first, what=FIRST_EPISODE_START)
    if body.due_on is not None:
        problems += due_problems("due_on", body.due_on, ctx.now, within_days=ANSWER_DUE_WITHIN)
    if problems:
        raise InvalidInputError(problems)
    referral = Referral(on=on, kind=body.kind, note=body.note, due_on=body.due_on,
                        assesses=body.assesses)  # fmt: skip
    row = stored.add_referral(ctx.session, jobseeker_id=jobseeker_id, referral=referral,
                              by=ctx.actor.name)  # fmt: skip
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="make_referral",
           object_type="jobseeker", object_id=jobseeker_id,
           details={"referral_id": row.id, "kind": referral.kind.value,
                    "on": on.isoformat(), "due_on": referral.due_on and referral.due_on.isoformat(),
                    "assesses": len(referral.assesses), "via": via})  # fmt: skip
    result = public(row, ctx)
    ctx.session.commit()
    return result


def close_referral(
    ctx: Context, jobseeker_id: int, referral_id: int, body: ReferralClose, *, via: str = "api"
) -> ReferralPublic:
    """Record the person's open referral answered (the statement received, the visit done) or
    cancelled, on ``body.on`` (today in Finland when not said): not in the future, not before
    the referral was made. Once: 409 when it is closed already; 404 when the person has no
    such referral."""
    reachable_person(ctx, jobseeker_id)
    row = stored.referral_of(ctx.session, jobseeker_id=jobseeker_id, referral_id=referral_id)
    if row is None:
        raise NotFoundError(f"the person has no referral with id {referral_id}")
    if row.outcome is not None:
        raise ConflictError(f"referral {referral_id} was {row.outcome} already, by {row.closed_by}")
    on = body.on or today_in_finland(ctx.now)
    problems = happened_problems("on", on, ctx.now, not_before=row.made_on, what=REFERRAL_MADE)
    if problems:
        raise InvalidInputError(problems)
    outcome = ReferralOutcome(body.outcome)
    if not stored.close(ctx.session, row, outcome=outcome, on=on, by=ctx.actor.name, at=ctx.now):
        ctx.session.rollback()
        raise ConflictError(f"referral {referral_id} was closed already")
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="close_referral",
           object_type="jobseeker", object_id=jobseeker_id,
           details={"referral_id": row.id, "kind": row.kind, "outcome": outcome.value,
                    "on": on.isoformat(), "via": via})  # fmt: skip
    result = public(row, ctx)
    ctx.session.commit()
    return result
