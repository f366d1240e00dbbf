"""The learned re-ranker: predicts a successful outcome (hired, or employed after six months)
from a pair's features, and reorders pairs the rules already found feasible.

Hard constraints always come first — the model never sees an infeasible pair at ranking time
and cannot bring one back. It is monotone where the domain demands it: more over-demand (in
any group) or more adjustments never raises the prediction (``monotonic_cst``), and it is
calibrated (isotonic, on a later slice of history than it was fitted on).

Pure: features are arrays from the scorer's output; training takes arrays and returns a
fitted model. Saving, loading and model cards live in :mod:`api.jobs.model_store`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import brier_score_loss

from features.catalogue import CHARACTERISTICS
from features.catalogue.characteristics import Group
from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from matching.outcomes import SUCCESS_GRADE, outcome_grades
from matching.ranking import Ranked, reordered, take_pairs
from matching.rules import RuleSet
from matching.scoring import COMPONENTS, PairScores, score_pairs

__all__ = [
    "FEATURES",
    "MONOTONE",
    "Reranker",
    "pair_features",
    "rerank",
    "time_split",
    "train_reranker",
    "training_data",
]

_GROUPS = list(Group)
_GROUP_INDEX = np.array([_GROUPS.index(c.group) for c in CHARACTERISTICS.values()])

MATURE_DAYS = 120
"""A proposal's outcome is taken as known this long after it (hires come within ~4 months)."""

FEATURES: tuple[str, ...] = (
    *(f"component:{c}" for c in COMPONENTS),
    *(f"over_demand:{g.value}" for g in _GROUPS),
    "adjustments",
    "distance_km",
    "schedule_overlap",
    "hours_share",
    "skills_matched",
    "to_assess",
    "interest_sector",
    "interest_kind",
)
"""The model's inputs, in column order: one definition for training, ranking and the card."""

MONOTONE: dict[str, int] = {
    **{f"over_demand:{g.value}": -1 for g in _GROUPS},
    "adjustments": -1,
    # The same facts seen through the score: the ability fit falls with tolerated over-demand,
    # the adjustments component with the adjustments' cost. Left free, one more adjustment
    # could raise the prediction through the component it lowers.
    "component:ability_fit": 1,
    "component:adjustments": 1,
}
"""Features the prediction may only fall with (−1); the rest are unconstrained."""


def pair_features(people: PeopleMatrix, tasks: TaskMatrix, scores: PairScores) -> np.ndarray:
    """(P, len(FEATURES)) for the scored pairs, vectorised over all of them."""
    i, j = scores.person_rows, scores.task_rows
    if not len(i):
        return np.zeros((0, len(FEATURES)))
    over_by_group = np.zeros((len(i), len(_GROUPS)))
    np.add.at(over_by_group.T, _GROUP_INDEX, scores.over_after.T.astype(float))
    required = tasks.skills[j]
    held = people.skills[i]
    matched = np.asarray(required.multiply(held).sum(axis=1)).ravel()
    hours_share = tasks.hours[j] / np.maximum(people.hours_max[i], 1.0)
    columns = [
        scores.contributions,
        over_by_group,
        scores.chosen.sum(axis=1, keepdims=True),
        scores.km[:, None],
        scores.overlap[:, None],
        hours_share[:, None],
        matched[:, None],
        scores.unknown.sum(axis=1, keepdims=True),
        people.interest_sectors[i, tasks.sector[j]][:, None],
        people.interest_kinds[i, tasks.kind[j]][:, None],
    ]
    return np.hstack([np.asarray(c, dtype=np.float64).reshape(len(i), -1) for c in columns])


