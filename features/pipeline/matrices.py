"""Aligned matrices for the matcher: :class:`PeopleMatrix` and :class:`TaskMatrix`.

:class:`Featurizer` composes the encoders: fitted once on both frames (the skill vocabulary is
shared), it turns a people frame and a task frame into arrays whose columns line up — column
``c`` of ``capacity`` and of ``demand`` is the same characteristic, bit ``b`` of ``schedule``
the same slot, column ``v`` of ``skills`` the same skill.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from features.catalogue import ADJUSTMENTS, CHARACTERISTIC_IDS
from features.matchability import not_matchable_reasons
from features.pipeline.encoders import (
    EXPOSURE,
    AdjustmentEncoder,
    BitSetEncoder,
    CategoryEncoder,
    LevelEncoder,
    MultiHotEncoder,
    adjustment_applicability,
)
from features.pipeline.frames import KG_IDS
from features.typical import typical_demands

__all__ = ["Featurizer", "PeopleMatrix", "TaskMatrix"]

N_CHARACTERISTICS = len(CHARACTERISTIC_IDS)


@dataclass(frozen=True)
class PeopleMatrix:
    """Everything the matcher reads about people; row ``i`` is one person in every array."""

    ids: np.ndarray
    """int64 (n,)"""
    codes: np.ndarray
    """object (n,): pseudonymous codes"""
    capacity: np.ndarray
    """float32 (n, n_characteristics): NaN where unknown"""
    hard: np.ndarray
    """bool (n, n_characteristics): a physician's restriction (hard limit)"""
    recommended: np.ndarray
    """bool (n, n_characteristics): a physician's recommendation (its own tolerance)"""
    capacity_kg: np.ndarray
    """float32 (n, len(KG_IDS)): NaN where unknown"""
    schedule: np.ndarray
    """uint32 (n,): available slots as a bit set"""
    licences: np.ndarray
    """uint32 (n,): licences held as a bit set"""
    hours_min: np.ndarray
    hours_max: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    skills: sparse.csr_matrix
    """(n, n_skills) multi-hot"""
    interest_sectors: np.ndarray
    """bool (n, n_sectors)"""
    interest_kinds: np.ndarray
    """bool (n, n_task_kinds)"""
    matchable: np.ndarray
    """bool (n,): active, with consent to matching"""
    not_matchable_reason: np.ndarray
    """object (n,): '' or why the person may not be matched (a
    :class:`features.matchability.NotMatchable` value)"""
    area: np.ndarray
    shareable: np.ndarray
    """bool (n,): the consent lets employer-facing staff see the person as a candidate"""
    job_coach: np.ndarray
    """bool (n,): the person needs a job coach"""
    wage_subsidy: np.ndarray
    """bool (n,): eligible for wage subsidy"""
    skill_names: tuple[str, ...]
    """the fitted skill vocabulary: column v of ``skills`` is skill_names[v]"""
    row_of: dict[int, int] = field(repr=False)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class TaskMatrix:
    """Everything the matcher reads about tasks; row ``j`` is one task in every array."""

    ids: np.ndarray
    employer_ids: np.ndarray
    role_ids: np.ndarray
    titles: np.ndarray
    demand: np.ndarray
    """float32 (m, n_characteristics): the assessed demand; where the workshop did not rate
    it, the task kind's typical demand (see ``typical``); NaN where neither is known"""
    typical: np.ndarray
    """bool (m, n_characteristics): the demand is the kind's typical one, not assessed"""
    demand_kg: np.ndarray
    """float32 (m, len(KG_IDS))"""
    accepted: np.ndarray
    """bool (m, n_adjustments): adjustments the employer accepts"""
    usable: np.ndarray
    """bool (m, n_adjustments): accepted *and* applicable to the task (its kind, its shifts);
    the only ones the scorer may choose"""
    reduction: np.ndarray
    """int8 (m, n_characteristics): the most the usable adjustments lower each demand"""
    reduction_exposure: np.ndarray
    """int8 (m, n_characteristics): the same, counting only adjustments that change the
    exposure itself (what a physician's restriction is judged against)"""
    demand_floor: np.ndarray
    """float32 (m, n_characteristics): ``demand − reduction``, the lowest each demand can be
    brought by the usable adjustments (NaN where the demand is not known); lets ranking set
    aside at a glance the many tasks whose demands no adjustment brings within reach"""
    accepted_index: np.ndarray
    """int16 (m, max usable): catalogue indices of the usable adjustments, -1 padded"""
    kg_relief: np.ndarray
    """float32 (m, len(KG_IDS)): the lightest load a usable adjustment leaves (inf: none)"""
    schedule: np.ndarray
    licences: np.ndarray
    """uint32 (m,): required licences"""
    hours: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    skills: sparse.csr_matrix
    """(m, n_skills): required skills"""
    sector: np.ndarray
    """int16 (m,) index into the sector list"""
    kind: np.ndarray
    """int16 (m,) index into the task-kind list"""
    hand_over: np.ndarray
    municipality: np.ndarray
    skill_names: tuple[str, ...]
    row_of: dict[int, int] = field(repr=False)

    def __len__(self) -> int:
        return len(self.ids)


