"""Employers and their CRM notes. A note's author and time are the service's to record: the
acting user, and now (or an earlier moment of the call being written down, never later)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from api.core.context import Context
from api.core.runtime import bump_data_version
from api.employers.schemas import (
    EmployerPage,
    EmployerSummary,
    NoteCreate,
    RoleList,
    RoleWithTasks,
    TaskPage,
    TaskSummary,
)
from api.employers.spreadsheet import read_sheet, sheet_format
from api.storage import repository
from api.storage.audit import record
from api.storage.tables import EmployerRow, RoleRow, TaskRow
from features.errors import InvalidInputError, NotFoundError
from features.ratko import parse_rows
from features.schemas import CrmNote, Employer, Role
from features.schemas.errors import FieldError

__all__ = [
    "add_note",
    "add_role",
    "create_employer",
    "employer_roles",
    "list_employers",
    "list_roles",
    "read_employer",
    "role_ids",
    "role_of_employer",
    "task_titles",
    "tasks_by_id",
    "upload_ratko",
]


EMPLOYER_SORTS = {
    "name": (EmployerRow.name,),
    "municipality": (EmployerRow.municipality, EmployerRow.name),
    "industry": (EmployerRow.industry, EmployerRow.name),
}
"""The orders a list of employers can be read in; ties by id."""


def list_employers(
    session: Session,
    *,
    name: str | None = None,
    limit: int = 50,
    offset: int = 0,
    sort: str = "name",
) -> EmployerPage:
    """Employers by name (a part of the name, any case), a page at a time, ordered by
    ``sort`` (one of :data:`EMPLOYER_SORTS`). Employers are organisations, not people:
    reading them needs the permission, not an audit row."""
    query = select(EmployerRow)
    if name and name.strip():
        query = query.where(EmployerRow.name.ilike(f"%{name.strip()}%"))
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(*EMPLOYER_SORTS.get(sort, EMPLOYER_SORTS["name"]), EmployerRow.id)
        .limit(limit)
        .offset(offset)
    ).all()
    data = [
        EmployerSummary(
            id=r.id,
            name=r.name,
            business_id=r.business_id,
            industry=r.industry,
            municipality=r.municipality,
            network_status=r.network_status,
        )
        for r in rows
    ]
    return EmployerPage(data=data, count=count)


TASK_SORTS = {
    "employer": (EmployerRow.name, TaskRow.title),
    "title": (TaskRow.title, EmployerRow.name),
    "hours": (TaskRow.hours_per_week.desc(), TaskRow.title),
    "municipality": (EmployerRow.municipality, EmployerRow.name, TaskRow.title),
}
"""The orders a list of tasks can be read in; ties by id."""


def list_tasks(
    session: Session,
    *,
    text: str | None = None,
    task_type: str | None = None,
    limit: int = 50,
    offset: int = 0,
    sort: str = "employer",
) -> TaskPage:
    """Tasks of every employer, a page at a time: ``text`` found in the task's title, its
    role's or its employer's name (any case), ``task_type`` hand_over or core. Tasks are
    work, not people: reading them needs the permission, not an audit row."""
    query = (
        select(TaskRow, RoleRow.title, EmployerRow)
        .join(RoleRow, RoleRow.id == TaskRow.role_id)
        .join(EmployerRow, EmployerRow.id == RoleRow.employer_id)
    )
    if text and text.strip():
        pattern = f"%{text.strip()}%"
        query = query.where(or_(TaskRow.title.ilike(pattern), RoleRow.title.ilike(pattern),
                                EmployerRow.name.ilike(pattern)))  # fmt: skip
    if task_type:
        query = query.where(TaskRow.task_type == task_type)
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(*TASK_SORTS.get(sort, TASK_SORTS["employer"]), TaskRow.id)
        .limit(limit)
        .offset(offset)
    ).all()
    data = [
        TaskSummary(
            id=task.id, title=task.title, kind=task.kind, task_type=task.task_type,
            hours_per_week=task.hours_per_week, role_title=role_title, employer_id=employer.id,
            employer_name=employer.name,
            municipality=task.place_municipality or employer.municipality,
        )
        for task, role_title, employer in rows
    ]  # fmt: skip
    return TaskPage(data=data, count=count)


def list_roles(session: Session, employer_id: int) -> RoleList:
    """An employer's roles, each with its task ids (404 for an unknown employer)."""
    if session.get(EmployerRow, employer_id) is None:
        raise NotFoundError(f"no employer with id {employer_id}")
    data = [
        RoleWithTasks(role=role, task_ids=ids)
        for role, ids in repository.list_employer_tasks(session, employer_id=employer_id)
    ]
    return RoleList(data=data, count=len(data))


def create_employer(ctx: Context, employer: Employer) -> int:
    if employer.notes:
        raise InvalidInputError([FieldError(
            "employer.notes", "add notes one by one after creating the employer (POST "
            "/employers/{id}/notes): their author and time are recorded by the service"
        )])  # fmt: skip
    new_id = repository.add_employer(ctx.session, employer=employer)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="create_employer",
           object_type="employer", object_id=new_id)  # fmt: skip
    ctx.session.commit()
    return new_id


