"""Wide frames: one row per person or task, one column per characteristic.

The pipeline's input. :func:`people_frame` and :func:`task_frame` pivot the stored (long) rows
into this layout with numpy — no per-row Python — so the same code serves the demo world, the
database loader and a handful of schema objects (:func:`people_frame_from_profiles`,
:func:`task_frame_from_tasks`).

Columns: ``cap:<id>`` capacity level (NaN unknown), ``hard:<id>`` a physician's restriction,
``rec:<id>`` a physician's recommendation, ``capkg:<id>`` capacity in kg; ``dem:<id>`` demand
level (NaN unknown), ``demkg:<id>`` demand in kg.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from features.catalogue import CHARACTERISTIC_IDS, CHARACTERISTICS
from features.schemas import JobseekerProfile, Task
from features.tables import capacity_columns, demand_columns, jobseeker_columns, task_columns

__all__ = [
    "KG_IDS",
    "cap_columns",
    "dem_columns",
    "people_frame",
    "people_frame_from_profiles",
    "task_frame",
    "task_frame_from_tasks",
]

KG_IDS: tuple[str, ...] = tuple(c.id for c in CHARACTERISTICS.values() if c.has_kilograms)
_CID_INDEX = {cid: i for i, cid in enumerate(CHARACTERISTIC_IDS)}


def cap_columns(prefix: str = "cap") -> list[str]:
    return [f"{prefix}:{cid}" for cid in CHARACTERISTIC_IDS]


def dem_columns() -> list[str]:
    return cap_columns("dem")


def _scatter(
    owner_ids: np.ndarray, long: pd.DataFrame, owner_column: str, value: str, fill: float
) -> np.ndarray:
    """(n_owners, n_characteristics) from long rows (owner, characteristic_id, value)."""
    out = np.full((len(owner_ids), len(CHARACTERISTIC_IDS)), fill, dtype=np.float64)
    if long.empty:
        return out
    order = np.argsort(owner_ids, kind="stable")
    position = np.searchsorted(owner_ids, long[owner_column].to_numpy(), sorter=order)
    position = np.clip(position, 0, len(owner_ids) - 1)
    rows = order[position]
    known = owner_ids[rows] == long[owner_column].to_numpy()
    cols = pd.Categorical(long["characteristic_id"], categories=CHARACTERISTIC_IDS).codes
    known &= cols >= 0
    values = pd.to_numeric(long[value], errors="coerce").to_numpy(dtype=np.float64)
    out[rows[known], cols[known]] = values[known]
    return out


def people_frame(jobseeker: pd.DataFrame, capacity: pd.DataFrame) -> pd.DataFrame:
    """Wide frame of people from the ``jobseeker`` and ``capacity`` tables."""
    ids = jobseeker["id"].to_numpy(dtype=np.int64)
    level = _scatter(ids, capacity, "jobseeker_id", "level", np.nan)
    hard = _scatter(ids, capacity, "jobseeker_id", "hard_limit", 0.0).astype(bool)
    if "recommended" in capacity.columns:
        recommended = _scatter(ids, capacity, "jobseeker_id", "recommended", 0.0).astype(bool)
    else:  # capacity rows written before recommendations existed
        recommended = np.zeros_like(hard)
    kg = _scatter(ids, capacity, "jobseeker_id", "kilograms", np.nan)
    extra = pd.concat(
        [
            pd.DataFrame(level, columns=cap_columns("cap"), index=jobseeker.index),
            pd.DataFrame(hard, columns=cap_columns("hard"), index=jobseeker.index),
            pd.DataFrame(recommended, columns=cap_columns("rec"), index=jobseeker.index),
            pd.DataFrame(
                kg[:, [_CID_INDEX[c] for c in KG_IDS]],
                columns=[f"capkg:{c}" for c in KG_IDS],
                index=jobseeker.index,
            ),
        ],
        axis=1,
    )
    return pd.concat([jobseeker.reset_index(drop=True), extra.reset_index(drop=True)], axis=1)


def _with_demands(base: pd.DataFrame, task_demand: pd.DataFrame) -> pd.DataFrame:
    ids = base["id"].to_numpy(dtype=np.int64)
    level = _scatter(ids, task_demand, "task_id", "level", np.nan)
    kg = _scatter(ids, task_demand, "task_id", "kilograms", np.nan)
    extra = pd.concat(
        [
            pd.DataFrame(level, columns=dem_columns()),
            pd.DataFrame(
                kg[:, [_CID_INDEX[c] for c in KG_IDS]], columns=[f"demkg:{c}" for c in KG_IDS]
            ),
        ],
        axis=1,
    )
    return pd.concat([base.reset_index(drop=True), extra], axis=1)


def task_frame(
    task: pd.DataFrame, task_demand: pd.DataFrame, role: pd.DataFrame, employer: pd.DataFrame
) -> pd.DataFrame:
    """Wide frame of tasks from the ``task``, ``task_demand``, ``role`` and ``employer`` tables,
    with each task's employer, sector and place of work (its own, or the employer's)."""
    roles = role.set_index("id")
    employers = employer.set_index("id")
    role_ids = task["role_id"].to_numpy()
    employer_id = roles.loc[role_ids, "employer_id"].to_numpy()
    own_place = task["place_lat"].notna().to_numpy() & task["place_lon"].notna().to_numpy()
    place_lat = pd.to_numeric(task["place_lat"], errors="coerce").to_numpy(dtype=float)
    place_lon = pd.to_numeric(task["place_lon"], errors="coerce").to_numpy(dtype=float)
    base = task.reset_index(drop=True).assign(
        employer_id=employer_id,
        sector=roles.loc[role_ids, "sector"].to_numpy(),
        municipality=np.where(
            task["place_municipality"].isna().to_numpy(),
            employers.loc[employer_id, "municipality"].to_numpy(),
            task["place_municipality"].to_numpy(),
        ),
        lat=np.where(own_place, place_lat, employers.loc[employer_id, "lat"].to_numpy(float)),
        lon=np.where(own_place, place_lon, employers.loc[employer_id, "lon"].to_numpy(float)),
    )
    return _with_demands(base, task_demand)


def people_frame_from_profiles(
    profiles: Sequence[JobseekerProfile], ids: Sequence[int] | None = None
) -> pd.DataFrame:
    """Wide frame from schema objects (ids 1..n unless given)."""
    ids = list(ids) if ids is not None else list(range(1, len(profiles) + 1))
    jobseeker = pd.DataFrame(
        [{"id": i, **jobseeker_columns(p)} for i, p in zip(ids, profiles, strict=True)]
    )
    capacity = pd.DataFrame(
        [
            {"jobseeker_id": i, **row}
            for i, p in zip(ids, profiles, strict=True)
            for row in capacity_columns(p)
        ],
        columns=["jobseeker_id", "characteristic_id", "level", "source", "assessed_on",
                 "hard_limit", "recommended", "kilograms"],
    )  # fmt: skip
    return people_frame(jobseeker, capacity)


def task_frame_from_tasks(
    tasks: Sequence[Task],
    *,
    sector: str | Sequence[str],
    lat: float | Sequence[float],
    lon: float | Sequence[float],
    employer_id: int | Sequence[int] = 1,
    municipality: str | Sequence[str] = "Lahti",
    ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Wide frame from schema objects, given the facts a task gets from its role and employer
    (one value for all tasks, or one per task)."""
    n = len(tasks)
    ids = list(ids) if ids is not None else list(range(1, n + 1))

    def each(value: object) -> list[object]:
        return list(value) if isinstance(value, list | tuple | np.ndarray) else [value] * n

    base = pd.DataFrame(
        [{"id": i, "role_id": i, **task_columns(t)} for i, t in zip(ids, tasks, strict=True)]
    ).assign(
        employer_id=each(employer_id),
        sector=each(sector),
        municipality=each(municipality),
        lat=np.asarray(each(lat), dtype=float),
        lon=np.asarray(each(lon), dtype=float),
    )
    demand = pd.DataFrame(
        [
            {"task_id": i, **row}
            for i, t in zip(ids, tasks, strict=True)
            for row in demand_columns(t)
        ],
        columns=["task_id", "characteristic_id", "level", "kilograms"],
    )
    return _with_demands(base, demand)
