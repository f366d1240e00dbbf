"""A Rekrypiste worker's candidate request: "would your client want this?", asked of the
candidate's company coordinator, answered yes, no (with the reason) or "needs to discuss",
and shown on both sides with its age. The asker knows the candidate by code only until the
coordinator says yes; then the name. Audited; free text stays out of the audit trail."""

from __future__ import annotations

from sqlalchemy import Select, select

from api.auth.policy import (
    PersonView,
    person_by_code,
    person_view,
    row_about_reachable_person,
    shown_to_employers,
)
from api.core.context import Context
from api.core.security import Role
from api.employers.schemas import (
    CandidateRequestAnswer,
    CandidateRequestCreate,
    CandidateRequestPublic,
)
from api.proposals.service import put_forward, suggestion_in_reach
from api.storage.audit import record
from api.storage.tables import CandidateRequestRow, IdentityRow, JobseekerRow, TaskRow
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.schemas.errors import FieldError

__all__ = ["answer", "ask", "people_of", "requests_in_view"]


def ask(ctx: Context, body: CandidateRequestCreate) -> int:
    """Ask about a candidate the actor may be shown; the same open question twice is 409."""
    person = person_by_code(ctx, body.jobseeker_code)
    missing = [t for t in body.task_ids if ctx.session.get(TaskRow, t) is None]
    if missing:
        raise NotFoundError(f"no task with id {', '.join(map(str, missing))}")
    if body.suggestion_id is not None:  # the list it came from must be one that showed them
        shown = put_forward(suggestion_in_reach(ctx, body.suggestion_id), person.id, person.code)
        if not set(body.task_ids) <= shown:
            raise InvalidInputError([FieldError(
                "suggestion_id", "the suggestion did not put forward this person and these tasks"
            )])  # fmt: skip
    waiting = ctx.session.scalars(
        select(CandidateRequestRow).where(
            CandidateRequestRow.jobseeker_id == person.id,
            CandidateRequestRow.answer.is_(None),
        )
    ).all()
    if any(sorted(r.task_ids) == sorted(body.task_ids) for r in waiting):
        raise ConflictError(f"{body.jobseeker_code} is already asked about these tasks")
    row = CandidateRequestRow(jobseeker_id=person.id, task_ids=sorted(body.task_ids),
                              suggestion_id=body.suggestion_id, requested_by=ctx.actor.name,
                              requested_at=ctx.now, note=body.note)  # fmt: skip
    ctx.session.add(row)
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="request_candidate",
           object_type="candidate_request", object_id=row.id,
           details={"jobseeker_id": person.id, "task_ids": row.task_ids})  # fmt: skip
    ctx.session.commit()
    return row.id


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
            answered_at=r.answered_at, age_days=(end - r.requested_at).days,
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
