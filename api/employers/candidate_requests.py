"""A Rekrypiste worker's candidate request: "would your client want this?", asked of the
candidate's company coordinator, answered yes, no (with the reason) or "needs to discuss",
and shown on both sides with its age. The asker knows the candidate by code only until the
coordinator says yes; then the name. Audited; free text stays out of the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Select, select

from api.auth.policy import (
    PersonView,
    person_by_code,
    person_view,
    row_about_reachable_person,
    shown_to_employers,
)
from api.core.context import Context
from api.core.security import Permission, Role, allowed
from api.employers.schemas import (
    CandidateRequestAnswer,
    CandidateRequestCreate,
    CandidateRequestPublic,
)
from api.proposals.service import put_forward, suggestion_in_reach
from api.storage.audit import record
from api.storage.tables import CandidateRequestRow, IdentityRow, JobseekerRow, TaskRow
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.schemas.dates import today_in_finland
from features.schemas.errors import FieldError

__all__ = [
    "REFUSALS",
    "answer",
    "ask",
    "ask_many",
    "people_of",
    "request_states",
    "requests_in_view",
]


def ask(ctx: Context, body: CandidateRequestCreate) -> int:
    """Ask about one candidate the actor may be shown (:func:`ask_many` with one): an unknown
    or unshareable code is 404, the same open question twice is 409."""
    try:
        (created,) = ask_many(ctx, [body])
    except InvalidInputError as err:
        kinds = {e.kind for e in err.errors}
        if "not_shown" in kinds:
            raise NotFoundError(f"no jobseeker with code {body.jobseeker_code!r}") from None
        if "already_asked" in kinds:
            message = f"{body.jobseeker_code} is already asked about these tasks"
            raise ConflictError(message) from None
        raise InvalidInputError([FieldError(
            "suggestion_id", "the suggestion did not put forward this person and these tasks"
        )]) from None  # fmt: skip
    return created


REFUSALS = {
    "not_shown": "no longer a candidate that may be shown to employers (or no such code)",
    "not_put_forward": "the list named did not put forward this person and these tasks",
    "already_asked": "already asked about these tasks and waiting for the answer",
    "asked_twice": "named twice",
}
"""Why one request of a batch was refused (the field error's ``kind``) — the batch is then
refused as a whole, every refused request named."""


def ask_many(ctx: Context, bodies: list[CandidateRequestCreate]) -> list[int]:
    """Ask about several candidates in one go: one request each, in one transaction, each
    audited — or nothing at all. Refused as a whole (422) when nothing is asked, or naming
    every request that cannot be made: its person is no longer shown to employers (consent
    withdrawn, or no such code), the list it names did not put them forward, they are asked
    about the same tasks already and the answer is awaited, or they are named twice."""
    if not bodies:
        raise InvalidInputError([FieldError("requests", "choose at least one candidate",
                                            kind="none_chosen")])  # fmt: skip
    every_task = sorted({t for b in bodies for t in b.task_ids})
    found = set(ctx.session.scalars(select(TaskRow.id).where(TaskRow.id.in_(every_task))))
    missing = [t for t in every_task if t not in found]
    if missing:
        raise NotFoundError(f"no task with id {', '.join(map(str, missing))}")
    lists = {i: suggestion_in_reach(ctx, i) for i in {b.suggestion_id for b in bodies} if i}
    refused: list[FieldError] = []
    people: dict[int, JobseekerRow] = {}
    seen: set[tuple[str, tuple[int, ...]]] = set()
    for i, body in enumerate(bodies):
        key = (body.jobseeker_code, tuple(sorted(body.task_ids)))
        kind = "asked_twice" if key in seen else None
        seen.add(key)
        if kind is None:
            try:
                people[i] = person_by_code(ctx, body.jobseeker_code)
            except NotFoundError:
                kind = "not_shown"
        if kind is None and body.suggestion_id is not None:  # a list that showed them
            person = people[i]
            if not set(body.task_ids) <= put_forward(lists[body.suggestion_id], person.id,
                                                     person.code):  # fmt: skip
                kind = "not_put_forward"
        if kind is not None:
            refused.append(_refusal(i, body, kind))
    waiting = ctx.session.execute(
        select(CandidateRequestRow.jobseeker_id, CandidateRequestRow.task_ids).where(
            CandidateRequestRow.jobseeker_id.in_({p.id for p in people.values()}),
            CandidateRequestRow.answer.is_(None),
        )
    ).all()
    open_questions = {(int(j), tuple(sorted(t))) for j, t in waiting}
    for i, person in people.items():
        if (person.id, tuple(sorted(bodies[i].task_ids))) in open_questions:
            refused.append(_refusal(i, bodies[i], "already_asked"))
    if refused:
        ctx.session.rollback()
        raise InvalidInputError(sorted(refused, key=lambda e: e.field))
    rows = [
        CandidateRequestRow(
            jobseeker_id=people[i].id,
            task_ids=sorted(body.task_ids),
            suggestion_id=body.suggestion_id,
            requested_by=ctx.actor.name,
            requested_at=ctx.now,
            note=body.note,
        )
        for i, body in enumerate(bodies)
    ]
    ctx.session.add_all(rows)
    ctx.session.flush()
    for row in rows:
        record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="request_candidate",
               object_type="candidate_request", object_id=row.id,
               details={"jobseeker_id": row.jobseeker_id, "task_ids": row.task_ids})  # fmt: skip
    ctx.session.commit()
    return [row.id for row in rows]


def _refusal(i: int, body: CandidateRequestCreate, kind: str) -> FieldError:
    return FieldError(f"requests[{i}].jobseeker_code", f"{body.jobseeker_code}: {REFUSALS[kind]}",
                      kind=kind, context={"code": body.jobseeker_code})  # fmt: skip


def answer(ctx: Context, request_id: int, body: CandidateRequestAnswer) -> CandidateRequestPublic:
    """The candidate's company coordinator (of their area) answers, once."""
    row = row_about_reachable_person(ctx, CandidateRequestRow, request_id, "candidate request")
    if row.answer is not None:
        raise ConflictError(f"candidate request {request_id} was answered by {row.answered_by}")
    row.answer, row.answer_note = body.answer, body.note
    row.answered_by, row.answered_at = ctx.actor.name, ctx.now
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role,
           action="answer_candidate_request", object_type="candidate_request",
           object_id=request_id, details={"answer": body.answer})  # fmt: skip
    ctx.session.flush()
    (result,) = _publish(ctx, [row])
    ctx.session.commit()
    return result


