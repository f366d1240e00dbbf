"""Employers, their roles and Ratko-decomposed tasks for the demo world.

Every employer belongs to a sector and takes one to three roles, the first from its sector's
templates. Each role instance keeps every core task of its template and most of its hand-over
tasks — except the world's last role, cut off where the world has its exact number of tasks;
an employer hands over a template's hand-over task with probability
``HAND_OVER_SHARE`` (otherwise the current staff keep it as core work), accepts each of its
typical adjustments with probability ``ADJUSTMENT_ACCEPTANCE``, and its demands differ from the
template's by one level here and there (``DEMAND_JITTER``), as two workplaces never quite agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from features.catalogue import CHARACTERISTIC_IDS, MUNICIPALITIES, SECTORS, SLOT_IDS
from features.catalogue.characteristics import characteristic_index
from features.demo import names
from features.demo.templates import (
    ROLE_TEMPLATES,
    SCHEDULE_PATTERNS,
    SECTOR_INDUSTRIES,
    RoleTemplate,
)
from features.schemas.common import business_id_check_digit
from features.schemas.employer import TaskType

__all__ = ["MUNICIPALITY_WEIGHTS", "EmployerWorld", "generate_employers"]

_NONE = np.array(None, dtype=object)
"""NULL in a column of numbers: ``np.where`` with it gives an object column (None → NULL)."""

HAND_OVER_SHARE = 0.8
ADJUSTMENT_ACCEPTANCE = 0.7
DEMAND_JITTER = 0.12
MISSING_DEMAND_SHARE = 0.03
OTHER_PLACE_SHARE = 0.15
MENTOR_SHARE = 0.4

# The Lahti region dominates; the larger towns beyond share the rest.
_LAHTI_REGION = {
    "Lahti": 0.34,
    "Hollola": 0.08,
    "Heinola": 0.05,
    "Orimattila": 0.05,
    "Asikkala": 0.03,
    "Kärkölä": 0.02,
    "Padasjoki": 0.01,
    "Sysmä": 0.01,
    "Hartola": 0.01,
    "Iitti": 0.02,
}
# Named, not taken from the catalogue (which has every municipality): the world stays the same.
_OTHERS = [
    "Helsinki",
    "Espoo",
    "Vantaa",
    "Porvoo",
    "Riihimäki",
    "Hämeenlinna",
    "Tampere",
    "Turku",
    "Kouvola",
    "Kotka",
    "Lappeenranta",
    "Mikkeli",
    "Jyväskylä",
    "Kuopio",
    "Joensuu",
    "Pori",
    "Seinäjoki",
    "Vaasa",
    "Oulu",
    "Rovaniemi",
]
MUNICIPALITY_WEIGHTS: dict[str, float] = _LAHTI_REGION | {
    m: (1 - sum(_LAHTI_REGION.values())) / len(_OTHERS) for m in _OTHERS
}
_SECTOR_WEIGHTS = {
    "property_maintenance": 6,
    "cleaning": 10,
    "yard_green": 5,
    "recycling": 4,
    "care_assistance": 9,
    "errands": 3,
    "retail": 12,
    "kitchen_catering": 12,
    "office_support": 8,
    "industry": 8,
    "construction": 5,
    "logistics": 6,
    "seasonal": 3,
    "ict": 4,
    "culture": 3,
    "transport": 4,
}
_GENERAL_SECTORS = ("cleaning", "office_support", "logistics", "kitchen_catering")
_NETWORK = (
    ("partner", 0.45),
    ("contacted", 0.25),
    ("prospect", 0.2),
    ("paused", 0.07),
    ("declined", 0.03),
)
_SEASON = (date(2026, 5, 15), date(2026, 9, 15))
_N = len(CHARACTERISTIC_IDS)
_DAILY = characteristic_index("daily_working_time")


@dataclass(frozen=True)
class EmployerWorld:
    employer: pd.DataFrame
    crm_note: pd.DataFrame
    role: pd.DataFrame
    task: pd.DataFrame
    task_demand: pd.DataFrame
    demand_matrix: np.ndarray
    """(n_tasks, n_characteristics) float, NaN where not assessed; rows in task-id order."""
    kilograms: np.ndarray
    """(n_tasks, n_characteristics) float, NaN where no load is given."""
    task_sector: np.ndarray
    task_employer: np.ndarray


def _flat_templates() -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray]:
    """Every template task as (role template index, task index), with demand and kg rows."""
    keys, demand_rows, kg_rows = [], [], []
    for r, role in enumerate(ROLE_TEMPLATES):
        for t, task in enumerate(role.tasks):
            keys.append((r, t))
            row = np.zeros(_N)
            kg = np.full(_N, np.nan)
            for cid, level in task.demands.items():
                row[characteristic_index(cid)] = level
            for cid, load in task.kilograms.items():
                kg[characteristic_index(cid)] = load
            demand_rows.append(row)
            kg_rows.append(kg)
    return keys, np.array(demand_rows), np.array(kg_rows)


def _business_ids(rng: np.random.Generator, n: int) -> list[str]:
    bodies = rng.choice(np.arange(1_000_000, 9_999_999), size=int(n * 1.25) + 10, replace=False)
    out = []
    for body in bodies:
        digits = f"{body:07d}"
        check = business_id_check_digit(digits)
        if check is not None:
            out.append(f"{digits}-{check}")
            if len(out) == n:
                return out
    raise RuntimeError("not enough business IDs drawn")  # pragma: no cover - 1.25× margin


def _point(rng: np.random.Generator, municipality: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    m = MUNICIPALITIES[municipality]
    lat = m.lat + rng.normal(0, 0.025, n)
    lon = m.lon + rng.normal(0, 0.045, n)
    return lat, lon


def _daily_level(hours_per_day: np.ndarray) -> np.ndarray:
    return np.digitize(hours_per_day, [2.0, 4.0, 6.0, 8.0]).astype(float)


def generate_employers(
    rng: np.random.Generator, py: random.Random, n_tasks: int, as_of: date
) -> EmployerWorld:
    """Employers, notes, roles and exactly ``n_tasks`` tasks."""
    keys, template_demand, template_kg = _flat_templates()
    key_index = {k: i for i, k in enumerate(keys)}
    by_sector: dict[str, list[int]] = {s: [] for s in SECTORS.ids}
    for r, role in enumerate(ROLE_TEMPLATES):
        by_sector[role.sector].append(r)
    sectors_with_roles = [s for s in SECTORS.ids if by_sector[s]]
    weights = np.array([_SECTOR_WEIGHTS.get(s, 1) for s in sectors_with_roles], float)
    weights /= weights.sum()
    munis = list(MUNICIPALITY_WEIGHTS)
    muni_p = np.array([MUNICIPALITY_WEIGHTS[m] for m in munis])

    # --- roles and their template tasks, until there are n_tasks tasks ----------------------
    employer_sector: list[str] = []
    role_employer: list[int] = []
    role_template: list[int] = []
    task_role: list[int] = []
    task_template: list[int] = []
    while len(task_template) < n_tasks:
        e = len(employer_sector)
        sector = sectors_with_roles[rng.choice(len(sectors_with_roles), p=weights)]
        employer_sector.append(sector)
        n_roles = 1 + (py.random() < 0.35) + (py.random() < 0.12)
        chosen: list[int] = []
        for k in range(n_roles):
            pool = (
                by_sector[sector]
                if k == 0 or py.random() < 0.5
                else [r for s in _GENERAL_SECTORS for r in by_sector[s]]
            )
            pool = [r for r in pool if r not in chosen]
            if pool:  # an employer has each role once
                chosen.append(py.choice(pool))
        for r in chosen:
            template: RoleTemplate = ROLE_TEMPLATES[r]
            role_id = len(role_template)
            role_employer.append(e)
            role_template.append(r)
            kept = [
                t
                for t, task in enumerate(template.tasks)
                if task.task_type is TaskType.CORE or py.random() < 0.9
            ]
            for t in kept:
                if len(task_template) == n_tasks:
                    break
                task_role.append(role_id)
                task_template.append(key_index[(r, t)])
            if len(task_template) == n_tasks:
                break

    n_employers, n_roles_total = len(employer_sector), len(role_template)
    tt = np.array(task_template, dtype=np.int64)
    t_role = np.array(task_role, dtype=np.int64)
    t_employer = np.array(role_employer, dtype=np.int64)[t_role]
    templates = [ROLE_TEMPLATES[keys[i][0]].tasks[keys[i][1]] for i in range(len(keys))]

    # --- employers ---------------------------------------------------------------------------
    employer_muni = [munis[i] for i in rng.choice(len(munis), size=n_employers, p=muni_p)]
    e_lat = np.empty(n_employers)
    e_lon = np.empty(n_employers)
    for m in sorted(set(employer_muni)):  # sorted: set order varies between processes
        idx = np.array([i for i, x in enumerate(employer_muni) if x == m])
        e_lat[idx], e_lon[idx] = _point(rng, m, len(idx))
    business_ids = _business_ids(rng, n_employers)
    employer_rows = []
    for e in range(n_employers):
        sector, muni = employer_sector[e], employer_muni[e]
        owner = py.choice(names.SURNAMES)
        prefix = (
            names.MUNICIPALITY_GENITIVE[muni]
            if py.random() < 0.5
            else owner.removesuffix("nen") + ("sen" if owner.endswith("nen") else "n")
        )
        business = py.choice(names.SECTOR_BUSINESS_WORDS[sector])
        name = f"{prefix} {business} {py.choice(names.BUSINESS_SUFFIXES)}"
        first = py.choice(names.FIRST_NAMES_FEMALE + names.FIRST_NAMES_MALE)
        contact_last = py.choice(names.SURNAMES)
        status = py.choices([s for s, _ in _NETWORK], [w for _, w in _NETWORK])[0]
        employer_rows.append(
            {
                "id": e + 1,
                "name": name,
                "business_id": business_ids[e],
                "industry": py.choice(SECTOR_INDUSTRIES[sector]),
                "street": f"{py.choice(names.STREETS)} {py.randint(1, 120)}",
                "postal_code": f"{names.POSTAL_PREFIX[muni]}{py.randint(0, 9)}0",
                "municipality": muni,
                "lat": float(e_lat[e]),
                "lon": float(e_lon[e]),
                "contact_name": f"{first} {contact_last}",
                "contact_title": py.choice(names.CONTACT_TITLES),
                "contact_phone": f"+358 40 {py.randint(100, 999)} {py.randint(1000, 9999)}",
                "contact_email": (
                    f"{names.ascii_slug(first)}.{names.ascii_slug(contact_last)}"
                    f"@employer{e + 1}.example"
                ),
                "network_status": status,
            }
        )
    employer = pd.DataFrame(employer_rows)

    note_rows = []
    start = datetime(2024, 1, 1, tzinfo=UTC)
    span = (datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC) - start).total_seconds()
    for e in range(n_employers):
        if employer_rows[e]["network_status"] == "prospect":
            continue
        for _ in range(py.randint(1, 4)):
            note_rows.append(
                {
                    "employer_id": e + 1,
                    "at": start + timedelta(seconds=int(py.random() * span)),
                    "author": f"rekry.{names.ascii_slug(py.choice(names.SURNAMES))}",
                    "channel": py.choice(("phone", "phone", "email", "visit", "event")),
                    "text": py.choice(names.CRM_NOTES),
                    "needs": [employer_sector[e]],
                }
            )
    crm_note = pd.DataFrame(
        note_rows, columns=["employer_id", "at", "author", "channel", "text", "needs"]
    )
    crm_note.insert(0, "id", np.arange(1, len(crm_note) + 1))

    role = pd.DataFrame(
        {
            "id": np.arange(1, n_roles_total + 1),
            "employer_id": np.array(role_employer) + 1,
            "title": [ROLE_TEMPLATES[r].title for r in role_template],
            "sector": [ROLE_TEMPLATES[r].sector for r in role_template],
            "description": [ROLE_TEMPLATES[r].description for r in role_template],
            # Every seventh role is open as it is (no draw: the rest of the world stays).
            "open_vacancy": np.arange(n_roles_total) % 7 == 3,
            "vacancy_hours": np.where(np.arange(n_roles_total) % 7 == 3, 20.0, np.nan),
        }
    )

    # --- tasks (vectorised over all tasks) -----------------------------------------------------
    n = len(tt)
    demand = template_demand[tt].copy()
    jitter = rng.random((n, _N)) < DEMAND_JITTER
    steps = rng.choice(np.array([-1.0, 1.0]), size=(n, _N))
    demand = np.where(jitter & (demand > 0), np.clip(demand + steps, 0, 4), demand)
    kilograms = template_kg[tt] * rng.uniform(0.8, 1.2, size=(n, 1))
    kilograms = np.where(np.isnan(kilograms), np.nan, np.round(kilograms))

    hours = np.array([templates[i].hours for i in tt]) * rng.uniform(0.6, 1.4, n)
    hours = np.clip(np.round(hours * 2) / 2, 1.0, 40.0)
    schedules: list[list[str]] = []
    n_days = np.empty(n)
    for i in range(n):
        pattern = SCHEDULE_PATTERNS[templates[tt[i]].pattern]
        k = int(min(len(pattern), max(1, np.ceil(hours[i] / 5))))
        slots = sorted(py.sample(pattern, k), key=SLOT_IDS.index)
        schedules.append(slots)
        n_days[i] = len({s.split("-")[0] for s in slots})
    demand[:, _DAILY] = _daily_level(hours / n_days)

    missing = rng.random(n) < MISSING_DEMAND_SHARE
    for i in np.flatnonzero(missing).tolist():
        demand[i, rng.choice(_N, size=py.randint(1, 3), replace=False)] = np.nan
    kilograms = np.where(np.isnan(demand) | (demand == 0), np.nan, kilograms)

    task_type = [
        TaskType.HAND_OVER.value
        if templates[i].task_type is TaskType.HAND_OVER and py.random() < HAND_OVER_SHARE
        else TaskType.CORE.value
        for i in tt
    ]
    accepted = [
        sorted(a for a in templates[i].adjustments if py.random() < ADJUSTMENT_ACCEPTANCE)
        for i in tt
    ]
    sector_of_task = np.array([ROLE_TEMPLATES[keys[i][0]].sector for i in tt])
    elsewhere = np.isin(sector_of_task, ["property_maintenance", "cleaning", "care_assistance"])
    elsewhere &= rng.random(n) < OTHER_PLACE_SHARE
    place_street: list[str | None] = [None] * n
    place_postal: list[str | None] = [None] * n
    place_muni: list[str | None] = [None] * n
    place_lat = np.full(n, np.nan)
    place_lon = np.full(n, np.nan)
    for i in np.flatnonzero(elsewhere).tolist():
        muni = employer_muni[t_employer[i]]
        place_street[i] = f"{py.choice(names.STREETS)} {py.randint(1, 120)}"
        place_postal[i] = f"{names.POSTAL_PREFIX[muni]}{py.randint(0, 9)}0"
        place_muni[i] = muni
        lat, lon = _point(rng, muni, 1)
        place_lat[i], place_lon[i] = lat[0], lon[0]
    seasonal = sector_of_task == "seasonal"

    task = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "role_id": t_role + 1,
            "title": [templates[i].title for i in tt],
            "description": "",
            "kind": [templates[i].kind for i in tt],
            "task_type": task_type,
            "hours_per_week": hours,
            "schedule": schedules,
            "frequency": [templates[i].frequency.value for i in tt],
            "accepted_adjustments": accepted,
            "required_licences": [sorted(templates[i].licences) for i in tt],
            "required_skills": [
                list(templates[i].skills[:1]) if py.random() < 0.3 else [] for i in tt
            ],
            "place_street": place_street,
            "place_postal_code": place_postal,
            "place_municipality": place_muni,
            "place_lat": np.where(elsewhere, place_lat, _NONE),
            "place_lon": np.where(elsewhere, place_lon, _NONE),
            "mentor_available": rng.random(n) < MENTOR_SHARE,
            "season_start": np.where(seasonal, np.array(_SEASON[0], dtype=object), _NONE),
            "season_end": np.where(seasonal, np.array(_SEASON[1], dtype=object), _NONE),
        }
    )

    rows, cols = np.nonzero(~np.isnan(demand))
    cids = np.array(CHARACTERISTIC_IDS, dtype=object)
    kg_long = kilograms[rows, cols]
    task_demand = pd.DataFrame(
        {
            "task_id": rows + 1,
            "characteristic_id": cids[cols],
            "level": demand[rows, cols].astype(np.int16),
            "kilograms": np.where(np.isnan(kg_long), _NONE, kg_long),
        }
    )
    return EmployerWorld(
        employer=employer,
        crm_note=crm_note,
        role=role,
        task=task,
        task_demand=task_demand,
        demand_matrix=demand,
        kilograms=kilograms,
        task_sector=sector_of_task,
        task_employer=t_employer,
    )
