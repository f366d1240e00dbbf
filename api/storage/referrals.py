"""A client's referrals: storing one, closing it once, reading a person's, and the open
ones of a whole caseload (for its step when an answer is due)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ScalarSelect, select
from sqlalchemy.orm import Session

from api.storage.engine import update_once
from api.storage.tables import ReferralRow
from features import tables as tables_form
from features.schemas.referral import Referral, ReferralOutcome

__all__ = [
    "add_referral",
    "awaited_answers",
    "close",
    "open_referrals",
    "referral_of",
    "referrals_of",
]


def referrals_of(session: Session, *, jobseeker_id: int) -> list[ReferralRow]:
    """The person's referrals, newest first (by the day they were made, then as recorded)."""
    return list(
        session.scalars(
            select(ReferralRow)
            .where(ReferralRow.jobseeker_id == jobseeker_id)
            .order_by(ReferralRow.made_on.desc(), ReferralRow.id.desc())
        )
    )


def referral_of(session: Session, *, jobseeker_id: int, referral_id: int) -> ReferralRow | None:
    """The person's referral ``referral_id`` (none when it is another person's)."""
    return session.scalar(
        select(ReferralRow).where(
            ReferralRow.id == referral_id, ReferralRow.jobseeker_id == jobseeker_id
        )
    )


def open_referrals(
    session: Session, people: Sequence[int] | ScalarSelect[int]
) -> list[ReferralRow]:
    """The open referrals of ``people`` (a list of ids or a subquery of them)."""
    return list(
        session.scalars(
            select(ReferralRow)
            .where(ReferralRow.jobseeker_id.in_(people), ReferralRow.outcome.is_(None))
            .order_by(ReferralRow.jobseeker_id, ReferralRow.made_on, ReferralRow.id)
        )
    )


def awaited_answers(
    session: Session, people: Sequence[int] | ScalarSelect[int]
) -> list[tuple[int, int, date, str]]:
    """(person, referral, due date, kind) of the open referrals of ``people`` whose answer is
    awaited by a day, the earliest first (the caseload shows those due:
    ``features.schemas.dates.is_due``; no note read)."""
    rows = session.execute(
        select(ReferralRow.jobseeker_id, ReferralRow.id, ReferralRow.due_on, ReferralRow.kind)
        .where(ReferralRow.jobseeker_id.in_(people), ReferralRow.outcome.is_(None),
               ReferralRow.due_on.is_not(None))
        .order_by(ReferralRow.due_on, ReferralRow.id)
    ).all()  # fmt: skip
    return [(int(p), int(r), due, str(kind)) for p, r, due, kind in rows if due is not None]


def add_referral(
    session: Session, *, jobseeker_id: int, referral: Referral, by: str
) -> ReferralRow:
    """Store a referral, open."""
    row = ReferralRow(jobseeker_id=jobseeker_id, made_by=by,
                      **tables_form.referral_columns(referral))  # fmt: skip
    session.add(row)
    session.flush()
    return row


def close(
    session: Session, row: ReferralRow, *, outcome: ReferralOutcome, on: date, by: str,
    at: datetime,
) -> bool:  # fmt: skip
    """Close an open referral: answered or cancelled on ``on``. False when it was closed
    already (the update asks for it open, so that of two coordinators closing it at once
    only one does)."""
    return update_once(session, row, ReferralRow.outcome.is_(None),
                       {"outcome": outcome.value, "closed_on": on, "closed_by": by,
                        "closed_at": at})  # fmt: skip