def person_of(ctx: Context, request_id: int) -> int:
    """The person a candidate request in the actor's full reach is about (another area's: not
    found) — the way back after answering, from the record, not from a form field."""
    return row_about_reachable_person(
        ctx, CandidateRequestRow, request_id, "candidate request"
    ).jobseeker_id


def _query(ctx: Context) -> Select[CandidateRequestRow]:
    """The requests in the actor's view: their own (Rekrypiste), or their area's people's."""
    query = select(CandidateRequestRow)
    if ctx.actor.role is Role.REKRYPISTE:
        return query.where(CandidateRequestRow.requested_by == ctx.actor.name)
    return query.join(JobseekerRow, JobseekerRow.id == CandidateRequestRow.jobseeker_id).where(
        JobseekerRow.area == ctx.actor.area
    )


def requests_in_view(
    ctx: Context, *, jobseeker_id: int | None = None, waiting: bool = False
) -> list[CandidateRequestPublic]:
    """The asker's own requests (Rekrypiste), or those about the coordinator's area — of one
    person, or only the unanswered — newest first; audited."""
    query = _query(ctx)
    if jobseeker_id is not None:
        query = query.where(CandidateRequestRow.jobseeker_id == jobseeker_id)
    if waiting:
        query = query.where(CandidateRequestRow.answer.is_(None))
    ordered = query.order_by(CandidateRequestRow.requested_at.desc(), CandidateRequestRow.id.desc())
    rows: list[CandidateRequestRow] = list(ctx.session.scalars(ordered).all())
    result = _publish(ctx, rows)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_candidate_requests",
           object_type="candidate_request", details={"ids": [r.id for r in rows]})  # fmt: skip
    ctx.session.commit()
    return result