def _in_scope(frame: pd.DataFrame, scope: str) -> np.ndarray:
    """bool (n,): the consent's scope names ``scope``."""
    return np.array(
        [isinstance(s, list | tuple | np.ndarray) and scope in s
         for s in frame["consent_scope"].to_numpy()], dtype=bool,
    )  # fmt: skip


def _matchable(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    scope_ok = _in_scope(frame, "matching")
    reason = not_matchable_reasons(
        frame["consent_given_at"].notna().to_numpy(),
        frame["consent_withdrawn_at"].notna().to_numpy(),
        scope_ok,
        (frame["status"] == "active").to_numpy(),
    )
    return reason == "", reason


def accepted_index(accepted: np.ndarray) -> np.ndarray:
    """Per task, the catalogue indices of its accepted adjustments, padded with -1."""
    width = max(1, int(accepted.sum(axis=1).max(initial=0)))
    out = np.full((accepted.shape[0], width), -1, dtype=np.int16)
    rows, cols = np.nonzero(accepted)
    slot = np.arange(len(rows)) - np.searchsorted(rows, rows)  # position within its row
    out[rows, slot] = cols
    return out


def kg_relief(accepted: np.ndarray) -> np.ndarray:
    """(n_tasks, len(KG_IDS)): the lowest load limit among accepted adjustments lowering each
    weight-bearing characteristic; inf where none does."""
    out = np.full((accepted.shape[0], len(KG_IDS)), np.inf, dtype=np.float32)
    for a, adj in enumerate(ADJUSTMENTS.values()):
        if adj.max_kilograms_after is None:
            continue
        for k, cid in enumerate(KG_IDS):
            if cid in adj.lowers:
                rows = accepted[:, a]
                out[rows, k] = np.minimum(out[rows, k], adj.max_kilograms_after)
    return out


class Featurizer:
    """Fit on the catalogue and both frames' skills; transform frames into matrices."""

    def fit(self, people: pd.DataFrame, tasks: pd.DataFrame) -> Featurizer:
        self.capacity_ = LevelEncoder("cap").fit()
        self.hard_ = LevelEncoder("hard", dtype="bool").fit()
        self.recommended_ = LevelEncoder("rec", dtype="bool").fit()
        self.demand_ = LevelEncoder("dem").fit()
        self.slots_ = BitSetEncoder("schedule", "slots").fit()
        self.licences_ = BitSetEncoder("licences", "licences").fit()
        self.required_licences_ = BitSetEncoder("required_licences", "licences").fit()
        self.skills_ = MultiHotEncoder(("skills", "required_skills")).fit([people, tasks])
        self.sectors_ = CategoryEncoder("sectors").fit()
        self.kinds_ = CategoryEncoder("task_kinds").fit()
        self.adjustments_ = AdjustmentEncoder().fit()
        return self

    def people(self, frame: pd.DataFrame) -> PeopleMatrix:
        ids = frame["id"].to_numpy(dtype=np.int64)
        matchable, reason = _matchable(frame)
        return PeopleMatrix(
            ids=ids,
            codes=frame["code"].to_numpy(dtype=object),
            capacity=self.capacity_.transform(frame),
            hard=self.hard_.transform(frame),
            recommended=self.recommended_.transform(frame),
            capacity_kg=frame[[f"capkg:{c}" for c in KG_IDS]].to_numpy(dtype=np.float32),
            schedule=self.slots_.transform(frame),
            licences=self.licences_.transform(frame),
            hours_min=frame["weekly_hours_min"].to_numpy(dtype=np.float32),
            hours_max=frame["weekly_hours_max"].to_numpy(dtype=np.float32),
            lat=frame["lat"].to_numpy(dtype=np.float64),
            lon=frame["lon"].to_numpy(dtype=np.float64),
            skills=self.skills_.transform(frame, "skills"),
            interest_sectors=self.sectors_.transform(frame, "interest_sectors", lists=True),
            interest_kinds=self.kinds_.transform(frame, "interest_task_kinds", lists=True),
            matchable=matchable,
            not_matchable_reason=reason,
            area=frame["area"].to_numpy(dtype=object),
            shareable=_in_scope(frame, "share_with_employers")
            & frame["consent_withdrawn_at"].isna().to_numpy(),
            job_coach=frame["job_coach"].to_numpy(dtype=bool),
            wage_subsidy=frame["wage_subsidy_eligible"].to_numpy(dtype=bool),
            skill_names=tuple(self.skills_.vocabulary_),
            row_of={int(i): r for r, i in enumerate(ids)},
        )

    def tasks(self, frame: pd.DataFrame) -> TaskMatrix:
        ids = frame["id"].to_numpy(dtype=np.int64)
        accepted = self.adjustments_.transform(frame)
        schedule = self.slots_.transform(frame)
        kind = self.kinds_.transform(frame, "kind")
        usable = accepted & adjustment_applicability(kind, schedule)
        assessed = self.demand_.transform(frame)
        typical_of_kind = typical_demands()[kind]
        typical = np.isnan(assessed) & ~np.isnan(typical_of_kind)
        demand = np.where(typical, typical_of_kind, assessed).astype(np.float32)
        reduction = self.adjustments_.reduction(usable)
        return TaskMatrix(
            ids=ids,
            employer_ids=frame["employer_id"].to_numpy(dtype=np.int64),
            role_ids=frame["role_id"].to_numpy(dtype=np.int64),
            titles=frame["title"].to_numpy(dtype=object),
            demand=demand,
            typical=typical,
            demand_kg=frame[[f"demkg:{c}" for c in KG_IDS]].to_numpy(dtype=np.float32),
            accepted=accepted,
            usable=usable,
            reduction=reduction,
            demand_floor=demand - reduction,
            reduction_exposure=self.adjustments_.reduction(usable & EXPOSURE),
            accepted_index=accepted_index(usable),
            kg_relief=kg_relief(usable),
            schedule=schedule,
            licences=self.required_licences_.transform(frame),
            hours=frame["hours_per_week"].to_numpy(dtype=np.float32),
            lat=frame["lat"].to_numpy(dtype=np.float64),
            lon=frame["lon"].to_numpy(dtype=np.float64),
            skills=self.skills_.transform(frame, "required_skills"),
            sector=self.sectors_.transform(frame, "sector"),
            kind=kind,
            hand_over=(frame["task_type"] == "hand_over").to_numpy(),
            municipality=frame["municipality"].to_numpy(dtype=object),
            skill_names=tuple(self.skills_.vocabulary_),
            row_of={int(i): r for r, i in enumerate(ids)},
        )

    def feature_names(self) -> dict[str, list[str]]:
        """Names of every array's columns, for docs and model cards."""
        return {
            "capacity": list(self.capacity_.get_feature_names_out()),
            "demand": list(self.demand_.get_feature_names_out()),
            "skills": list(self.skills_.get_feature_names_out()),
            "accepted": list(self.adjustments_.get_feature_names_out()),
        }
