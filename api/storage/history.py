"""What the matcher read, and when: versions of people and tasks, valid from one time to the next.

Each storage function that writes a person's or a task's current rows (``repository`` one at a
time, ``bulk`` a whole world) also writes a version here, and closes the one before; deleting
a task closes its last. :func:`tables_as_of` rebuilds the matcher's tables as they were at a
time, so that the offline evaluation ranks each proposal on the world of its day and an edit
made after an outcome cannot leak into the replay of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Date, Table, func, insert, or_, select, update
from sqlalchemy.orm import Session

from api.storage.loading import read_tables
from api.storage.tables import (
    Base,
    DataVersionRow,
    JobseekerHistoryRow,
    JobseekerRow,
    OutcomeEventRow,
    OverrideRow,
    ProposalRow,
    RoleRow,
    SuggestionRow,
    TaskHistoryRow,
    TaskRow,
    UtcDateTime,
)

__all__ = [
    "CAPACITY_COLUMNS",
    "DEMAND_COLUMNS",
    "HISTORY_BEGINS",
    "change_times",
    "close_tasks",
    "history_mark",
    "record_jobseeker",
    "record_task",
    "tables_as_of",
    "write_versions",
]

CAPACITY_COLUMNS = ("characteristic_id", "level", "hard_limit", "recommended", "kilograms")
DEMAND_COLUMNS = ("characteristic_id", "level", "kilograms")
HISTORY_BEGINS = datetime(1970, 1, 1, tzinfo=UTC)
"""``valid_from`` of the versions written for rows that existed before history was kept: the
state found then is the best knowledge of every earlier day."""

_TABLES = Base.metadata.tables
CHUNK = 5_000


def _now() -> datetime:
    return datetime.now(UTC)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return value


def _columns_of(row: Base, table: Table) -> dict[str, Any]:
    return {c.name: _jsonable(getattr(row, c.name)) for c in table.columns}


def _restore(values: Mapping[str, Any], table: Table) -> dict[str, Any]:
    """A stored row's values with the Python types that reading the table gives."""
    out: dict[str, Any] = {}
    for column in table.columns:
        value = values.get(column.name)
        if value is not None and isinstance(column.type, UtcDateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        out[column.name] = value
    return out


def record_jobseeker(session: Session, row: JobseekerRow, at: datetime | None = None) -> None:
    """The person's new version from ``at`` (now), closing the one before. Call after the
    row and its capacities are flushed."""
    at = at or _now()
    session.execute(
        update(JobseekerHistoryRow)
        .where(JobseekerHistoryRow.jobseeker_id == row.id, JobseekerHistoryRow.valid_to.is_(None))
        .values(valid_to=at)
    )
    session.add(
        JobseekerHistoryRow(
            jobseeker_id=row.id,
            valid_from=at,
            row=_columns_of(row, _TABLES["jobseeker"]),
            capacity=[[getattr(c, name) for name in CAPACITY_COLUMNS] for c in row.capacities],
        )
    )


def record_task(session: Session, row: TaskRow, role: RoleRow, at: datetime | None = None) -> None:
    """The task's new version from ``at`` (now), closing the one before."""
    at = at or _now()
    close_tasks(session, [row.id], at)
    session.add(
        TaskHistoryRow(
            task_id=row.id,
            valid_from=at,
            row=_columns_of(row, _TABLES["task"]),
            role=_columns_of(role, _TABLES["role"]),
            demand=[[getattr(d, name) for name in DEMAND_COLUMNS] for d in row.demands],
        )
    )


def close_tasks(session: Session, task_ids: Iterable[int], at: datetime | None = None) -> None:
    """End the open versions of these tasks at ``at`` (now): deleted, or about to change."""
    session.execute(
        update(TaskHistoryRow)
        .where(TaskHistoryRow.task_id.in_(list(task_ids)), TaskHistoryRow.valid_to.is_(None))
        .values(valid_to=at or _now())
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    clean = frame.astype(object).where(frame.notna(), None)
    return [{k: _jsonable(v) for k, v in r.items()} for r in clean.to_dict("records")]


def _long_lists(frame: pd.DataFrame, key: str, columns: tuple[str, ...]) -> dict[int, list[Any]]:
    if frame.empty:
        return {}
    clean = frame[[key, *columns]].astype(object).where(frame[[key, *columns]].notna(), None)
    out: dict[int, list[Any]] = {}
    for values in clean.itertuples(index=False, name=None):
        out.setdefault(int(values[0]), []).append(list(values[1:]))
    return out


def write_versions(conn: Connection, tables: Mapping[str, pd.DataFrame], since: datetime) -> None:
    """One open version, valid from ``since``, for every person and task in ``tables`` (the
    frames ``bulk.load_tables`` inserts, or the current tables when history starts)."""
    jobseeker = tables.get("jobseeker")
    if jobseeker is not None and len(jobseeker):
        capacity = _long_lists(tables["capacity"], "jobseeker_id", CAPACITY_COLUMNS)
        rows = [
            {
                "jobseeker_id": int(r["id"]),
                "valid_from": since,
                "row": r,
                "capacity": capacity.get(int(r["id"]), []),
            }
            for r in _records(jobseeker)
        ]
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(JobseekerHistoryRow), rows[start : start + CHUNK])
    task = tables.get("task")
    if task is not None and len(task):
        demand = _long_lists(tables["task_demand"], "task_id", DEMAND_COLUMNS)
        roles = {int(r["id"]): r for r in _records(tables["role"])}
        rows = [
            {
                "task_id": int(r["id"]),
                "valid_from": since,
                "row": r,
                "role": roles[int(r["role_id"])],
                "demand": demand.get(int(r["id"]), []),
            }
            for r in _records(task)
        ]
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(TaskHistoryRow), rows[start : start + CHUNK])


