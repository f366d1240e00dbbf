"""Employers (with CRM notes), their roles and tasks, and Ratko spreadsheet uploads."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, UploadFile

from api.core.schemas import Created
from api.core.security import Permission
from api.employers import service as employers
from api.employers.schemas import (
    EmployerCreate,
    EmployerPage,
    NoteCreate,
    RoleCreate,
    RoleList,
    RoleStored,
    SheetStored,
    TaskPage,
)
from api.http.deps import Context, SessionDep, User, context_for, require
from api.http.params import IdPath
from features.schemas import Employer

router = APIRouter(prefix="/employers", tags=["employers"])
tasks_router = APIRouter(prefix="/tasks", tags=["employers"])


@tasks_router.get("", summary="Tasks of every employer, searched, sorted and paged")
def list_tasks(
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_EMPLOYERS)],
    text: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    task_type: Annotated[Literal["hand_over", "core"] | None, Query()] = None,
    sort: Annotated[Literal["employer", "title", "hours", "municipality"], Query()] = "employer",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> TaskPage:
    return employers.list_tasks(session, text=text, task_type=task_type, limit=limit,
                                offset=offset, sort=sort)  # fmt: skip


@router.get("", summary="Employers in the network, by name")
def list_employers(
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_EMPLOYERS)],
    name: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> EmployerPage:
    return employers.list_employers(session, name=name, limit=limit, offset=offset)


@router.post("", response_model=Created, status_code=201, summary="Add an employer")
def create_employer(
    body: EmployerCreate, ctx: Annotated[Context, context_for(Permission.WRITE_EMPLOYERS)]
) -> Created:
    return Created(id=employers.create_employer(ctx, body.employer))


@router.get("/{employer_id}", response_model=Employer, summary="An employer with CRM notes")
def get_employer(
    employer_id: IdPath,
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_EMPLOYERS)],
) -> Employer:
    return employers.read_employer(session, employer_id)


@router.post(
    "/{employer_id}/notes", response_model=Created, status_code=201, summary="Add a CRM note"
)
def add_note(
    employer_id: IdPath,
    body: NoteCreate,
    ctx: Annotated[Context, context_for(Permission.WRITE_EMPLOYERS)],
) -> Created:
    return Created(id=employers.add_note(ctx, employer_id, body))


@router.get("/{employer_id}/roles", summary="An employer's roles and tasks")
def list_roles(
    employer_id: IdPath,
    session: SessionDep,
    user: Annotated[User, require(Permission.READ_EMPLOYERS)],
) -> RoleList:
    return employers.list_roles(session, employer_id)


@router.post("/{employer_id}/roles", status_code=201, summary="Add a role with its tasks")
def add_role(
    employer_id: IdPath,
    body: RoleCreate,
    ctx: Annotated[Context, context_for(Permission.WRITE_EMPLOYERS)],
    replace: Annotated[
        bool,
        Query(
            description="Replace the employer's role of the same title (409 if a proposal "
            "names one of its tasks)."
        ),
    ] = False,
) -> RoleStored:
    role_id, task_ids = employers.add_role(ctx, employer_id, body.role, replace=replace)
    return RoleStored(role_id=role_id, task_ids=task_ids)


@router.post("/{employer_id}/ratko", status_code=201, summary="Upload a Ratko spreadsheet")
def upload_ratko(
    employer_id: IdPath,
    file: UploadFile,
    ctx: Annotated[Context, context_for(Permission.WRITE_EMPLOYERS)],
    replace: bool = False,
) -> SheetStored:
    """Every row is validated; if any is bad, nothing is stored and the 422 lists every
    error with its row and column."""
    stored = employers.upload_ratko(
        ctx, employer_id, file.file.read(), file.filename or "upload", replace=replace
    )
    return SheetStored(roles=[RoleStored(role_id=r, task_ids=t) for r, t in stored])