@dataclass(frozen=True)
class Reranker:
    version: str
    features: tuple[str, ...]
    model: CalibratedClassifierCV

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probability of a successful outcome, per row."""
        return self.model.predict_proba(x)[:, 1]


def train_reranker(
    x_fit: np.ndarray,
    y_fit: np.ndarray,
    x_calibrate: np.ndarray,
    y_calibrate: np.ndarray,
    *,
    version: str,
    seed: int = 0,
) -> Reranker:
    """Fit the boosted trees on the earlier slice of history, calibrate on the later one."""
    constraints = [MONOTONE.get(name, 0) for name in FEATURES]
    trees = HistGradientBoostingClassifier(
        max_iter=200,
        learning_rate=0.05,
        max_leaf_nodes=15,
        min_samples_leaf=20,
        l2_regularization=1.0,
        monotonic_cst=constraints,
        random_state=seed,
    ).fit(x_fit, y_fit)
    calibrated = CalibratedClassifierCV(FrozenEstimator(trees), method="isotonic")
    calibrated.fit(x_calibrate, y_calibrate)
    return Reranker(version, FEATURES, calibrated)


def rerank(
    ranked: Ranked, people: PeopleMatrix, tasks: TaskMatrix, model: Reranker, k: int
) -> tuple[Ranked, np.ndarray]:
    """The rules' feasible pairs in ``ranked`` reordered by the model (ties by the rules'
    order); the top k, and their predicted probabilities."""
    if not len(ranked.ids):
        return ranked, np.zeros(0)
    probability = model.predict(pair_features(people, tasks, ranked.pairs))
    # Within the rules' tiers: the model never lifts an unassessed pair above an assessed one.
    tier = ~ranked.pairs.assessed
    order = np.lexsort((np.arange(len(probability)), -probability, tier))[:k]
    return reordered(ranked, order), probability[order]


@dataclass(frozen=True)
class TrainingData:
    x: np.ndarray
    y: np.ndarray
    """1 for a successful outcome"""
    proposed_at: np.ndarray
    proposal_ids: np.ndarray
    not_allowed: int = 0
    """Recorded pairs left out because the rules do not allow them: the model only ever
    reorders pairs the rules allow, so it learns from those alone."""


def training_data(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    rules: RuleSet,
    proposal: pd.DataFrame,
    proposal_task: pd.DataFrame,
    outcome_event: pd.DataFrame,
    *,
    mature_days: int = MATURE_DAYS,
) -> TrainingData:
    """One row per recorded (proposal, task) pair whose person and task still exist **and
    that the rules allow** (feasible, and a hand-over task when the rules ask for one), in time
    order, scored in one vectorised pass. A model that only reorders what the rules allow
    learns nothing useful from the pairs they exclude — trained on them, its strongest feature
    was one that is constant wherever it serves. (The person's status is not asked: a person
    placed since was matchable when proposed.) Proposals younger than ``mature_days`` before the
    newest recorded event are left out: their outcome may not be known yet, and counting them
    as failures would teach the model that recent proposals fail."""

    graded = outcome_grades(proposal, outcome_event, rules.grades())
    if len(outcome_event):
        newest = pd.to_datetime(outcome_event["at"], utc=True).max()
        proposed = pd.to_datetime(graded["proposed_at"], utc=True)
        graded = graded[proposed <= newest - pd.Timedelta(days=mature_days)]
    pairs = graded.merge(proposal_task[["proposal_id", "task_id"]], on="proposal_id")
    pairs = pairs[pairs["person_id"].isin(people.row_of) & pairs["task_id"].isin(tasks.row_of)]
    pairs = pairs.sort_values(["proposed_at", "proposal_id", "task_id"], kind="stable")
    person_rows = pairs["person_id"].map(people.row_of).to_numpy(np.int64)
    task_rows = pairs["task_id"].map(tasks.row_of).to_numpy(np.int64)
    scores = score_pairs(people, person_rows, tasks, task_rows, rules)
    allowed = np.asarray(scores.feasible, dtype=bool)
    if rules.hard.hand_over_only:
        allowed &= tasks.hand_over[task_rows]
    kept = np.flatnonzero(allowed)
    return TrainingData(
        x=pair_features(people, tasks, take_pairs(scores, kept)),
        y=(pairs["grade"].to_numpy()[kept] >= SUCCESS_GRADE).astype(int),
        proposed_at=pairs["proposed_at"].to_numpy()[kept],
        proposal_ids=pairs["proposal_id"].to_numpy(np.int64)[kept],
        not_allowed=int(len(allowed) - len(kept)),
    )


def time_split(n: int, fit: float = 0.6, calibrate: float = 0.2) -> tuple[slice, slice, slice]:
    """Fit on the oldest share, calibrate on the next, test on the newest (rows are in time
    order): the model never learns from the future it is judged on."""
    a, b = int(n * fit), int(n * (fit + calibrate))
    return slice(0, a), slice(a, b), slice(b, n)


MIN_ROWS = 200
MIN_POSITIVES = 20
"""Less mature history than this (pairs the rules allow, successes among them) is too little
to fit, calibrate and test a model on."""


@dataclass(frozen=True)
class HeldOut:
    """A model fitted on the oldest 60 % of the pairs, calibrated on the next 20 %, and its
    probabilities on the newest 20 % against the base rate's."""

    model: Reranker
    data: TrainingData
    test: slice
    predicted: np.ndarray
    brier: float
    base_rate_brier: float

    @property
    def held_out_proposals(self) -> set[int]:
        return set(self.data.proposal_ids[self.test].tolist())


def fit_held_out(data: TrainingData, *, version: str, seed: int = 0) -> HeldOut | None:
    """Fit, calibrate and test on ``data`` in time order; None when it is too little."""
    if len(data.y) < MIN_ROWS or data.y.sum() < MIN_POSITIVES:
        return None
    fit, calibrate, test = time_split(len(data.y))
    model = train_reranker(
        data.x[fit], data.y[fit], data.x[calibrate], data.y[calibrate], version=version, seed=seed
    )
    predicted = model.predict(data.x[test])
    base = np.full(len(predicted), data.y[fit].mean())
    return HeldOut(
        model=model,
        data=data,
        test=test,
        predicted=predicted,
        brier=float(brier_score_loss(data.y[test], predicted)),
        base_rate_brier=float(brier_score_loss(data.y[test], base)),
    )