def _valid_at(table: type[JobseekerHistoryRow] | type[TaskHistoryRow], when: datetime) -> Any:
    return (table.valid_from <= when) & or_(table.valid_to.is_(None), table.valid_to > when)


def tables_as_of(conn: Connection, when: datetime) -> dict[str, pd.DataFrame]:
    """The matcher's tables (``loading.MATCH_TABLES``) as they were at ``when``: people and
    tasks from their versions valid then; employers as they are now (their place and name;
    a task whose employer has since been removed is left out)."""
    people = conn.execute(
        select(JobseekerHistoryRow.row, JobseekerHistoryRow.capacity)
        .where(_valid_at(JobseekerHistoryRow, when))
        .order_by(JobseekerHistoryRow.jobseeker_id)
    ).all()
    jobseeker_table, task_table, role_table = _TABLES["jobseeker"], _TABLES["task"], _TABLES["role"]
    jobseeker = pd.DataFrame(
        [_restore(r, jobseeker_table) for r, _ in people],
        columns=[c.name for c in jobseeker_table.columns],
    )
    capacity = pd.DataFrame.from_records(
        [(r["id"], *c) for r, caps in people for c in caps],
        columns=["jobseeker_id", *CAPACITY_COLUMNS],
    )
    employer = read_tables(conn, ("employer",))["employer"]
    tasks = [
        (r, role, demand)
        for r, role, demand in conn.execute(
            select(TaskHistoryRow.row, TaskHistoryRow.role, TaskHistoryRow.demand)
            .where(_valid_at(TaskHistoryRow, when))
            .order_by(TaskHistoryRow.task_id)
        ).all()
        if role["employer_id"] in set(employer["id"])
    ]
    task = pd.DataFrame(
        [_restore(r, task_table) for r, _, _ in tasks], columns=[c.name for c in task_table.columns]
    )
    task_demand = pd.DataFrame.from_records(
        [(r["id"], *d) for r, _, demand in tasks for d in demand],
        columns=["task_id", *DEMAND_COLUMNS],
    )
    roles = {role["id"]: _restore(role, role_table) for _, role, _ in tasks}
    role = pd.DataFrame(list(roles.values()), columns=[c.name for c in role_table.columns])
    for frame in (capacity, task_demand):
        frame["level"] = frame["level"].astype("int64")
    for flag in ("hard_limit", "recommended"):
        capacity[flag] = capacity[flag].astype(bool)
    return {
        "jobseeker": jobseeker,
        "capacity": capacity,
        "task": task,
        "task_demand": task_demand,
        "role": role.sort_values("id", ignore_index=True),
        "employer": employer,
    }


def change_times(conn: Connection) -> list[datetime]:
    """Every time at which some person's or task's version began or ended, ascending: between
    two of them the matcher's world stood still."""
    times: set[datetime] = set()
    for table in (JobseekerHistoryRow, TaskHistoryRow):
        times.update(conn.scalars(select(table.valid_from).distinct()))
        times.update(t for t in conn.scalars(select(table.valid_to).distinct()) if t is not None)
    return sorted(times)


def history_mark(session: Session | Connection) -> str:
    """What the recorded history an evaluation replays holds now, in one line: the data
    version (people and tasks, consent with them) and the count and newest id of proposals,
    their steps, the lists shown and the tasks left out of them. Equal marks, the same history;
    anything recorded, undone or erased since changes it."""
    parts = [str(session.scalar(select(DataVersionRow.version).where(DataVersionRow.id == 1)))]
    for table in (ProposalRow, OutcomeEventRow, SuggestionRow, OverrideRow):
        count, newest = session.execute(select(func.count(), func.max(table.id))).one()
        parts.append(f"{count}.{newest or 0}")
    return "-".join(parts)
