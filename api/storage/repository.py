"""Data access: keyword-only functions over a Session. They never commit (the caller's
:func:`api.storage.engine.transaction` does) and raise domain errors, never HTTP ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.storage import history, records
from api.storage.engine import rows_affected
from api.storage.tables import (
    Base,
    CapacityRow,
    CrmNoteRow,
    DemographicsRow,
    EmployerRow,
    EpisodeEventRow,
    EpisodeRow,
    IdentityRow,
    JobseekerRow,
    OutcomeEventRow,
    ProposalRow,
    ProposalTaskRow,
    RoleRow,
    TaskDemandRow,
    TaskRow,
    UndoneStepRow,
)
from features import tables as tables_form
from features.errors import ConflictError, InvalidInputError, NotFoundError
from features.schemas import (
    CrmNote,
    Demographics,
    Employer,
    JobseekerIdentity,
    JobseekerProfile,
    OutcomeEvent,
    Proposal,
    Role,
    Task,
)
from features.schemas.episode import Episode, EpisodeEvent
from features.schemas.errors import field_errors

__all__ = [
    "add_employer",
    "add_episode",
    "add_episode_event",
    "add_jobseeker",
    "add_note",
    "add_outcome_event",
    "add_proposal",
    "add_role",
    "count_rows",
    "episodes_of",
    "get_demographics",
    "get_employer",
    "get_identity",
    "get_jobseeker",
    "get_proposal",
    "get_role",
    "get_task",
    "jobseeker_id_by_code",
    "list_employer_tasks",
    "replace_identity",
    "replace_jobseeker",
    "undo_latest_episode_event",
    "undo_latest_outcome_event",
]


R = TypeVar("R")


def _flush(session: Session, what: str) -> None:
    try:
        session.flush()
    except IntegrityError as err:
        raise ConflictError(f"{what} clashes with an existing record") from err


# --- jobseekers -------------------------------------------------------------------------------


def add_jobseeker(
    session: Session,
    *,
    profile: JobseekerProfile,
    identity: JobseekerIdentity | None = None,
    demographics: Demographics | None = None,
) -> int:
    if session.scalar(select(JobseekerRow.id).where(JobseekerRow.code == profile.code)):
        raise ConflictError(f"a jobseeker with code {profile.code!r} exists")
    row = JobseekerRow(**tables_form.jobseeker_columns(profile))
    row.capacities = [CapacityRow(**c) for c in tables_form.capacity_columns(profile)]
    session.add(row)
    _flush(session, f"jobseeker {profile.code!r}")
    history.record_jobseeker(session, row)
    if identity is not None:
        session.add(IdentityRow(jobseeker_id=row.id, **tables_form.identity_columns(identity)))
    if demographics is not None:
        session.add(
            DemographicsRow(jobseeker_id=row.id, **tables_form.demographics_columns(demographics))
        )
    _flush(session, f"jobseeker {profile.code!r}")
    return row.id


def _get(session: Session, table: type[R], ident: int, what: str) -> R:
    """The row with this primary key, or NotFoundError naming what was looked for."""
    row = session.get(table, ident)
    if row is None:
        raise NotFoundError(f"no {what} with id {ident}")
    return row


def _jobseeker_row(session: Session, jobseeker_id: int) -> JobseekerRow:
    return _get(session, JobseekerRow, jobseeker_id, "jobseeker")


def get_jobseeker(session: Session, *, jobseeker_id: int) -> JobseekerProfile:
    row = _jobseeker_row(session, jobseeker_id)
    return records.profile_from_rows(row, row.capacities)


def jobseeker_id_by_code(session: Session, *, code: str) -> int:
    found = session.scalar(select(JobseekerRow.id).where(JobseekerRow.code == code))
    if found is None:
        raise NotFoundError(f"no jobseeker with code {code!r}")
    return found


def replace_jobseeker(session: Session, *, jobseeker_id: int, profile: JobseekerProfile) -> bool:
    """Store the person's profile as ``profile``: whether anything changed. A save that
    changes nothing writes nothing — no new version, no new time — so that pressing Save on
    an unchanged form is not something that happened to the client (the caseload's latest
    event, the evaluation's as-of replay)."""
    row = _jobseeker_row(session, jobseeker_id)
    if profile.code != row.code:
        raise ConflictError("a jobseeker's code cannot change")
    if records.profile_from_rows(row, row.capacities) == profile:
        return False
    for key, value in tables_form.jobseeker_columns(profile).items():
        setattr(row, key, value)
    row.capacities = [CapacityRow(**c) for c in tables_form.capacity_columns(profile)]
    row.updated_at = datetime.now(UTC)  # capacities alone do not touch the row
    _flush(session, f"jobseeker {profile.code!r}")
    history.record_jobseeker(session, row, at=row.updated_at)
    return True


def set_jobseeker_status(session: Session, *, jobseeker_id: int, status: str) -> str:
    """Set the person's status (a new version of the profile, as any change is); the status
    before."""
    row = _jobseeker_row(session, jobseeker_id)
    before = row.status
    if before != status:
        row.status = status
        row.updated_at = datetime.now(UTC)
        _flush(session, f"jobseeker {row.code!r}")
        history.record_jobseeker(session, row, at=row.updated_at)
    return before


def get_identity(session: Session, *, jobseeker_id: int) -> JobseekerIdentity | None:
    _jobseeker_row(session, jobseeker_id)
    row = session.get(IdentityRow, jobseeker_id)
    return None if row is None else records.identity_from_row(row)


def replace_identity(session: Session, *, jobseeker_id: int, identity: JobseekerIdentity) -> None:
    """Correct the person's name and contact details (GDPR Art. 16), or give them some."""
    _jobseeker_row(session, jobseeker_id)
    columns = tables_form.identity_columns(identity)
    row = session.get(IdentityRow, jobseeker_id)
    if row is None:
        session.add(IdentityRow(jobseeker_id=jobseeker_id, **columns))
    else:
        for name, value in columns.items():
            setattr(row, name, value)
    _flush(session, f"identity of jobseeker {jobseeker_id}")


def get_demographics(session: Session, *, jobseeker_id: int) -> Demographics | None:
    _jobseeker_row(session, jobseeker_id)
    row = session.get(DemographicsRow, jobseeker_id)
    return None if row is None else records.demographics_from_row(row)


# --- employers, roles, tasks ---------------------------------------------------------------------


def add_employer(session: Session, *, employer: Employer) -> int:
    if session.scalar(
        select(EmployerRow.id).where(EmployerRow.business_id == employer.business_id)
    ):
        raise ConflictError(f"an employer with business ID {employer.business_id} exists")
    row = EmployerRow(**tables_form.employer_columns(employer))
    session.add(row)
    _flush(session, f"employer {employer.business_id}")
    for note in employer.notes:
        session.add(CrmNoteRow(employer_id=row.id, **tables_form.note_columns(note)))
    _flush(session, f"employer {employer.business_id}")
    return row.id


def _employer_row(session: Session, employer_id: int) -> EmployerRow:
    return _get(session, EmployerRow, employer_id, "employer")


def get_employer(session: Session, *, employer_id: int) -> Employer:
    row = _employer_row(session, employer_id)
    notes = session.scalars(select(CrmNoteRow).where(CrmNoteRow.employer_id == employer_id))
    return records.employer_from_rows(row, notes)


def add_note(session: Session, *, employer_id: int, note: CrmNote) -> int:
    _employer_row(session, employer_id)
    row = CrmNoteRow(employer_id=employer_id, **tables_form.note_columns(note))
    session.add(row)
    _flush(session, "CRM note")
    return row.id


def add_role(session: Session, *, employer_id: int, role: Role) -> tuple[int, list[int]]:
    """Store a role with its tasks; return the role id and the task ids in the role's order."""
    _employer_row(session, employer_id)
    taken = select(RoleRow.id).where(
        RoleRow.employer_id == employer_id, RoleRow.title == role.title
    )
    if session.scalar(taken) is not None:
        raise ConflictError(
            f"employer {employer_id} already has a role {role.title!r}; replace the employer's "
            "roles, or give the role another title"
        )
    row = RoleRow(employer_id=employer_id, **tables_form.role_columns(role))
    session.add(row)
    _flush(session, f"role {role.title!r}")
    task_ids = [add_task(session, role_id=row.id, task=task) for task in role.tasks]
    return row.id, task_ids


def add_task(session: Session, *, role_id: int, task: Task) -> int:
    role = _get(session, RoleRow, role_id, "role")
    row = TaskRow(role_id=role_id, **tables_form.task_columns(task))
    row.demands = [TaskDemandRow(**d) for d in tables_form.demand_columns(task)]
    session.add(row)
    _flush(session, f"task {task.title!r}")
    history.record_task(session, row, role)
    return row.id


def get_task(session: Session, *, task_id: int) -> Task:
    row = _get(session, TaskRow, task_id, "task")
    return records.task_from_rows(row, row.demands)


def get_role(session: Session, *, role_id: int) -> Role:
    row = _get(session, RoleRow, role_id, "role")
    task_rows = session.scalars(
        select(TaskRow).where(TaskRow.role_id == role_id).order_by(TaskRow.id)
    )
    return records.role_from_rows(row, [records.task_from_rows(t, t.demands) for t in task_rows])


def list_employer_tasks(session: Session, *, employer_id: int) -> list[tuple[Role, list[int]]]:
    """Every role of the employer with its tasks, and the task ids, in id order."""
    _employer_row(session, employer_id)
    out = []
    role_ids = session.scalars(
        select(RoleRow.id).where(RoleRow.employer_id == employer_id).order_by(RoleRow.id)
    ).all()
    for role_id in role_ids:
        task_ids = session.scalars(
            select(TaskRow.id).where(TaskRow.role_id == role_id).order_by(TaskRow.id)
        ).all()
        out.append((get_role(session, role_id=role_id), list(task_ids)))
    return out


def _proposed_tasks(session: Session, role_ids: list[int]) -> int:
    return session.scalar(
        select(func.count()).select_from(ProposalTaskRow)
        .join(TaskRow, TaskRow.id == ProposalTaskRow.task_id).where(TaskRow.role_id.in_(role_ids))
    ) or 0  # fmt: skip


def delete_role_titled(session: Session, *, employer_id: int, title: str) -> bool:
    """Remove the employer's role called ``title`` and its tasks, unless a proposal names one of
    them (a proposal never loses its tasks); True if there was such a role."""
    role_id = session.scalar(
        select(RoleRow.id).where(RoleRow.employer_id == employer_id, RoleRow.title == title)
    )
    if role_id is None:
        return False
    proposed = _proposed_tasks(session, [role_id])
    if proposed:
        raise ConflictError(
            f"role {title!r} has tasks named in {proposed} proposal(s); it cannot be replaced: "
            "give the new role another title"
        )
    _close_role_tasks(session, [role_id])
    session.execute(delete(RoleRow).where(RoleRow.id == role_id))
    return True


def _close_role_tasks(session: Session, role_ids: list[int]) -> None:
    """The tasks' last versions end now: they were there to be suggested until today."""
    history.close_tasks(
        session, session.scalars(select(TaskRow.id).where(TaskRow.role_id.in_(role_ids)))
    )


def delete_employer_roles(session: Session, *, employer_id: int) -> int:
    """Remove every role (and so every task) of an employer; return how many roles went.
    Refused while a proposal names one of the tasks: a proposal never loses its tasks."""
    _employer_row(session, employer_id)
    role_ids = list(session.scalars(select(RoleRow.id).where(RoleRow.employer_id == employer_id)))
    proposed = _proposed_tasks(session, role_ids)
    if proposed:
        raise ConflictError(
            f"the employer's tasks are named in {proposed} proposal(s); its roles cannot be "
            "replaced: give the sheet's roles new titles instead"
        )
    _close_role_tasks(session, role_ids)
    return rows_affected(session.execute(delete(RoleRow).where(RoleRow.employer_id == employer_id)))


# --- proposals ----------------------------------------------------------------------------------


def add_proposal(session: Session, *, proposal: Proposal) -> int:
    jobseeker_id = jobseeker_id_by_code(session, code=proposal.jobseeker_code)
    missing = [t for t in proposal.task_ids if session.get(TaskRow, t) is None]
    if missing:
        raise NotFoundError(f"no task with id {', '.join(map(str, missing))}")
    row = ProposalRow(jobseeker_id=jobseeker_id, **tables_form.proposal_columns(proposal))
    session.add(row)
    _flush(session, "proposal")
    session.add_all(ProposalTaskRow(proposal_id=row.id, task_id=t) for t in proposal.task_ids)
    session.add_all(
        OutcomeEventRow(proposal_id=row.id, **tables_form.event_columns(e)) for e in proposal.events
    )
    _flush(session, "proposal")
    return row.id


def get_proposal(session: Session, *, proposal_id: int) -> Proposal:
    row = _get(session, ProposalRow, proposal_id, "proposal")
    code = session.scalar(select(JobseekerRow.code).where(JobseekerRow.id == row.jobseeker_id))
    task_ids = session.scalars(
        select(ProposalTaskRow.task_id).where(ProposalTaskRow.proposal_id == proposal_id)
    ).all()
    events = session.scalars(
        select(OutcomeEventRow).where(OutcomeEventRow.proposal_id == proposal_id)
    )
    return records.proposal_from_rows(row, code or "XX-ERASED", list(task_ids), events)


def add_outcome_event(session: Session, *, proposal_id: int, event: OutcomeEvent) -> None:
    """Append an event, checking the whole history stays valid (order, allowed steps)."""
    current = get_proposal(session, proposal_id=proposal_id)
    try:
        Proposal.model_validate({**current.model_dump(), "events": [*current.events, event]})
    except ValidationError as err:
        raise InvalidInputError(field_errors(err), "the event does not fit the history") from None
    session.add(OutcomeEventRow(proposal_id=proposal_id, **tables_form.event_columns(event)))
    _flush(session, "outcome event")


# --- service episodes ---------------------------------------------------------------------------


def episodes_of(session: Session, *, jobseeker_id: int) -> list[tuple[EpisodeRow, Episode]]:
    """The person's service episodes, newest first, each with its schema."""
    rows = session.scalars(
        select(EpisodeRow)
        .where(EpisodeRow.jobseeker_id == jobseeker_id)
        .order_by(EpisodeRow.started_on.desc(), EpisodeRow.id.desc())
    ).all()
    return [(row, records.episode_from_rows(row)) for row in rows]


def add_episode(session: Session, *, jobseeker_id: int, episode: Episode, by: str) -> int:
    """Store a new episode (with any events it already has)."""
    row = EpisodeRow(jobseeker_id=jobseeker_id, started_by=by,
                     **tables_form.episode_columns(episode))  # fmt: skip
    row.events = [
        EpisodeEventRow(recorded_by=by, **tables_form.episode_event_columns(e))
        for e in episode.events
    ]
    session.add(row)
    _flush(session, "service episode")
    return row.id


def add_episode_event(
    session: Session,
    *,
    episode_id: int,
    event: EpisodeEvent,
    by: str,
    proposal_id: int | None = None,
) -> Episode:
    """Append an event, checking the whole episode stays valid (order, allowed steps); the
    episode as it now is."""
    row = _get(session, EpisodeRow, episode_id, "service episode")
    current = records.episode_from_rows(row)
    try:
        episode = Episode.model_validate(
            {**current.model_dump(), "events": [*current.events, event]}
        )
    except ValidationError as err:
        raise InvalidInputError(field_errors(err), "the event does not fit the episode") from None
    row.events.append(EpisodeEventRow(recorded_by=by, proposal_id=proposal_id,
                                      **tables_form.episode_event_columns(event)))  # fmt: skip
    for column, value in tables_form.episode_columns(episode).items():
        setattr(row, column, value)
    _flush(session, "episode event")
    return episode


def _as_kept(row: Base) -> dict[str, Any]:
    """A row's columns as JSON-ready values (dates and times as ISO text)."""
    kept: dict[str, Any] = {}
    for column in row.__table__.columns:  # type: ignore[attr-defined]
        value = getattr(row, column.key)
        kept[column.key] = value.isoformat() if isinstance(value, date | datetime) else value
    return kept


def undo_latest_episode_event(
    session: Session, *, episode_id: int, jobseeker_id: int, by: str, reason: str
) -> tuple[dict[str, Any], Episode]:
    """Move the episode's latest event to the undone steps (kept whole), and set the episode
    back to what it was before it; the event as it was, and the episode as it now is."""
    row = _get(session, EpisodeRow, episode_id, "service episode")
    if not row.events:
        raise ConflictError(f"episode {episode_id} has no step to undo")
    last = row.events[-1]
    kept = _as_kept(last)
    session.add(UndoneStepRow(jobseeker_id=jobseeker_id, kind="episode_event",
                              about_id=episode_id, step=kept, undone_by=by,
                              reason=reason))  # fmt: skip
    row.events.remove(last)
    session.delete(last)
    episode = records.episode_from_rows(row)
    for column, value in tables_form.episode_columns(episode).items():
        setattr(row, column, value)
    _flush(session, "undone episode event")
    return kept, episode


def undo_latest_outcome_event(
    session: Session, *, proposal_id: int, jobseeker_id: int, by: str, reason: str
) -> dict[str, Any]:
    """Move the proposal's latest step to the undone steps (kept whole); the step as it was."""
    last = session.scalars(
        select(OutcomeEventRow)
        .where(OutcomeEventRow.proposal_id == proposal_id)
        .order_by(OutcomeEventRow.at.desc(), OutcomeEventRow.id.desc())
        .limit(1)
    ).first()
    if last is None:
        raise ConflictError(f"proposal {proposal_id} has no step to undo")
    kept = _as_kept(last)
    session.add(UndoneStepRow(jobseeker_id=jobseeker_id, kind="proposal_step",
                              about_id=proposal_id, step=kept, undone_by=by,
                              reason=reason))  # fmt: skip
    session.delete(last)
    _flush(session, "undone proposal step")
    return kept


def count_rows(session: Session) -> dict[str, int]:
    """How many rows each table holds."""
    tables = [
        JobseekerRow,
        IdentityRow,
        DemographicsRow,
        CapacityRow,
        EmployerRow,
        CrmNoteRow,
        RoleRow,
        TaskRow,
        TaskDemandRow,
        ProposalRow,
        ProposalTaskRow,
        OutcomeEventRow,
    ]
    return {
        t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0 for t in tables
    }
