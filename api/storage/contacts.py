"""A client's contacts: storing one, reading a person's, and the open agreed step — the one
rule of which step is open, for one person or a whole caseload (``features.schemas.contact``:
the step of the newest contact that agreed one, unless a later contact found it done)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ScalarSelect, and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from api.storage.tables import ContactRow
from features import tables as tables_form
from features.schemas.contact import Contact

__all__ = ["OpenStep", "add_contact", "contacts_of", "open_steps"]


@dataclass(frozen=True, slots=True)
class OpenStep:
    """A person's open agreed step, and the contact that agreed it."""

    contact_id: int
    jobseeker_id: int
    agreed_on: date
    what: str
    due_on: date


def contacts_of(session: Session, *, jobseeker_id: int) -> list[ContactRow]:
    """The person's contacts, newest first (by the day they happened, then as recorded)."""
    return list(
        session.scalars(
            select(ContactRow)
            .where(ContactRow.jobseeker_id == jobseeker_id)
            .order_by(ContactRow.happened_on.desc(), ContactRow.id.desc())
        )
    )


def open_steps(session: Session, people: Sequence[int] | ScalarSelect[int]) -> dict[int, OpenStep]:
    """Each person's open agreed step, for ``people`` (a list of ids or a subquery of them)."""
    newer, closing = aliased(ContactRow), aliased(ContactRow)
    superseded = exists().where(
        newer.jobseeker_id == ContactRow.jobseeker_id,
        newer.next_step.is_not(None),
        or_(
            newer.happened_on > ContactRow.happened_on,
            and_(newer.happened_on == ContactRow.happened_on, newer.id > ContactRow.id),
        ),
    )
    done = exists().where(closing.closes_step_of == ContactRow.id)
    rows = session.execute(
        select(ContactRow.id, ContactRow.jobseeker_id, ContactRow.happened_on,
               ContactRow.next_step, ContactRow.next_step_due)
        .where(ContactRow.jobseeker_id.in_(people), ContactRow.next_step.is_not(None),
               ContactRow.next_step_due.is_not(None), ~superseded, ~done)
    ).all()  # fmt: skip
    # The query asked for a step and its due date: both are there.
    return {
        int(person): OpenStep(int(cid), int(person), on, str(what), due)
        for cid, person, on, what, due in rows
        if due is not None
    }


def add_contact(
    session: Session, *, jobseeker_id: int, contact: Contact, closes: int | None, by: str
) -> ContactRow:
    """Store a contact (``closes``: the contact whose agreed step it found done)."""
    row = ContactRow(jobseeker_id=jobseeker_id, closes_step_of=closes, recorded_by=by,
                     **tables_form.contact_columns(contact))  # fmt: skip
    session.add(row)
    session.flush()
    return row