def add_note(ctx: Context, employer_id: int, body: NoteCreate) -> int:
    at = body.at or ctx.now
    if at > ctx.now:
        raise InvalidInputError([FieldError("at", "is in the future")])
    note = CrmNote(at=at, author=ctx.actor.name, channel=body.channel, text=body.text,
                   needs=body.needs)  # fmt: skip
    new_id = repository.add_note(ctx.session, employer_id=employer_id, note=note)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="add_note",
           object_type="employer", object_id=employer_id)  # fmt: skip
    ctx.session.commit()
    return new_id


def add_role(
    ctx: Context, employer_id: int, role: Role, *, replace: bool = False
) -> tuple[int, list[int]]:
    """A role and its Ratko tasks; the role's id and its tasks' ids. ``replace``: a role of the
    same title goes first (refused if a proposal names one of its tasks)."""
    replaced = replace and repository.delete_role_titled(
        ctx.session, employer_id=employer_id, title=role.title
    )
    role_id, task_ids = repository.add_role(ctx.session, employer_id=employer_id, role=role)
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="add_role",
           object_type="employer", object_id=employer_id,
           details={"role_id": role_id, "replaced": replaced})  # fmt: skip
    bump_data_version(ctx.session)
    ctx.session.commit()
    return role_id, task_ids


def upload_ratko(
    ctx: Context, employer_id: int, data: bytes, filename: str, *, replace: bool = False
) -> list[tuple[int, list[int]]]:
    """Every row is validated; if any is bad, nothing is stored and the error lists every
    row and column at fault."""
    repository.get_employer(ctx.session, employer_id=employer_id)
    sheet = parse_rows(read_sheet(data, sheet_format(Path(filename or "upload"))))
    if not sheet.ok:
        raise InvalidInputError(
            [
                FieldError(
                    f"row {e.row}" + (f", column '{e.column}'" if e.column else ""),
                    e.message + (f" (allowed: {e.allowed})" if e.allowed else ""),
                    e.kind,
                    {**e.context, "row": e.row, "column": e.column},
                )
                for e in sheet.errors
            ],
            f"{len(sheet.errors)} error(s) in the sheet, nothing stored",
        )
    if replace:
        repository.delete_employer_roles(ctx.session, employer_id=employer_id)
    stored = [
        repository.add_role(ctx.session, employer_id=employer_id, role=r) for r in sheet.roles
    ]
    record(ctx.session, actor=ctx.actor.name, role=ctx.actor.role, action="upload_ratko",
           object_type="employer", object_id=employer_id,
           details={"roles": len(stored), "tasks": sum(len(t) for _, t in stored)})  # fmt: skip
    bump_data_version(ctx.session)
    ctx.session.commit()
    return stored


def read_employer(session: Session, employer_id: int) -> Employer:
    """The employer with its CRM notes; 404 if there is none."""
    return repository.get_employer(session, employer_id=employer_id)


def employer_roles(session: Session, employer_id: int) -> list[tuple[Role, list[int]]]:
    """Every role of the employer with its tasks, and the task ids, in id order."""
    return repository.list_employer_tasks(session, employer_id=employer_id)


def role_ids(session: Session, employer_id: int) -> list[int]:
    """The ids of the employer's roles, in id order."""
    return list(
        session.scalars(
            select(RoleRow.id).where(RoleRow.employer_id == employer_id).order_by(RoleRow.id)
        ).all()
    )


def role_of_employer(session: Session, employer_id: int, role_id: int) -> RoleRow:
    """The employer's role; 404 if there is none, or it is another employer's."""
    role = session.get(RoleRow, role_id)
    if role is None or role.employer_id != employer_id:
        raise NotFoundError(f"no role {role_id} at employer {employer_id}")
    return role


def task_of_employer(session: Session, employer_id: int, task_id: int) -> TaskRow:
    """The employer's task; 404 if there is none, or it is another employer's (an address
    naming one employer over another's task)."""
    task = session.get(TaskRow, task_id)
    role = session.get(RoleRow, task.role_id) if task is not None else None
    if task is None or role is None or role.employer_id != employer_id:
        raise NotFoundError(f"no task {task_id} at employer {employer_id}")
    return task


def tasks_by_id(session: Session, task_ids: list[int]) -> dict[int, TaskRow]:
    """The stored tasks of these ids."""
    return {r.id: r for r in session.scalars(select(TaskRow).where(TaskRow.id.in_(task_ids)))}


def task_titles(session: Session, task_ids: list[int]) -> dict[int, dict[str, str]]:
    """Each task's title and its employer's name, by task id (for the pages' lists)."""
    if not task_ids:
        return {}
    rows = session.execute(
        select(TaskRow.id, TaskRow.title, EmployerRow.name)
        .join(RoleRow, RoleRow.id == TaskRow.role_id)
        .join(EmployerRow, EmployerRow.id == RoleRow.employer_id)
        .where(TaskRow.id.in_(task_ids))
    ).all()
    return {r.id: {"title": r.title, "employer": r.name} for r in rows}
