"""Jobseekers for the demo world, drawn from the client groups of the domain documents.

Each person has a *true* capacity profile (never stored: it drives the simulated outcomes) and
a *recorded* one, which is what a coordinator would have: the true level plus assessment noise
that depends on the source (self-assessments are the noisiest, physicians' statements the
least), with some characteristics not yet assessed at all.

True capacity starts high for everyone and is lowered where the person's client group typically
has limitations (``CLIENT_GROUPS``), plus one or two individual limitations, so that profiles
are coherent: a person with a musculoskeletal limitation stands and lifts little and often has a
physician's hard limit; a young person with anxiety finds strangers, conflicts and time pressure
hard; a language learner reads Finnish little.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from features.catalogue import (
    CHARACTERISTIC_IDS,
    CHARACTERISTICS,
    LICENCES,
    MUNICIPALITIES,
    SLOT_IDS,
)
from features.catalogue.characteristics import characteristic_index
from features.demo import names
from features.demo.employers import MUNICIPALITY_WEIGHTS
from features.demo.templates import ROLE_TEMPLATES, SCHEDULE_PATTERNS

__all__ = ["CLIENT_GROUPS", "ClientGroup", "PeopleWorld", "generate_people"]

_NONE = np.array(None, dtype=object)
"""NULL in a column of numbers: ``np.where`` with it gives an object column (None → NULL)."""

_N = len(CHARACTERISTIC_IDS)


@dataclass(frozen=True, slots=True)
class ClientGroup:
    id: str
    weight: float
    age: tuple[int, int]
    limits: dict[str, float]
    """Mean reduction of true capacity per characteristic, in levels."""
    hours: tuple[tuple[float, float], tuple[float, float]]
    """Ranges for weekly hours min and max."""
    sectors: tuple[str, ...]


CLIENT_GROUPS: tuple[ClientGroup, ...] = (
    ClientGroup(
        "young_mental_health",
        0.26,
        (18, 29),
        {
            "customer_contact": 2.0,
            "conflict_situations": 2.2,
            "handling_stress": 2.0,
            "work_pace": 1.6,
            "keeping_agreed_times": 1.5,
            "handling_change": 1.2,
            "teamwork": 1.0,
            "irregular_hours": 1.2,
            "uninterrupted_work": 0.8,
        },
        ((8, 15), (15, 30)),
        ("yard_green", "recycling", "culture", "ict", "logistics"),
    ),
    ClientGroup(
        "neuropsychiatric",
        0.16,
        (18, 35),
        {
            "attention": 1.5,
            "multitasking": 2.2,
            "handling_change": 2.0,
            "noise": 2.0,
            "customer_contact": 1.2,
            "keeping_agreed_times": 1.2,
            "work_pace": 1.0,
        },
        ((10, 15), (15, 30)),
        ("ict", "logistics", "recycling", "office_support", "industry"),
    ),
    ClientGroup(
        "learning_difficulties",
        0.10,
        (18, 40),
        {
            "reading": 2.0,
            "writing": 2.2,
            "calculation": 2.0,
            "learning_new": 1.6,
            "problem_solving": 1.6,
            "memory": 1.2,
            "digital_skills": 1.4,
            "multitasking": 1.2,
        },
        ((15, 20), (20, 30)),
        ("kitchen_catering", "cleaning", "logistics", "yard_green"),
    ),
    ClientGroup(
        "musculoskeletal",
        0.20,
        (30, 62),
        {
            "standing": 2.0,
            "walking": 1.6,
            "kneeling_squatting": 2.4,
            "bending": 2.0,
            "lifting": 2.2,
            "carrying": 2.0,
            "climbing": 2.0,
            "overhead_work": 1.6,
            "repetitive_hand_arm": 1.2,
            "vibration": 1.5,
            "sitting": 1.0,
            "uninterrupted_work": 1.4,
            "daily_working_time": 1.0,
        },
        ((10, 20), (20, 30)),
        ("office_support", "retail", "transport", "ict", "errands"),
    ),
    ClientGroup(
        "long_term_unemployed",
        0.16,
        (40, 63),
        {
            "digital_skills": 1.6,
            "work_pace": 1.2,
            "learning_new": 1.0,
            "handling_change": 1.0,
            "lifting": 0.8,
            "daily_working_time": 0.6,
        },
        ((20, 30), (30, 37.5)),
        ("property_maintenance", "cleaning", "retail", "transport", "care_assistance"),
    ),
    ClientGroup(
        "language_learner",
        0.12,
        (20, 55),
        {"finnish_language": 2.4, "reading": 1.8, "writing": 2.0, "customer_contact": 0.8},
        ((20, 30), (30, 37.5)),
        ("cleaning", "kitchen_catering", "logistics", "care_assistance", "industry"),
    ),
)

PARTIAL_PROFILE_SHARE = 0.25
"""People whose profile is only partly assessed (a fifth to three fifths of it missing)."""
SPARSE_PROFILE_SHARE = 0.04
"""New clients with only a handful of ratings."""
CONSENT_SHARE = 0.92
WITHDRAWN_SHARE = 0.03
_SOURCE_NOISE = {"self_assessment": 0.65, "coordinator": 0.4, "physician": 0.15}
_LICENCE_SHARE = {
    "driving_b": 0.55,
    "driving_c": 0.04,
    "driving_d": 0.02,
    "taxi_driver": 0.01,
    "hygiene_passport": 0.3,
    "alcohol_passport": 0.08,
    "occupational_safety_card": 0.15,
    "forklift": 0.06,
    "first_aid": 0.2,
    "hot_work": 0.03,
    "electrical_safety": 0.02,
    "road_safety": 0.03,
    "security_guard": 0.02,
    "medication_care": 0.03,
    "tractor_t": 0.03,
}
_PHYSICAL = [
    c.id
    for c in CHARACTERISTICS.values()
    if c.group.value in ("posture_mobility", "manual_handling") and c.id != "driving"
]


@dataclass(frozen=True)
class PeopleWorld:
    jobseeker: pd.DataFrame
    jobseeker_identity: pd.DataFrame
    jobseeker_demographics: pd.DataFrame
    capacity: pd.DataFrame
    true_capacity: np.ndarray
    """(n_people, n_characteristics): what the person can really do (not stored)."""
    recorded_capacity: np.ndarray
    """(n_people, n_characteristics): the stored ratings, NaN where not assessed."""
    hard_limit: np.ndarray
    """(n_people, n_characteristics) bool."""
    motivation: np.ndarray
    """(n_people,) in 0–1: drives the simulated outcomes (not stored)."""
    group: np.ndarray
    consent_given_at: np.ndarray
    """(n_people,) datetime or None."""


def _skills_by_kind() -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for role in ROLE_TEMPLATES:
        for task in role.tasks:
            out.setdefault(task.kind, set()).update(task.skills)
    return {k: sorted(v) for k, v in out.items()}


def _kinds_by_sector() -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for role in ROLE_TEMPLATES:
        out.setdefault(role.sector, set()).update(t.kind for t in role.tasks)
    return {k: sorted(v) for k, v in out.items()}


def generate_people(
    rng: np.random.Generator, py: random.Random, n_people: int, as_of: date
) -> PeopleWorld:
    weights = np.array([g.weight for g in CLIENT_GROUPS])
    group_idx = rng.choice(len(CLIENT_GROUPS), size=n_people, p=weights / weights.sum())

    # --- true capacity: high baseline, lowered by group limits and individual ones -----------
    true = rng.normal(3.6, 0.45, size=(n_people, _N))
    for g, group in enumerate(CLIENT_GROUPS):
        rows = np.flatnonzero(group_idx == g)
        for cid, mean in group.limits.items():
            c = characteristic_index(cid)
            true[rows, c] -= np.clip(rng.normal(mean, 0.8, len(rows)), 0, None)
    extra = rng.integers(0, 3, n_people)
    for i in np.flatnonzero(extra).tolist():
        true[i, rng.choice(_N, size=extra[i], replace=False)] -= rng.uniform(1, 2.5, extra[i])
    true = np.clip(np.rint(true), 0, 4)

    # --- who assessed what, and the recorded ratings --------------------------------------------
    source = rng.choice(
        np.array(["self_assessment", "coordinator"]), size=(n_people, _N), p=[0.55, 0.45]
    )
    hard = np.zeros((n_people, _N), dtype=bool)
    physical_idx = np.array([characteristic_index(c) for c in _PHYSICAL])
    musculo = CLIENT_GROUPS.index(next(g for g in CLIENT_GROUPS if g.id == "musculoskeletal"))
    for i in range(n_people):
        if group_idx[i] == musculo or py.random() < 0.05:
            k = py.randint(1, 3) if group_idx[i] == musculo else 1
            # The physician restricts what is most limited.
            order = physical_idx[np.argsort(true[i, physical_idx], kind="stable")][:k]
            source[i, order] = "physician"
            hard[i, order] = py.random() < 0.8
    noise_sd = np.vectorize(_SOURCE_NOISE.get)(source)
    recorded = np.clip(np.rint(true + rng.normal(0, 1, true.shape) * noise_sd), 0, 4)
    recorded[hard] = true[hard]

    missing = np.zeros((n_people, _N), dtype=bool)
    partial = rng.random(n_people) < PARTIAL_PROFILE_SHARE
    sparse = rng.random(n_people) < SPARSE_PROFILE_SHARE
    share = rng.uniform(0.2, 0.6, n_people)
    missing[partial] = rng.random((int(partial.sum()), _N)) < share[partial, None]
    missing[sparse] = rng.random((int(sparse.sum()), _N)) < 0.85
    missing &= source != "physician"
    recorded = np.where(missing, np.nan, recorded)

    # --- availability -------------------------------------------------------------------------
    hours_min: np.ndarray = np.empty(n_people)
    hours_max: np.ndarray = np.empty(n_people)
    for g, group in enumerate(CLIENT_GROUPS):
        rows = group_idx == g
        (lo0, lo1), (hi0, hi1) = group.hours
        hours_min[rows] = rng.uniform(lo0, lo1, rows.sum())
        hours_max[rows] = rng.uniform(hi0, hi1, rows.sum())
    gig = rng.random(n_people) < 0.05
    hours_max[gig] = rng.uniform(4, 8, gig.sum())
    hours_min = np.round(np.minimum(hours_min, hours_max * 0.6))
    hours_max = np.round(hours_max * 2) / 2
    hours_min = np.minimum(hours_min, hours_max)

    skills_by_kind = _skills_by_kind()
    kinds_by_sector = _kinds_by_sector()
    munis = list(MUNICIPALITY_WEIGHTS)
    muni_p = np.array([MUNICIPALITY_WEIGHTS[m] for m in munis])
    home = rng.choice(len(munis), size=n_people, p=muni_p)
    codes = rng.choice(36**6, size=n_people, replace=False)
    as_of_dt = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    daily = characteristic_index("daily_working_time")

    rows_out, identity_rows, demographic_rows = [], [], []
    consent_given = np.empty(n_people, dtype=object)
    motivation = rng.beta(5, 3, n_people)
    for i in range(n_people):
        group = CLIENT_GROUPS[group_idx[i]]
        muni = munis[home[i]]
        m = MUNICIPALITIES[muni]
        days = ["mon", "tue", "wed", "thu", "fri"]
        slots = [f"{d}-{p}" for d in days for p in ("morning", "afternoon") if py.random() < 0.8]
        if py.random() < 0.3:
            slots += list(SCHEDULE_PATTERNS["wd-eve"])
        if py.random() < 0.2:
            slots += list(SCHEDULE_PATTERNS["we-day"])
        if py.random() < 0.05:
            slots += list(SCHEDULE_PATTERNS["night"])
        slots = sorted(set(slots), key=SLOT_IDS.index) or ["mon-morning"]
        n_days = len({s.split("-")[0] for s in slots})
        if not np.isnan(recorded[i, daily]) and hours_max[i] / n_days < 4:
            recorded[i, daily] = min(recorded[i, daily], 1)
        interest_sectors = sorted(set(py.sample(group.sectors, py.randint(1, 3))))
        kinds_pool = sorted({k for s in interest_sectors for k in kinds_by_sector.get(s, [])})
        interest_kinds = sorted(py.sample(kinds_pool, min(len(kinds_pool), py.randint(1, 4))))
        skill_pool = sorted({s for k in interest_kinds for s in skills_by_kind.get(k, [])})
        skills = sorted(py.sample(skill_pool, min(len(skill_pool), py.randint(0, 3))))
        licences = sorted(x for x in LICENCES.ids if py.random() < _LICENCE_SHARE[x])
        birth_year = as_of.year - py.randint(*group.age)
        learner = group.id == "language_learner"
        tongue = (
            py.choice(names.MOTHER_TONGUES_OTHER)
            if learner
            else py.choices(["fi", "sv", "ru"], [0.95, 0.03, 0.02])[0]
        )
        languages = [{"language": tongue, "level": "native"}]
        if tongue != "fi":
            languages.append({"language": "fi", "level": py.choice(["A1", "A2", "B1", "B2"])})
        if birth_year > as_of.year - 35 and tongue != "en" and py.random() < 0.6:
            languages.append({"language": "en", "level": py.choice(["A2", "B1", "B2", "C1"])})
        consent_at = withdrawn = None
        scope = None
        if py.random() < CONSENT_SHARE:
            consent_at = as_of_dt - timedelta(days=py.randint(30, 1000))
            scope = sorted(
                ["matching", "share_with_employers"] + (["evaluation"] if py.random() < 0.7 else [])
            )
            if py.random() < WITHDRAWN_SHARE:
                withdrawn = consent_at + (as_of_dt - consent_at) * py.random()
        consent_given[i] = consent_at
        gender = py.choices(["female", "male", "other", "undisclosed"], [0.48, 0.48, 0.01, 0.03])[0]
        first_pool = names.FIRST_NAMES_FEMALE if gender == "female" else names.FIRST_NAMES_MALE
        first, last = py.choice(first_pool), py.choice(names.SURNAMES)
        area = m.region if m.region != "Päijät-Häme" else f"PH-{muni}"
        rows_out.append(
            {
                "id": i + 1,
                "code": "JS-" + np.base_repr(int(codes[i]), 36).rjust(6, "0"),
                "municipality": muni,
                "lat": float(m.lat + rng.normal(0, 0.03)),
                "lon": float(m.lon + rng.normal(0, 0.05)),
                "weekly_hours_min": float(hours_min[i]),
                "weekly_hours_max": float(hours_max[i]),
                "schedule": slots,
                "earliest_start": as_of + timedelta(days=py.randint(0, 60))
                if py.random() < 0.2
                else None,
                "skills": skills,
                "licences": licences,
                "languages": languages,
                "education_level": py.choices(
                    [
                        "none",
                        "basic",
                        "upper_secondary_general",
                        "vocational",
                        "bachelor",
                        "master",
                    ],
                    [0.04, 0.3, 0.12, 0.42, 0.09, 0.03],
                )[0],
                "interest_sectors": interest_sectors,
                "interest_task_kinds": interest_kinds,
                "goals": py.choice(names.GOALS),
                "job_coach": py.random() < 0.35,
                "wage_subsidy_eligible": py.random() < 0.6,
                "consent_given_at": consent_at,
                "consent_scope": scope,
                "consent_withdrawn_at": withdrawn,
                "coordinator": f"koord.{area.lower()}.{i // 25 % 8 + 1}",
                # Fewer work-ability coordinators, each with more people (no draw: the rest
                # of the world stays as it was).
                "work_ability_coordinator": f"tyokyky.{area.lower()}.{i // 40 % 5 + 1}",
                "area": area,
                "status": py.choices(["active", "paused", "placed"], [0.8, 0.1, 0.1])[0],
            }
        )
        identity_rows.append(
            {
                "jobseeker_id": i + 1,
                "name": f"{first} {last}",
                "email": (
                    f"{names.ascii_slug(first)}.{names.ascii_slug(last)}.{i + 1}@client.example"
                ),
                "phone": f"+358 50 {py.randint(100, 999)} {py.randint(1000, 9999)}",
            }
        )
        demographic_rows.append(
            {
                "jobseeker_id": i + 1,
                "birth_year": birth_year,
                "gender": gender,
                "mother_tongue": tongue,
            }
        )

    # --- capacity rows (long form) ------------------------------------------------------------
    rows, cols = np.nonzero(~np.isnan(recorded))
    levels = recorded[rows, cols].astype(np.int16)
    kg_index = {characteristic_index(c.id) for c in CHARACTERISTICS.values() if c.has_kilograms}
    kg_for_level = np.array([np.nan, 5.0, 10.0, 18.0, 30.0])
    kilograms = np.where(np.isin(cols, list(kg_index)), kg_for_level[levels], np.nan)
    assessed = np.array(
        [as_of - timedelta(days=int(d)) for d in rng.integers(10, 700, len(rows))], dtype=object
    )
    capacity = pd.DataFrame(
        {
            "jobseeker_id": rows + 1,
            "characteristic_id": np.array(CHARACTERISTIC_IDS, dtype=object)[cols],
            "level": levels,
            "source": source[rows, cols],
            "assessed_on": assessed,
            "hard_limit": hard[rows, cols],
            "recommended": np.zeros(len(rows), dtype=bool),
            "kilograms": np.where(np.isnan(kilograms), _NONE, kilograms),
        }
    )
    return PeopleWorld(
        jobseeker=pd.DataFrame(rows_out),
        jobseeker_identity=pd.DataFrame(identity_rows),
        jobseeker_demographics=pd.DataFrame(demographic_rows),
        capacity=capacity,
        true_capacity=true,
        recorded_capacity=recorded,
        hard_limit=hard,
        motivation=motivation,
        group=np.array([CLIENT_GROUPS[g].id for g in group_idx]),
        consent_given_at=consent_given,
    )