def request_states(
    ctx: Context, shown: Mapping[str, Iterable[int]]
) -> dict[str, CandidateRequestPublic]:
    """For a list the Rekrypiste worker is looking at (code → the tasks it shows them for),
    their own latest request about each person covering those tasks: waiting, or the answer
    — with only what an answer reveals to them (a yes: the name; a no: the reason; neither
    once the person no longer shares with employers). One read for the whole list; audited
    when it shows any. Other roles ask no one from a list: nothing."""
    if not allowed(ctx.actor.role, Permission.REQUEST_CANDIDATES) or not shown:
        return {}
    ids = dict(ctx.session.execute(
        select(JobseekerRow.id, JobseekerRow.code).where(JobseekerRow.code.in_(list(shown)))
    ).all())  # fmt: skip
    rows = ctx.session.scalars(
        _query(ctx)
        .where(CandidateRequestRow.jobseeker_id.in_(list(ids)))
        .order_by(CandidateRequestRow.requested_at.desc(), CandidateRequestRow.id.desc())
    ).all()
    latest: dict[str, CandidateRequestRow] = {}
    for row in rows:  # newest first: the first that covers the list's tasks is the state
        code = ids[row.jobseeker_id]
        if code not in latest and set(shown[code]) <= set(row.task_ids):
            latest[code] = row
    if not latest:
        return {}
    chosen = list(latest.values())
    result = {r.jobseeker_code: r for r in _publish(ctx, chosen)}
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="read_candidate_requests",
           object_type="candidate_request", details={"ids": [r.id for r in chosen]})  # fmt: skip
    ctx.session.commit()
    return result


def _publish(ctx: Context, rows: list[CandidateRequestRow]) -> list[CandidateRequestPublic]:
    ids = {r.jobseeker_id for r in rows}
    codes = dict(ctx.session.execute(
        select(JobseekerRow.id, JobseekerRow.code).where(JobseekerRow.id.in_(ids))
    ).all())  # fmt: skip
    names = dict(ctx.session.execute(
        select(IdentityRow.jobseeker_id, IdentityRow.name).where(IdentityRow.jobseeker_id.in_(ids))
    ).all())  # fmt: skip
    full = person_view(ctx.actor.role) is PersonView.FULL
    # A withdrawal (of consent, or of sharing with employers) hides again what an answer had
    # revealed to the asker: the name after a yes, the coordinator's reason.
    shared = set() if full else shown_to_employers(ctx, ids)
    out = []
    for r in rows:
        end = r.answered_at or ctx.now
        shows = full or r.jobseeker_id in shared
        out.append(CandidateRequestPublic(
            id=r.id, jobseeker_code=codes.get(r.jobseeker_id, ""),
            # No identity crosses to the asker until the coordinator says yes.
            name=names.get(r.jobseeker_id) if full or (shows and r.answer == "yes") else None,
            task_ids=r.task_ids, requested_by=r.requested_by, requested_at=r.requested_at,
            note=r.note, answer=r.answer, answer_note=r.answer_note if shows else "",
            answered_by=r.answered_by,
            answered_at=r.answered_at,
            age_days=(today_in_finland(end) - today_in_finland(r.requested_at)).days,
        ))  # fmt: skip
    return out


def people_of(ctx: Context, rows: list[CandidateRequestPublic]) -> dict[int, int]:
    """Request id → the person's id, for the coordinators who may open the person's page
    (employer-facing staff get nothing: they know the candidate by code)."""
    if person_view(ctx.actor.role) is not PersonView.FULL or not rows:
        return {}
    found = ctx.session.execute(
        select(CandidateRequestRow.id, CandidateRequestRow.jobseeker_id).where(
            CandidateRequestRow.id.in_([r.id for r in rows])
        )
    ).all()
    return {int(i): int(p) for i, p in found}
