"""The demo world's hidden truth: how well a person really fits a task, and the chance that
proposing it leads to a hire.

The history generator (:mod:`features.demo.history`) draws every outcome from these same
quantities — the over-demand left on the person's **true** capacity after the employer's
adjustments (a physician's limit never relaxed), the adjustments needed, a missing licence,
the slots and hours, the distance, the interests and the person's motivation — so an
evaluation can be checked against what really makes a proposal succeed, which no recorded
history shows. Never stored and never read by the service: tests, the evaluator's acceptance
suite and notebooks only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from features.demo.employers import EmployerWorld
from features.demo.people import PeopleWorld
from features.geo import haversine_km
from features.pipeline.encoders import AdjustmentEncoder

__all__ = ["OUTCOME_MODEL", "FitContext", "PairFit", "sigmoid", "true_success"]

OUTCOME_MODEL = {
    "person_accepts": {
        "intercept": 1.3,
        "interest": 1.0,
        "motivation": 2.0,
        "km_over_10": -0.04,
        "schedule_miss": -1.5,
        "hours_gap": -0.8,
    },
    "employer_accepts": {
        "intercept": 1.2,
        "over_demand": -0.9,
        "adjustments": -0.35,
        "missing_licence": -2.5,
        "severe": -1.5,
    },
    "hired": {
        "intercept": 0.6,
        "over_demand": -1.1,
        "adjustments": -0.25,
        "motivation": 2.0,
        "severe": -2.0,
        "schedule_miss": -1.0,
        "noise_sd": 0.5,
    },
    "retained_6_months": {
        "intercept": 1.0,
        "over_demand": -0.8,
        "adjustments": -0.2,
        "motivation": 2.0,
        "hours_gap": -0.6,
        "noise_sd": 0.5,
    },
}
"""Logistic models of each step of a proposal, on the true fit (coefficients per feature)."""


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class PairFit:
    """The true fit of (person, task) pairs; arrays of one value per pair."""

    over: np.ndarray
    """Over-demand summed over characteristics, on true capacity, after the adjustments."""
    adjustments: np.ndarray
    """Characteristics an adjustment brings within the person's true capacity."""
    severe: np.ndarray
    """Two levels over anywhere, or a physician's limit exceeded."""
    missing_licence: np.ndarray
    slots_free: np.ndarray
    """The task's slots the person is free for."""
    slots: np.ndarray
    hours: np.ndarray
    km: np.ndarray
    interest: np.ndarray


@dataclass(frozen=True)
class FitContext:
    """A world's arrays the true fit is computed from (rows, not ids: person id = row + 1,
    task id = row + 1)."""

    demand: np.ndarray
    adjusted: np.ndarray
    true_capacity: np.ndarray
    hard: np.ndarray
    person_licences: np.ndarray
    person_slots: np.ndarray
    home_lat: np.ndarray
    home_lon: np.ndarray
    interest_sectors: np.ndarray
    interest_kinds: np.ndarray
    hours_min: np.ndarray
    hours_max: np.ndarray
    motivation: np.ndarray
    task_licences: np.ndarray
    task_slots: np.ndarray
    task_hours: np.ndarray
    task_lat: np.ndarray
    task_lon: np.ndarray
    task_sector: np.ndarray
    task_kind: np.ndarray

    @classmethod
    def of(cls, employers: EmployerWorld, people: PeopleWorld) -> FitContext:
        task, person = employers.task, people.jobseeker
        demand = np.nan_to_num(employers.demand_matrix, nan=0.0)
        encoder = AdjustmentEncoder().fit()
        adjusted = np.maximum(demand - encoder.reduction(encoder.transform(task)), 0.0)
        e_lat = employers.employer["lat"].to_numpy()[employers.task_employer]
        e_lon = employers.employer["lon"].to_numpy()[employers.task_employer]
        return cls(
            demand=demand,
            adjusted=adjusted,
            true_capacity=people.true_capacity,
            hard=people.hard_limit,
            person_licences=person["licences"].to_numpy(),
            person_slots=person["schedule"].to_numpy(),
            home_lat=person["lat"].to_numpy(),
            home_lon=person["lon"].to_numpy(),
            interest_sectors=person["interest_sectors"].to_numpy(),
            interest_kinds=person["interest_task_kinds"].to_numpy(),
            hours_min=person["weekly_hours_min"].to_numpy(),
            hours_max=person["weekly_hours_max"].to_numpy(),
            motivation=people.motivation,
            task_licences=task["required_licences"].to_numpy(),
            task_slots=task["schedule"].to_numpy(),
            task_hours=task["hours_per_week"].to_numpy(),
            task_lat=np.where(task["place_lat"].isna(), e_lat, task["place_lat"].astype(float)),
            task_lon=np.where(task["place_lon"].isna(), e_lon, task["place_lon"].astype(float)),
            task_sector=employers.task_sector,
            task_kind=task["kind"].to_numpy(),
        )

    def pair_fit(self, person_rows: np.ndarray, task_rows: np.ndarray) -> PairFit:
        """The true fit of each (person row, task row) pair."""
        p, t = np.asarray(person_rows), np.asarray(task_rows)
        cap, hard, d = self.true_capacity[p], self.hard[p], self.demand[t]
        d_adj = np.where(hard, d, self.adjusted[t])
        over = np.maximum(d_adj - cap, 0)
        raw = np.maximum(d - cap, 0)
        pairs = list(zip(p, t, strict=True))
        free = [sum(s in self.person_slots[i] for s in self.task_slots[j]) for i, j in pairs]
        missing = [
            bool(set(self.task_licences[j]) - set(self.person_licences[i])) for i, j in pairs
        ]
        interest = [
            self.task_sector[j] in self.interest_sectors[i]
            or self.task_kind[j] in self.interest_kinds[i]
            for i, j in pairs
        ]
        return PairFit(
            over=over.sum(axis=1),
            adjustments=((raw > 0) & (over == 0)).sum(axis=1).astype(float),
            severe=(over.max(axis=1, initial=0) >= 2) | (hard & (d > cap)).any(axis=1),
            missing_licence=np.array(missing, dtype=bool),
            slots_free=np.array(free, dtype=float),
            slots=np.array([len(self.task_slots[j]) for j in t], dtype=float),
            hours=self.task_hours[t].astype(float),
            km=haversine_km(self.home_lat[p], self.home_lon[p], self.task_lat[t], self.task_lon[t]),
            interest=np.array(interest, dtype=bool),
        )


