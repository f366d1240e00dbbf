"""Small worlds for matcher tests: random ones (a Hypothesis strategy) and known-answer ones."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from features.catalogue import (
    CHARACTERISTIC_IDS,
    LICENCES,
    SECTORS,
    SLOT_IDS,
    TASK_KINDS,
)
from features.pipeline.frames import people_frame_from_profiles, task_frame_from_tasks
from features.pipeline.matrices import Featurizer, PeopleMatrix, TaskMatrix
from features.schemas import JobseekerProfile, Task

LAHTI = (60.9827, 25.6615)
SKILLS = ("siivous", "astianpesu", "kassatyö", "trukki", "some")
# A few characteristics carry most of the action, so random pairs are often borderline.
# Adjustments that lower the focus characteristics (and one that does not).
HELPFUL = (
    "sit_stand_stool",
    "lifting_aid",
    "trolley",
    "back_office_variant",
    "hearing_protection",
    "no_time_pressure",
    "picture_instructions",
    "flexible_breaks",
    "task_rotation",
    "work_pair",
    "quiet_workspace",
    "vision_aids",
    "job_coach_first_weeks",
    "day_shifts_only",
    "sit_stand_desk",
)
FOCUS = ("standing", "lifting", "carrying", "customer_contact", "noise", "work_pace",
         "reading", "uninterrupted_work", "irregular_hours", "learning_new")  # fmt: skip
KINDS = ("cleaning", "dishwashing", "serving", "shelf_stocking", "cashier_customer_service",
         "delivery_driving", "data_entry", "laundry_textiles")  # fmt: skip
"""Kinds where different adjustments apply (a stool at a station, a desk at a desk, …)."""


@dataclass
class SmallWorld:
    people_frame: pd.DataFrame
    task_frame: pd.DataFrame
    people: PeopleMatrix
    tasks: TaskMatrix


def featurize(people_frame: pd.DataFrame, task_frame: pd.DataFrame) -> SmallWorld:
    featurizer = Featurizer().fit(people_frame, task_frame)
    return SmallWorld(people_frame, task_frame, featurizer.people(people_frame),
                      featurizer.tasks(task_frame))  # fmt: skip


def profile(
    code: str,
    capacities: dict[str, dict],
    *,
    schedule: list[str] | None = None,
    hours: tuple[float, float] = (5, 30),
    licences: list[str] | None = None,
    skills: list[str] | None = None,
    sectors: list[str] | None = None,
    kinds: list[str] | None = None,
    consent: bool = True,
    status: str = "active",
    coordinates: tuple[float, float] = LAHTI,
) -> JobseekerProfile:
    return JobseekerProfile(
        code=code,
        municipality="Lahti",
        coordinates={"lat": coordinates[0], "lon": coordinates[1]},
        availability={"weekly_hours_min": hours[0], "weekly_hours_max": hours[1],
                      "schedule": schedule or list(SLOT_IDS)},
        capacities=capacities,
        licences=licences or [],
        skills=skills or [],
        interest_sectors=sectors or [],
        interest_task_kinds=kinds or [],
        consent={"given_at": "2026-01-01T00:00:00Z", "scope": ["matching"]} if consent else None,
        coordinator="koord.test",
        area="PH-Lahti",
        status=status,
    )  # fmt: skip


def rating(
    level: int, *, hard: bool = False, kg: float | None = None, recommended: bool = False
) -> dict:
    return {"level": level, "source": "physician" if hard or recommended else "coordinator",
            "assessed_on": "2026-01-01", "hard_limit": hard, "recommended": recommended,
            "kilograms": kg}  # fmt: skip


@st.composite
def capacities(draw: st.DrawFn) -> dict[str, dict]:
    out = {}
    for cid in CHARACTERISTIC_IDS:
        if draw(st.integers(0, 9)) == 0:
            continue  # unknown
        level = draw(
            st.sampled_from([0, 1, 2, 3, 4, 4, 4, 4]) if cid in FOCUS else st.integers(2, 4)
        )
        statement = draw(st.integers(0, 9)) if cid in FOCUS else 5
        hard, recommended = statement == 0, statement == 1
        kg = None
        if cid in ("lifting", "carrying") and level > 0 and draw(st.booleans()):
            kg = float(draw(st.sampled_from([5, 8, 10, 15, 25])))
        out[cid] = rating(level, hard=hard, kg=kg, recommended=recommended)
    return out


@st.composite
def tasks_strategy(draw: st.DrawFn) -> Task:
    demands = {}
    loaded = draw(st.lists(st.sampled_from(FOCUS), max_size=3, unique=True))
    for cid in CHARACTERISTIC_IDS:
        if draw(st.integers(0, 14)) == 0:
            continue  # not assessed
        if cid in FOCUS:
            demands[cid] = draw(st.integers(1, 4)) if cid in loaded else 0
        else:
            demands[cid] = draw(st.integers(0, 2))
    kg = {}
    for cid in ("lifting", "carrying"):
        if demands.get(cid, 0) > 0 and draw(st.booleans()):
            kg[cid] = float(draw(st.sampled_from([5, 8, 12, 20])))
    slots = draw(st.lists(st.sampled_from(SLOT_IDS[:16]), min_size=1, max_size=3, unique=True))
    return Task(
        title="Tehtävä",
        kind=draw(st.sampled_from(KINDS)),
        task_type=draw(st.sampled_from(["hand_over", "hand_over", "core"])),
        hours_per_week=float(draw(st.integers(1, 20))),
        schedule=slots,
        frequency="daily",
        demands=demands,
        demand_kilograms=kg,
        accepted_adjustments=draw(st.lists(st.sampled_from(HELPFUL), max_size=4, unique=True)),
        required_licences=[]
        if draw(st.integers(0, 3))
        else [draw(st.sampled_from(LICENCES.ids[:3]))],
        required_skills=draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True)),
    )


EDGE_KM = 40.0
"""The default rule set's radius: people placed on it sit exactly at the edge of reach."""


