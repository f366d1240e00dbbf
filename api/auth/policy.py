"""Need to know: what each role may see of a person, and which people each user reaches —
written once, applied by every application service.

===============  ========================================================================
role             what it sees of a person
===============  ========================================================================
coordinators     work-ability and company coordinators: the people of their own area, in full:
                 profile, capacities, physician's limits, identity, free-text notes (a
                 coordinator without an area: nobody). Only the work-ability coordinator
                 writes a physician's statement (`Permission.WRITE_PHYSICIAN_STATEMENTS`).
rekrypiste       candidates only, and only people whose consent covers sharing with
                 employers: the pseudonymous code, the fit in words, the adjustments and
                 supports to arrange — never capacities, limits, status, ids or distance
analyst          nobody (aggregates only)
project manager  nobody (the programme report's aggregates only)
admin            nobody's profile; may erase a person of any area
===============  ========================================================================

A person out of reach is answered exactly as one that does not exist (404), and the refused
attempt is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol, TypeVar

import numpy as np
from sqlalchemy import select

from api.core.context import Context
from api.core.security import Role
from api.storage.audit import record
from api.storage.tables import JobseekerRow
from features.errors import NotFoundError
from features.pipeline.matrices import PeopleMatrix

__all__ = [
    "PERSON_VIEW",
    "PersonView",
    "eligible_people",
    "person_by_code",
    "person_view",
    "reachable_person",
    "refuse",
    "row_about_reachable_person",
    "sees_private_notes",
    "shown_to_employers",
]


class PersonView(StrEnum):
    FULL = "full"
    """Profile, capacities, physician's limits, identity and free-text notes."""
    CANDIDATE = "candidate"
    """Code, fit in words, adjustments and supports to arrange."""
    NONE = "none"


PERSON_VIEW: dict[Role, PersonView] = {
    Role.WORK_ABILITY_COORDINATOR: PersonView.FULL,
    Role.COMPANY_COORDINATOR: PersonView.FULL,
    Role.REKRYPISTE: PersonView.CANDIDATE,
    Role.ANALYST: PersonView.NONE,
    Role.ADMIN: PersonView.NONE,
    Role.PROJECT_MANAGER: PersonView.NONE,
}
"""The one role × person-view table; tests walk it."""


def person_view(role: Role) -> PersonView:
    return PERSON_VIEW[role]


def refuse(ctx: Context, object_type: str, object_id: int | str, message: str) -> NotFoundError:
    """Audit a refused attempt on something out of the actor's reach (in a transaction of its
    own, so the 404 that follows does not roll it back) and return the 404 to raise."""
    session = ctx.session
    session.rollback()
    record(session, actor=ctx.actor.name, role=ctx.actor.role, action="refused",
           object_type=object_type, object_id=object_id)  # fmt: skip
    session.commit()
    return NotFoundError(message)


def _in_reach(ctx: Context, row: JobseekerRow) -> bool:
    actor = ctx.actor
    if actor.role is Role.ADMIN:
        return True  # erasure (the permission table says what else: nothing about people)
    if person_view(actor.role) is PersonView.FULL:
        return actor.area is not None and row.area == actor.area
    return False


def reachable_person(ctx: Context, jobseeker_id: int) -> JobseekerRow:
    """The person, if the actor may reach them in full; otherwise 404 (as if no such id)."""
    message = f"no jobseeker with id {jobseeker_id}"
    row = ctx.session.get(JobseekerRow, jobseeker_id)
    if row is None:
        raise NotFoundError(message)
    if not _in_reach(ctx, row):
        raise refuse(ctx, "jobseeker", jobseeker_id, message)
    return row


class AboutAPerson(Protocol):
    jobseeker_id: int


Row = TypeVar("Row", bound=AboutAPerson)


def row_about_reachable_person(ctx: Context, table: type[Row], row_id: int, what: str) -> Row:
    """A stored row about one person (a hand-off, a candidate request), if the person is in
    the actor's full reach; otherwise 404, as if no such row existed."""
    message = f"no {what} with id {row_id}"
    row = ctx.session.get(table, row_id)
    if row is None:
        raise NotFoundError(message)
    try:
        reachable_person(ctx, row.jobseeker_id)
    except NotFoundError:
        raise NotFoundError(message) from None
    return row


def person_by_code(ctx: Context, code: str) -> JobseekerRow:
    """A person named by code: in full reach, or — for employer-facing staff — a candidate
    they could have been shown (matchable, consent to sharing with employers). Unknown and
    unreachable codes get the same 404, so codes cannot be probed."""
    message = f"no jobseeker with code {code!r}"
    row = ctx.session.scalar(select(JobseekerRow).where(JobseekerRow.code == code))
    if row is None:
        raise NotFoundError(message)
    if _in_reach(ctx, row) and ctx.actor.role is not Role.ADMIN:
        return row
    if person_view(ctx.actor.role) is PersonView.CANDIDATE and shown_to_employers(ctx, [row.id]):
        return row
    raise refuse(ctx, "jobseeker", row.id, message)


def shown_to_employers(ctx: Context, jobseeker_ids: Iterable[int]) -> set[int]:
    """Of ``jobseeker_ids``, the people employer-facing staff may know about today: matchable,
    with consent to sharing with employers, not withdrawn. Read at every use, so that a
    withdrawal hides at once what an earlier answer revealed (a name after a yes, a reason)."""
    index = ctx.index.get(ctx.session)
    people = index.people
    return {
        int(i)
        for i in jobseeker_ids
        if (r := people.row_of.get(int(i))) is not None
        and people.matchable[r]
        and people.shareable[r]
    }


def eligible_people(ctx: Context, people: PeopleMatrix) -> np.ndarray:
    """bool (n_people,): whom the actor may be shown as a candidate."""
    actor = ctx.actor
    view = person_view(actor.role)
    if view is PersonView.FULL:
        return people.area == actor.area if actor.area is not None else np.zeros(len(people), bool)
    if view is PersonView.CANDIDATE:
        return people.shareable.copy()
    return np.zeros(len(people), dtype=bool)


def sees_private_notes(ctx: Context, jobseeker_id: int | None) -> bool:
    """Free text that may hold health information (outcome notes, decline reasons, override
    reasons) is for the person's own coordinators only."""
    if jobseeker_id is None or person_view(ctx.actor.role) is not PersonView.FULL:
        return False
    row = ctx.session.get(JobseekerRow, jobseeker_id)
    return row is not None and ctx.actor.area is not None and row.area == ctx.actor.area