def predictors(
    over: np.ndarray,
    adjustments: np.ndarray,
    severe: np.ndarray,
    missing_licence: np.ndarray,
    schedule_miss: np.ndarray,
    hours_gap: np.ndarray,
    km: np.ndarray,
    interest: np.ndarray,
    motivation: np.ndarray,
) -> dict[str, dict[str, np.ndarray]]:
    """Each outcome model's inputs, by the names ``OUTCOME_MODEL`` gives them."""
    motivated = motivation - 0.6
    return {
        "person_accepts": {"interest": interest.astype(float), "motivation": motivated,
                           "km_over_10": np.maximum(0, km - 10),
                           "schedule_miss": schedule_miss, "hours_gap": hours_gap},
        "employer_accepts": {"over_demand": over, "adjustments": adjustments,
                             "missing_licence": missing_licence.astype(float),
                             "severe": severe.astype(float)},
        "hired": {"over_demand": over, "adjustments": adjustments, "motivation": motivated,
                  "severe": severe.astype(float), "schedule_miss": schedule_miss},
        "retained_6_months": {"over_demand": over, "adjustments": adjustments,
                              "motivation": motivated, "hours_gap": hours_gap},
    }  # fmt: skip


def linear(model: str, inputs: dict[str, np.ndarray], n: int) -> np.ndarray:
    """The model's linear predictor (before its noise)."""
    c = OUTCOME_MODEL[model]
    z = np.full(n, c["intercept"])
    for name, value in inputs.items():
        z = z + c[name] * value
    return z


def hours_gap(hours: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return np.maximum(0, hours - high) / 5 + np.maximum(0, low - hours) / 20


def true_success(context: FitContext, person_ids: np.ndarray, task_ids: np.ndarray) -> np.ndarray:
    """The chance that proposing each (person, task) pair leads to a hire: the person accepts,
    the employer accepts, and the trial (or the direct start) ends in a hire — the product of
    the three models' probabilities, the hire's noise averaged out (probit approximation)."""
    p, t = np.asarray(person_ids) - 1, np.asarray(task_ids) - 1
    fit = context.pair_fit(p, t)
    x = predictors(
        fit.over, fit.adjustments, fit.severe, fit.missing_licence,
        1 - fit.slots_free / np.maximum(fit.slots, 1),
        hours_gap(fit.hours, context.hours_min[p], context.hours_max[p]),
        fit.km, fit.interest, context.motivation[p],
    )  # fmt: skip
    n = len(p)
    noise = OUTCOME_MODEL["hired"]["noise_sd"]
    hired = sigmoid(linear("hired", x["hired"], n) / np.sqrt(1 + np.pi * noise**2 / 8))
    return (
        sigmoid(linear("person_accepts", x["person_accepts"], n))
        * sigmoid(linear("employer_accepts", x["employer_accepts"], n))
        * hired
    )
