"""Need to know, function by function, against a table written here from the README's words:
every role, with no area, its own area and another's (an area on a role that has none is a
forged or mistaken account, and must not widen anything), against every person of a world
with two areas. Fast (one SQLite copy per test), so the mutation run uses it."""

from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from api.auth import policy
from api.core.context import Context
from api.core.runtime import IndexHolder, User
from api.core.security import Role
from api.storage.audit import record
from api.storage.bulk import load_tables
from api.storage.tables import AuditRow, HandoffRow, JobseekerRow
from features.errors import NotFoundError
from matching.rules import default_ruleset
from tests.conftest import API_WORLD

COORDINATORS = (Role.WORK_ABILITY_COORDINATOR, Role.COMPANY_COORDINATOR)


def in_full_reach(role: Role, area: str | None, person_area: str) -> bool:
    """The person's own coordinators, nobody else (an admin reaches a person only to erase)."""
    return role in COORDINATORS and area is not None and area == person_area


def may_be_shown_as_candidate(role: Role, area: str | None, person: JobseekerRow,
                              shareable: bool) -> bool:  # fmt: skip
    if role in COORDINATORS:
        return in_full_reach(role, area, person.area)
    return role is Role.REKRYPISTE and shareable


@pytest.fixture
def world(sqlite_engine):
    """The API's tiny world with half its people moved to a second area."""
    load_tables(sqlite_engine, API_WORLD.tables)
    with Session(sqlite_engine) as s:
        ids = s.scalars(sa.select(JobseekerRow.id).order_by(JobseekerRow.id)).all()
        s.execute(sa.update(JobseekerRow).where(JobseekerRow.id.in_(ids[::2]))
                  .values(area="Toinen"))  # fmt: skip
        s.commit()
        areas = sorted(set(s.scalars(sa.select(JobseekerRow.area))))
    assert len(areas) >= 2
    holder = IndexHolder(sqlite_engine, default_ruleset())
    return sqlite_engine, holder, areas


def actors(areas: list[str]) -> list[User]:
    return [User(1, "someone", role, area) for role in Role for area in (None, *areas)]


def last_audit(session: Session) -> int:
    """The newest audit row's id (0 when there is none): where a step's own rows begin."""
    return session.scalar(sa.select(sa.func.max(AuditRow.id))) or 0


def refusals(session: Session, after: int) -> list[tuple[str, str, str]]:
    """Every refusal audited after row ``after``: who, about what, which. (Reading only the new
    rows keeps the table-wide tests linear in the table's size.)"""
    rows = session.execute(sa.select(AuditRow.actor, AuditRow.object_type, AuditRow.object_id)
                           .where(AuditRow.action == "refused", AuditRow.id > after)
                           .order_by(AuditRow.id))  # fmt: skip
    return [(r.actor, r.object_type, str(r.object_id)) for r in rows]


def test_reach_notes_and_codes_are_exactly_the_table(world):
    engine, holder, areas = world
    with Session(engine) as session:
        people = session.scalars(sa.select(JobseekerRow).order_by(JobseekerRow.id)).all()
        index = holder.get(session)
        shareable = {int(i): bool(index.people.shareable[r] and index.people.matchable[r])
                     for i, r in index.people.row_of.items()}  # fmt: skip
        assert any(shareable.values()) and not all(shareable.values())
        for actor in actors(areas):
            ctx = Context(session=session, actor=actor, index=holder)
            for person in people:
                full = in_full_reach(actor.role, actor.area, person.area)
                reaches = full or actor.role is Role.ADMIN
                refused = [(actor.name, "jobseeker", str(person.id))]
                before = last_audit(session)
                if reaches:
                    assert policy.reachable_person(ctx, person.id).id == person.id
                else:
                    with pytest.raises(NotFoundError, match=f"^no jobseeker with id {person.id}$"):
                        policy.reachable_person(ctx, person.id)
                assert refusals(session, before) == refused * (not reaches), (actor, person.area)

                assert policy.sees_private_notes(ctx, person.id) is full, (actor, person.area)

                by_code = full or (actor.role is Role.REKRYPISTE and shareable[person.id])
                before = last_audit(session)
                if by_code:
                    assert policy.person_by_code(ctx, person.code).id == person.id
                else:
                    with pytest.raises(
                        NotFoundError, match=f"^no jobseeker with code '{person.code}'$"
                    ):
                        policy.person_by_code(ctx, person.code)
                assert refusals(session, before) == refused * (not by_code)
            assert policy.sees_private_notes(ctx, None) is False
            unknown = max(p.id for p in people) + 1
            before = last_audit(session)
            with pytest.raises(NotFoundError, match=f"^no jobseeker with id {unknown}$"):
                policy.reachable_person(ctx, unknown)
            with pytest.raises(NotFoundError, match=r"^no jobseeker with code 'JS-NOBODY'$"):
                policy.person_by_code(ctx, "JS-NOBODY")
            assert policy.sees_private_notes(ctx, unknown) is False
            assert refusals(session, before) == []  # nothing there: nothing refused