def _point_at(origin: tuple[float, float], km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` from ``origin`` along ``bearing`` (radians) on the sphere."""
    from features.geo import EARTH_RADIUS_KM

    lat1, lon1 = np.radians(origin[0]), np.radians(origin[1])
    d = km / EARTH_RADIUS_KM
    lat2 = np.arcsin(np.sin(lat1) * np.cos(d) + np.cos(lat1) * np.sin(d) * np.cos(bearing))
    lon2 = lon1 + np.arctan2(np.sin(bearing) * np.sin(d) * np.cos(lat1),
                             np.cos(d) - np.sin(lat1) * np.sin(lat2))  # fmt: skip
    return float(np.degrees(lat2)), float(np.degrees(lon2))


@st.composite
def _mirror(draw: st.DrawFn, code: str, task: Task, where: tuple[float, float]) -> JobseekerProfile:
    """A person on the edges of ``task``: capacities equal to its demands (or one below, the
    tolerance's edge), kilograms equal to its loads, weekly hours whose maximum is its hours,
    restrictions where its demand is only the kind's typical one, and a home on the radius."""
    caps = {}
    for cid in CHARACTERISTIC_IDS:
        kg = task.demand_kilograms.get(cid)
        if cid in task.demands:
            level = max(0, task.demands[cid] - draw(st.sampled_from([0, 0, 1])))
            statement = draw(st.integers(0, 5))
            caps[cid] = rating(level, hard=statement == 0, recommended=statement == 1,
                               kg=kg if level > 0 else None)  # fmt: skip
        elif draw(st.integers(0, 2)) == 0:  # unassessed: a restriction meets a typical demand
            caps[cid] = rating(draw(st.integers(0, 2)), hard=True)
    bearing = draw(st.floats(0, 2 * np.pi))
    km = EDGE_KM + draw(st.sampled_from([0.0, 0.0, -1e-6, 1e-6, -5.0]))
    return profile(
        code, caps,
        schedule=sorted(set(task.schedule) | set(draw(st.lists(st.sampled_from(SLOT_IDS[:12]),
                                                               max_size=4)))),
        hours=(float(draw(st.integers(0, int(task.hours_per_week)))), task.hours_per_week),
        licences=list(task.required_licences), skills=list(task.required_skills),
        kinds=draw(st.sampled_from([[], [task.kind]])),
        consent=draw(st.integers(0, 7)) > 0,
        coordinates=_point_at(where, km, bearing),
    )  # fmt: skip


@st.composite
def small_worlds(draw: st.DrawFn, max_people: int = 4, max_tasks: int = 6) -> SmallWorld:
    """A random world biased toward the edges of every rule: besides random people, people who
    mirror a task (capacities equal to its demands or one below, its loads, its hours as their
    maximum, a restriction against a typical demand, a home exactly on the radius), copies of
    another person and of another task (ties), and tasks at one place."""
    tasks = draw(st.lists(tasks_strategy(), min_size=1, max_size=max_tasks))
    if len(tasks) < max_tasks and draw(st.integers(0, 3)) == 0:
        tasks.append(tasks[draw(st.integers(0, len(tasks) - 1))])  # a tie among tasks
    n = len(tasks)
    lat = [LAHTI[0] + draw(st.floats(-0.3, 0.3)) for _ in range(n)]
    lon = [LAHTI[1] + draw(st.floats(-0.5, 0.5)) for _ in range(n)]
    sectors = [draw(st.sampled_from(SECTORS.ids[:4])) for _ in range(n)]
    n_people = draw(st.integers(1, max_people))
    profiles: list[JobseekerProfile] = []
    for p in range(n_people):
        code = f"JS-{p:04d}"
        kind = draw(st.sampled_from(["random", "random", "mirror", "copy"] if p else
                                    ["random", "mirror"]))  # fmt: skip
        if kind == "mirror":
            t = draw(st.integers(0, n - 1))
            profiles.append(draw(_mirror(code, tasks[t], (lat[t], lon[t]))))
        elif kind == "copy":
            profiles.append(profiles[draw(st.integers(0, p - 1))].model_copy(update={"code": code}))
        else:
            profiles.append(profile(
                code,
                draw(capacities()),
                schedule=draw(st.lists(st.sampled_from(SLOT_IDS[:12]), min_size=6, max_size=12,
                                       unique=True)),
                hours=(float(draw(st.integers(0, 10))), float(draw(st.integers(10, 30)))),
                licences=draw(st.lists(st.sampled_from(LICENCES.ids[:3]), max_size=2,
                                       unique=True)),
                skills=draw(st.lists(st.sampled_from(SKILLS), max_size=3, unique=True)),
                sectors=draw(st.lists(st.sampled_from(SECTORS.ids[:4]), max_size=2, unique=True)),
                kinds=draw(st.lists(st.sampled_from(TASK_KINDS.ids[:5]), max_size=2, unique=True)),
                consent=draw(st.integers(0, 7)) > 0,
                coordinates=(LAHTI[0] + draw(st.floats(-0.3, 0.3)),
                             LAHTI[1] + draw(st.floats(-0.5, 0.5))),
            ))  # fmt: skip
    return featurize(
        people_frame_from_profiles(profiles),
        task_frame_from_tasks(tasks, sector=sectors, lat=lat, lon=lon,
                              employer_id=[1 + t % 2 for t in range(n)]),
    )  # fmt: skip


def checkerboard(n: int = 5) -> SmallWorld:
    """Person i can do task i and no other: task j demands 3 everywhere except on
    characteristic j (0); person i can do 4 everywhere except characteristic i (0)."""
    chars = CHARACTERISTIC_IDS[:n]
    profiles = [
        profile(f"JS-CB{i:03d}", {c: rating(0 if c == chars[i] else 4) for c in CHARACTERISTIC_IDS})
        for i in range(n)
    ]
    tasks = [
        Task(title=f"Task {j}", kind="cleaning", task_type="hand_over", hours_per_week=4,
             schedule=["mon-morning"], frequency="weekly",
             demands={c: (0 if c == chars[j] else 3) if c in chars else 0
                      for c in CHARACTERISTIC_IDS})
        for j in range(n)
    ]  # fmt: skip
    return featurize(
        people_frame_from_profiles(profiles),
        task_frame_from_tasks(tasks, sector="cleaning", lat=LAHTI[0], lon=LAHTI[1]),
    )


def all_pairs(world: SmallWorld) -> tuple[np.ndarray, np.ndarray]:
    n, m = len(world.people), len(world.tasks)
    return np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
