"""Undoing a step recorded by mistake — the latest step of a proposal, or the latest event of a
person's service episode — with the reason. Nothing is lost: the step is kept whole among the
undone steps (``UndoneStepRow``, in the person's export, erased with them), out of the history
that matching, the caseload, evaluation and reporting read. The person's status follows what is
left: undoing a mistaken hire makes them active again.

One story: an episode outcome that came from a proposal's step is undone with that step, at the
proposal, and only while it is the episode's latest event.
"""

from __future__ import annotations

from api.auth.policy import reachable_person
from api.core.context import Context
from api.core.runtime import ForbiddenError
from api.core.security import records_outcome
from api.people.episodes import set_person_status
from api.people.schemas import StepUndo
from api.proposals.service import person_of as person_of_proposal
from api.storage import repository
from api.storage.audit import record
from api.storage.tables import EpisodeEventRow, EpisodeRow
from features.errors import ConflictError
from features.schemas import JobseekerStatus
from features.schemas.episode import PATH_OF_PROPOSAL_STEP, PLACING_PATHS, person_status

__all__ = ["undo_episode_event", "undo_proposal_step"]


def undo_episode_event(ctx: Context, jobseeker_id: int, body: StepUndo) -> None:
    """Undo the latest event of the person's latest service episode."""
    reachable_person(ctx, jobseeker_id)
    latest = repository.episodes_of(ctx.session, jobseeker_id=jobseeker_id)[:1]
    if not latest or not latest[0][1].events:
        raise ConflictError("the person's service episode has no step to undo")
    row = latest[0][0]
    last = row.events[-1]
    if last.proposal_id is not None:
        raise ConflictError(
            f"this step came from proposal {last.proposal_id}: undo it there, with the "
            "proposal's step"
        )
    _undo_in_episode(ctx, jobseeker_id, row, body.reason)
    ctx.session.commit()


def undo_proposal_step(ctx: Context, proposal_id: int, body: StepUndo) -> int:
    """Undo the proposal's latest step — by a coordinator of the person, of a kind their role
    records — and the episode outcome it made, if any; the person's id."""
    person = person_of_proposal(ctx, proposal_id)
    stored = repository.get_proposal(ctx.session, proposal_id=proposal_id)
    if not stored.events:
        raise ConflictError(f"proposal {proposal_id} has no step to undo")
    kind = stored.events[-1].kind
    if not records_outcome(ctx.actor.role, kind):
        raise ForbiddenError(
            f"role {ctx.actor.role.value} does not record {kind.value!r}, nor undo it"
        )
    episode = (
        _episode_with_step_of(ctx, person, proposal_id) if kind in PATH_OF_PROPOSAL_STEP else None
    )
    repository.undo_latest_outcome_event(ctx.session, proposal_id=proposal_id,
                                         jobseeker_id=person, by=ctx.actor.name,
                                         reason=body.reason)  # fmt: skip
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="undo_step",
           object_type="proposal", object_id=proposal_id,
           details={"kind": kind.value})  # fmt: skip
    if episode is not None:
        _undo_in_episode(ctx, person, episode, body.reason)
    elif PATH_OF_PROPOSAL_STEP.get(kind) in PLACING_PATHS:
        # No episode told it (recorded before episodes knew proposals): active again.
        set_person_status(ctx, person, JobseekerStatus.ACTIVE, because="undo")
    ctx.session.commit()
    return person


def _episode_with_step_of(ctx: Context, person: int, proposal_id: int) -> EpisodeRow | None:
    """The person's latest episode if the proposal's latest step made its latest event; a step
    whose episode outcome has later events after it cannot be undone alone."""
    latest = repository.episodes_of(ctx.session, jobseeker_id=person)[:1]
    if not latest or not latest[0][0].events:
        return None
    row = latest[0][0]
    made: list[EpisodeEventRow] = [e for e in row.events if e.proposal_id == proposal_id]
    if not made:
        return None
    if made[-1] is not row.events[-1]:
        raise ConflictError(
            "the service episode has steps after the one this proposal's step made: undo "
            "those first"
        )
    return row


def _undo_in_episode(ctx: Context, person: int, row: EpisodeRow, reason: str) -> None:
    kept, episode = repository.undo_latest_episode_event(
        ctx.session, episode_id=row.id, jobseeker_id=person, by=ctx.actor.name, reason=reason
    )
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="undo_step",
           object_type="jobseeker", object_id=person,
           details={"episode_id": row.id, "kind": kept["kind"],
                    "path": kept.get("path")})  # fmt: skip
    set_person_status(ctx, person, person_status(episode), because="undo")