def test_candidates_and_employer_sharing_are_exactly_the_table(world):
    engine, holder, areas = world
    with Session(engine) as session:
        index = holder.get(session)
        people = index.people
        rows = {p.id: p for p in session.scalars(sa.select(JobseekerRow))}
        ids = [int(i) for i in people.ids]
        expected_shown = {i for i in ids if people.shareable[people.row_of[i]]
                          and people.matchable[people.row_of[i]]}  # fmt: skip
        for actor in actors(areas):
            ctx = Context(session=session, actor=actor, index=holder)
            eligible = policy.eligible_people(ctx, people)
            assert eligible.dtype == bool and eligible.shape == (len(people),)
            expected = np.array([
                may_be_shown_as_candidate(actor.role, actor.area, rows[i],
                                          bool(people.shareable[people.row_of[i]]))
                for i in ids
            ])  # fmt: skip
            np.testing.assert_array_equal(eligible, expected, err_msg=str(actor))
            assert policy.shown_to_employers(ctx, [*ids, max(ids) + 1]) == expected_shown
        # eligible_people hands out a copy: changing it changes nothing stored
        rekry = Context(session=session, actor=User(1, "r", Role.REKRYPISTE, None), index=holder)
        policy.eligible_people(rekry, people)[:] = False
        assert policy.eligible_people(rekry, people).any()


def test_a_refusal_is_audited_even_when_the_caller_rolls_back(world):
    engine, holder, areas = world
    with Session(engine) as session:
        person_id = session.scalar(sa.select(JobseekerRow.id).where(JobseekerRow.area == areas[0]))
        outsider = User(7, "outsider", Role.COMPANY_COORDINATOR, areas[1])
        ctx = Context(session=session, actor=outsider, index=holder)
        record(session, actor="x", role=Role.ANALYST, action="pending", object_type="t",
               object_id=1)  # fmt: skip
        with pytest.raises(NotFoundError):
            policy.reachable_person(ctx, person_id)
        session.rollback()
    with Session(engine) as fresh:
        rows = fresh.execute(sa.select(AuditRow.actor, AuditRow.object_id)
                             .where(AuditRow.action == "refused")).all()  # fmt: skip
        assert [(r.actor, str(r.object_id)) for r in rows] == [("outsider", str(person_id))]
        pending = fresh.scalar(sa.select(sa.func.count()).select_from(AuditRow)
                               .where(AuditRow.action == "pending"))  # fmt: skip
        assert pending == 0  # what the caller had not committed was not committed with it


def test_a_row_about_a_person_is_reached_exactly_as_the_person(world):
    """A hand-off (any row about one person) is there for whoever reaches the person, and for
    anyone else is as absent as an id never given — the message names the row, not the person."""
    engine, holder, areas = world
    with Session(engine) as session:
        people = session.scalars(sa.select(JobseekerRow).order_by(JobseekerRow.id)).all()
        handoffs = {}
        for person in people[:4]:
            row = HandoffRow(jobseeker_id=person.id, from_user="x", from_role="company_coordinator",
                             to_role="work_ability_coordinator", note="")  # fmt: skip
            session.add(row)
            session.flush()
            handoffs[row.id] = person
        session.commit()
        unknown = max(handoffs) + 1
        for actor in actors(areas):
            ctx = Context(session=session, actor=actor, index=holder)
            for handoff_id, person in handoffs.items():
                reaches = in_full_reach(actor.role, actor.area, person.area) or (
                    actor.role is Role.ADMIN
                )
                if reaches:
                    got = policy.row_about_reachable_person(ctx, HandoffRow, handoff_id, "hand-off")
                    assert got.id == handoff_id and got.jobseeker_id == person.id
                else:
                    with pytest.raises(NotFoundError, match=f"^no hand-off with id {handoff_id}$"):
                        policy.row_about_reachable_person(ctx, HandoffRow, handoff_id, "hand-off")
            with pytest.raises(NotFoundError, match=f"^no hand-off with id {unknown}$"):
                policy.row_about_reachable_person(ctx, HandoffRow, unknown, "hand-off")
