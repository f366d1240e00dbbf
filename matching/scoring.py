"""The vectorised scorer: every constraint and component for a batch of (person, task) pairs.

One call scores P pairs given as two index arrays into a :class:`PeopleMatrix` and a
:class:`TaskMatrix`; every intermediate is an array of shape (P,) or (P, n_characteristics).
Person → tasks, task → people and the composer all call it; no Python loop runs per pair.

Semantics (the per-pair oracle in :mod:`matching.reference` implements the same, slowly):

* **Typical demands.** Where a workshop did not rate a demand, the task kind's typical demand
  stands in (``TaskMatrix.typical``) and counts as known — except against a physician's
  restriction, which is judged only against an assessed demand.
* **Unknown is never fit.** A characteristic is *to be assessed* (``unknown``) when the
  person's capacity is not rated and the task does not say it needs none of it (its demand is
  above 0 or not rated); or when the task's demand is not rated and the person has a marked
  limitation there (capacity at most :data:`LIMITED`). Where a physician's restriction meets a
  demand that is not assessed (unrated, or only typical), the limit is *unchecked*
  (``unchecked``): the pair is either
  excluded or suggested only as "check before proposing" (the rule set says which). A pair is
  ``assessed`` when nothing is to be assessed and no limit is unchecked; ranking puts every
  assessed pair before every other (an unassessed profile never outranks one that fits), and
  the rule set excludes unassessed pairs or lowers their score per unknown.
* Over-demand is ``max(demand − capacity, 0)`` where both are known. A physician's
  **restriction** (hard limit) is never exceeded by the demand *as the work will be done*: it
  must be closed completely — no tolerance — by accepted adjustments that **change the
  exposure itself** (a stool, a lifting aid, a variant of the task); supports (a job coach,
  instructions) never count for it. A physician's **recommendation** is brought within the
  rule set's ``recommendation_tolerance``; other over-demand within the group's tolerance.
  All are closed by the **cheapest set of usable adjustments** — accepted by the employer
  and applicable to the task's kind and shifts (each lowers some demands by some
  levels; several adjustments do not add up on one characteristic: the largest lowering
  counts). Ties between equally cheap sets go to the set with the lowest bit pattern over the
  task's usable adjustments in catalogue order.
* The score is the sum of the components in :data:`COMPONENTS`; ``contributions`` hold them in
  that order and sum exactly to ``total``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from features.catalogue import ADJUSTMENTS, CHARACTERISTICS, MAX_LEVEL
from features.geo import haversine_km
from features.pipeline.encoders import EXPOSURE, adjustment_lowering_table
from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from matching.rules import RecommendationPolicy, RuleSet, UncheckedLimitPolicy, UnknownPolicy

__all__ = [
    "COMPONENTS",
    "FAILURES",
    "KG_COLUMNS",
    "LIMITED",
    "REWARDS",
    "Bounded",
    "PairScores",
    "best_total",
    "bound_pairs",
    "demand_screen",
    "demand_screen_grid",
    "score_pairs",
    "tolerance_for",
]

COMPONENTS: tuple[str, ...] = (
    "ability_fit", "adjustments", "skills", "interests", "hours_fit", "schedule_fit",
    "distance", "under_demand", "unknown",
)  # fmt: skip
REWARDS: tuple[str, ...] = (
    "ability_fit", "skills", "interests", "hours_fit", "schedule_fit", "distance",
)  # fmt: skip
"""The components that add to the score, each at most its weight; the others only take off."""
FAILURES: tuple[str, ...] = (
    "not_matchable", "not_hand_over", "hard_limit", "over_demand", "kilograms", "licences",
    "distance", "schedule", "hours", "unknown", "limit_unchecked",
)  # fmt: skip
LIMITED = 1
"""A capacity at or below this level (never / rarely, or low) is a marked limitation: a task
that does not rate that demand must be checked before the pair can count as a fit."""
_F = {name: i for i, name in enumerate(FAILURES)}

_LOWERING = adjustment_lowering_table()
KG_COLUMNS: np.ndarray = np.array(
    [i for i, c in enumerate(CHARACTERISTICS.values()) if c.has_kilograms], dtype=np.int64
)
_GROUP_OF = np.array([c.group for c in CHARACTERISTICS.values()], dtype=object)
_ADJ_MAX_KG = np.array(
    [np.inf if a.max_kilograms_after is None else a.max_kilograms_after
     for a in ADJUSTMENTS.values()], dtype=np.float64,
)  # fmt: skip


@dataclass(frozen=True)
class PairScores:
    """Scores of P pairs; every array's first axis is the pair."""

    person_rows: np.ndarray
    task_rows: np.ndarray
    feasible: np.ndarray
    """bool (P,)"""
    failures: np.ndarray
    """bool (P, len(FAILURES))"""
    total: np.ndarray
    """float64 (P,)"""
    contributions: np.ndarray
    """float64 (P, len(COMPONENTS)); sums to ``total``"""
    chosen: np.ndarray
    """bool (P, n_adjustments): the cheapest accepted set that closes the over-demand"""
    closable: np.ndarray
    """bool (P,): some accepted set closes every over-demand (outside hard limits)"""
    over: np.ndarray
    """float32 (P, n_characteristics): over-demand before adjustments (0 where unknown)"""
    over_after: np.ndarray
    """float32 (P, n_characteristics): over-demand left after the chosen adjustments"""
    unknown: np.ndarray
    """bool (P, n_characteristics): ratings to be assessed (see the module docstring)"""
    unchecked: np.ndarray
    """bool (P, n_characteristics): a physician's restriction against a demand not rated"""
    assessed: np.ndarray
    """bool (P,): nothing to be assessed and no unchecked limit"""
    beyond_recommendation: np.ndarray
    """bool (P, n_characteristics): a physician's recommendation the work still exceeds by
    more than the rule set's tolerance (only where the rule set ranks such pairs below)"""
    kg_over: np.ndarray
    """bool (P, len(KG_IDS)): the load exceeds the person's kilograms"""
    km: np.ndarray
    overlap: np.ndarray
    """float64 (P,): share of the task's slots the person is free for"""

    def __len__(self) -> int:
        return len(self.total)

    @property
    def first_tier(self) -> np.ndarray:
        """bool (P,): the pairs that "fit" without a condition — assessed, and within every
        recommendation; ranking puts them before every other pair."""
        return _fits_fully(self.assessed, self.beyond_recommendation)


def _popcount(bits: np.ndarray) -> np.ndarray:
    return np.bitwise_count(bits).astype(np.float64)


def _one_row(index: np.ndarray) -> bool:
    """Every index is the same row (one person against many tasks, or the reverse)."""
    return len(index) == 1 or (
        len(index) > 1 and index[0] == index[-1] and bool((index == index[0]).all())
    )


def _rows(matrix: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``matrix[index]``, or the one row as shape (1, …) when every index is the same."""
    if len(index) == 0:  # no pairs (an empty pool): no rows, with the matrix's width
        return matrix[index]
    if len(index) > 1 and _one_row(index):
        return matrix[index[:1]]
    if len(index) == len(matrix) and index[0] == 0 and (np.diff(index) == 1).all():
        return matrix  # every row, in order
    return matrix[index]


def _full(array: np.ndarray, n: int) -> np.ndarray:
    """``array`` with n rows: itself when it has them, else its one row repeated."""
    return array if array.shape[0] == n else np.broadcast_to(array, (n, *array.shape[1:])).copy()


def _cells(matrix: np.ndarray, index: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``_rows(matrix, index)[:, cols]`` without copying the other columns (restrictions touch
    a few columns of many rows)."""
    if len(cols) == 0:
        return np.zeros((1, 0), dtype=matrix.dtype)
    if len(index) > 1 and _one_row(index):
        return matrix[index[:1, None], cols]
    return matrix[index[:, None], cols]


def tolerance_vector(rules: RuleSet) -> np.ndarray:
    """(n_characteristics,): levels of over-demand tolerated on each characteristic."""
    return np.array([rules.hard.over_demand_tolerance[g] for g in _GROUP_OF], dtype=np.float32)


def _recommendation_tolerance(rules: RuleSet) -> np.float32:
    """Levels by which the work may exceed a physician's recommendation before the pair
    fails: unlimited where the rule set ranks such pairs below instead of excluding them."""
    if rules.hard.beyond_recommendation == RecommendationPolicy.RANK_BELOW:
        return np.float32(np.inf)
    return np.float32(rules.hard.recommendation_tolerance)


def tolerance_for(rules: RuleSet, recommended: np.ndarray) -> np.ndarray:
    """Levels of over-demand tolerated per characteristic, before the pair fails, for people
    whose physician made the recommendations in ``recommended`` (bool (...,
    n_characteristics)): the recommendation's there (unlimited when the rule set ranks work
    beyond a recommendation below instead of excluding it), the group's elsewhere."""
    return np.where(recommended, _recommendation_tolerance(rules), tolerance_vector(rules)).astype(
        np.float32
    )


def demand_screen(
    people: PeopleMatrix,
    person_rows: np.ndarray,
    tasks: TaskMatrix,
    task_rows: np.ndarray,
    rules: RuleSet,
) -> np.ndarray:
    """bool (P,): False exactly where :func:`score_pairs` fails the pair on ``over_demand`` —
    some characteristic without a physician's restriction whose demand, lowered as far as the
    task's usable adjustments go (``TaskMatrix.demand_floor``), stays above the person's
    capacity plus the tolerance. One comparison per cell instead of the scorer's dozens, so
    ranking can set aside the many such tasks before scoring the rest (the pair would be
    infeasible anyway; ``n_feasible`` is unchanged).

    Rows broadcast like :func:`score_pairs`; only the columns that can fail are compared: the
    demands one task needs after adjustments, or the capacities one person can exceed.
    """
    pr = np.asarray(person_rows, dtype=np.int64)
    tr = np.asarray(task_rows, dtype=np.int64)
    cols = np.arange(tasks.demand_floor.shape[1])
    if _one_row(tr):
        # NaN compares False: an unknown demand never fails here.
        cols = np.flatnonzero(tasks.demand_floor[tr[0]] > 0)
    limit = _demand_limit(people, pr, cols, rules)
    if limit.shape[0] == 1:
        exceedable = np.flatnonzero(limit[0] < MAX_LEVEL)  # NaN: capacity unknown, no failure
        cols, limit = cols[exceedable], limit[:, exceedable]
    if 2 * len(cols) > tasks.demand_floor.shape[1]:
        # Most columns: a row gather beats a gather of cells; the others never fail.
        wide = np.full((limit.shape[0], tasks.demand_floor.shape[1]), np.inf, dtype=np.float32)
        wide[:, cols] = limit
        fails = (_rows(tasks.demand_floor, tr) > wide).any(axis=1)
    else:
        fails = (_cells(tasks.demand_floor, tr, cols) > limit).any(axis=1)
    return np.broadcast_to(~fails, (max(len(pr), len(tr)),))


def _demand_limit(
    people: PeopleMatrix, pr: np.ndarray, cols: np.ndarray, rules: RuleSet
) -> np.ndarray:
    """float32 (len(pr) or 1, len(cols)): the highest demand floor each person passes the
    demand screen with — capacity plus the tolerance (a recommendation's, else the group's);
    inf under a physician's restriction (judged by the scorer); NaN where unknown (no
    failure)."""
    tol = np.where(
        _cells(people.recommended, pr, cols),
        _recommendation_tolerance(rules),
        tolerance_vector(rules)[cols],
    )
    return np.where(
        _cells(people.hard, pr, cols),
        np.float32(np.inf),  # a restriction is judged by the scorer, on its few columns
        _cells(people.capacity, pr, cols) + tol,
    )


def demand_screen_grid(
    people: PeopleMatrix,
    person_rows: np.ndarray,
    tasks: TaskMatrix,
    task_rows: np.ndarray,
    rules: RuleSet,
) -> np.ndarray:
    """bool (len(person_rows), len(task_rows)): :func:`demand_screen` for every person
    against every task, each person's limits worked out once (the what-if's people against
    a task's variants)."""
    pr = np.asarray(person_rows, dtype=np.int64)
    floor = tasks.demand_floor[np.asarray(task_rows, dtype=np.int64)]
    cols = np.flatnonzero((floor > 0).any(axis=0))  # NaN compares False
    if len(pr) == 0 or len(cols) == 0:
        return np.ones((len(pr), len(floor)), dtype=bool)
    limit = _demand_limit(people, pr, cols, rules)
    limit = np.broadcast_to(limit, (len(pr), len(cols)))
    fails = (floor[None, :, cols] > limit[:, None, :]).any(axis=2)
    return np.asarray(~fails)


def adjustment_cost_vector(rules: RuleSet) -> np.ndarray:
    """(n_adjustments,): each adjustment's cost under the rule set."""
    return np.array([rules.cost_of(a.cost_class) for a in ADJUSTMENTS.values()])


def cheapest_adjustments(
    need: np.ndarray,
    kg_need: np.ndarray,
    cap_kg: np.ndarray,
    accepted_index: np.ndarray,
    costs: np.ndarray,
    hard: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For Q pairs, the cheapest subset of each task's usable adjustments that lowers every
    demand by at least ``need`` levels and brings every load in ``kg_need`` within ``cap_kg``;
    on the columns ``hard`` marks (a physician's restriction) only adjustments that change the
    exposure count.

    need: (Q, n_characteristics) levels to remove; kg_need: bool (Q, K); cap_kg: (Q, K);
    accepted_index: (Q, B) catalogue indices, -1 padded; costs: (n_adjustments,);
    hard: bool (Q, n_characteristics) or None.
    Returns chosen bool (Q, n_adjustments) and found bool (Q,).
    """
    q, width = accepted_index.shape
    chosen = np.zeros((q, len(costs)), dtype=bool)
    if q == 0:
        return chosen, np.zeros(0, dtype=bool)
    cols = np.flatnonzero(need.any(axis=0))
    n_subsets = 1 << width
    bits = ((np.arange(n_subsets)[:, None] >> np.arange(width)) & 1).astype(bool)  # (S, B)
    valid = accepted_index >= 0  # (Q, B)
    idx = np.where(valid, accepted_index, 0)
    usable = ~(bits[None, :, :] & ~valid[:, None, :]).any(axis=2)  # (Q, S)
    lowering = _LOWERING[idx][:, :, cols] * valid[:, :, None]  # (Q, B, C')
    reduced = np.zeros((q, n_subsets, len(cols)), dtype=np.int8)
    for b in range(width):
        reduced = np.maximum(reduced, np.where(bits[None, :, b, None], lowering[:, None, b, :], 0))
    enough = reduced >= need[:, None, cols]
    if hard is not None and (hard[:, cols] & (need[:, cols] > 0)).any():
        # A restriction counts only what changes the exposure: supports lower nothing there.
        exposure = lowering * EXPOSURE[idx][:, :, None]
        by_exposure = np.zeros_like(reduced)
        for b in range(width):
            by_exposure = np.maximum(
                by_exposure, np.where(bits[None, :, b, None], exposure[:, None, b, :], 0)
            )
        hard_cols = hard[:, None, cols]
        enough = np.where(hard_cols, by_exposure >= need[:, None, cols], enough)
    ok = np.asarray(usable & enough.all(axis=2))
    for k in range(kg_need.shape[1]):
        rows = kg_need[:, k]
        if not rows.any():
            continue
        helps = valid & (_LOWERING[idx][:, :, KG_COLUMNS[k]] > 0)
        helps &= _ADJ_MAX_KG[idx] <= cap_kg[:, k, None]
        if hard is not None:
            helps &= EXPOSURE[idx] | ~hard[:, KG_COLUMNS[k], None]
        ok[rows] &= (bits[None, :, :] & helps[rows][:, None, :]).any(axis=2)
    cost = (bits[None, :, :] * (costs[idx] * valid)[:, None, :]).sum(axis=2)  # (Q, S)
    key = np.where(ok, cost, np.inf)
    best = np.argmin(key, axis=1)
    found = np.isfinite(key[np.arange(q), best])
    pick = bits[best] & valid & found[:, None]  # (Q, B)
    rows, slots = np.nonzero(pick)
    chosen[rows, accepted_index[rows, slots]] = True
    return chosen, found


@dataclass(frozen=True)
class _Judged:
    """What :func:`_judge` works out about P pairs: feasibility and what the components need."""

    pr: np.ndarray
    tr: np.ndarray
    failures: np.ndarray
    feasible: np.ndarray
    assessed: np.ndarray
    chosen: np.ndarray
    found: np.ndarray
    hard: np.ndarray
    diff: np.ndarray
    over: np.ndarray
    dem_known: np.ndarray
    unknown: np.ndarray
    unchecked: np.ndarray
    n_unknown: np.ndarray
    kg_over: np.ndarray
    km: np.ndarray
    overlap: np.ndarray
    beyond: np.ndarray
    """bool (P or 1, n_characteristics): recommendations left exceeded (see PairScores)"""

    @property
    def first_tier(self) -> np.ndarray:
        return _fits_fully(self.assessed, self.beyond)


def _fits_fully(assessed: np.ndarray, beyond: np.ndarray) -> np.ndarray:
    """bool (P,): the pairs that fit fully — nothing to be assessed, no limit unchecked and
    every physician's recommendation kept. Ranking puts them before every other pair."""
    return np.asarray(assessed & ~beyond.any(axis=1))


def _judge(
    people: PeopleMatrix,
    person_rows: np.ndarray,
    tasks: TaskMatrix,
    task_rows: np.ndarray,
    rules: RuleSet,
    km: np.ndarray | None,
) -> _Judged:
    """Feasibility of each pair, and the arrays the score is built from."""
    pr = np.asarray(person_rows, dtype=np.int64)
    tr = np.asarray(task_rows, dtype=np.int64)
    if pr.shape != tr.shape or pr.ndim != 1:
        raise ValueError("person_rows and task_rows must be 1-D arrays of the same length")
    n = len(pr)
    hard_rules = rules.hard
    # One person against many tasks (or one task against many people) is the common case:
    # broadcast that side's row instead of copying it n times.
    cap = _rows(people.capacity, pr)
    hard = _rows(people.hard, pr)
    dem = _rows(tasks.demand, tr)
    reduction = _rows(tasks.reduction, tr)

    # Restrictions touch few columns: every restriction-specific step works on those alone
    # (``hc``), so the common case costs one pass over the full matrices, as before.
    hc = np.flatnonzero(hard.any(axis=0))
    h = hard[:, hc]
    # A restriction is judged only against an assessed demand: against a typical one (or none)
    # it is unchecked, and the demand is set aside for it.
    unchecked_h = h & (np.isnan(dem[:, hc]) | _cells(tasks.typical, tr, hc))
    if unchecked_h.any():
        rows_u = max(dem.shape[0], unchecked_h.shape[0])
        dem = np.broadcast_to(dem, (rows_u, dem.shape[1])).copy()
        dem[:, hc] = np.where(unchecked_h, np.float32(np.nan), dem[:, hc])
    unchecked = np.zeros((unchecked_h.shape[0] if len(hc) else 1, hard.shape[1]), dtype=bool)
    if len(hc):
        unchecked[:, hc] = unchecked_h
    cap_known = ~np.isnan(cap)
    dem_known = ~np.isnan(dem)
    # NaN compares False, so each mask below is False wherever its own side is unknown (an
    # unrated demand against a restriction is ``unchecked``, counted here too).
    unknown = (~cap_known & ~(dem == 0)) | (~dem_known & (cap <= LIMITED)) | unchecked
    # NaN wherever either side is unknown; fmax/fmin treat NaN as "no difference".
    diff = dem - cap
    over = np.fmax(diff, np.float32(0))
    recommended = _rows(people.recommended, pr)
    tol = np.where(
        recommended, np.float32(hard_rules.recommendation_tolerance), tolerance_vector(rules)
    )

    failures = np.zeros((n, len(FAILURES)), dtype=bool)
    failures[:, _F["not_matchable"]] = ~people.matchable[pr]
    if hard_rules.hand_over_only:
        failures[:, _F["not_hand_over"]] = ~tasks.hand_over[tr]
    # Other over-demand down to the group's tolerance, by any usable adjustment; a restriction
    # completely, by exposure-changing adjustments only.
    need = np.maximum(over - tol, np.float32(0))
    beyond = np.zeros((1, need.shape[1]), dtype=bool)
    if hard_rules.beyond_recommendation == RecommendationPolicy.RANK_BELOW and recommended.any():
        # A recommendation that no usable adjustment brings within its tolerance does not fail
        # the pair: it stays exceeded (named, and the pair ranks after every full fit), and
        # the adjustments are chosen for the rest. One that some adjustment closes is closed.
        beyond = recommended & ~hard & (need > reduction)
        need = np.where(beyond, np.float32(0), need)
    need = np.broadcast_to(need, np.broadcast_shapes(need.shape, (h.shape[0], need.shape[1])))
    need = need.copy() if not need.flags.writeable else need
    over_h = np.where(h, over[:, hc], np.float32(0))
    need[:, hc] = np.where(h, np.float32(0), need[:, hc])
    closable_levels = (need <= reduction).all(axis=1)
    hard_closable = (over_h <= _cells(tasks.reduction_exposure, tr, hc)).all(axis=1)
    need[:, hc] = np.where(h, over_h, need[:, hc])

    cap_kg = _rows(people.capacity_kg, pr).astype(np.float64)
    dem_kg = _rows(tasks.demand_kg, tr).astype(np.float64)
    kg_over = np.broadcast_to(
        ~np.isnan(cap_kg) & ~np.isnan(dem_kg) & (dem_kg > cap_kg), (n, len(KG_COLUMNS))
    ).copy()
    if not hard_rules.respect_kilograms:
        kg_over[:] = False
    kg_hard = np.broadcast_to(hard[:, KG_COLUMNS], kg_over.shape)
    kg_open = kg_over & (_rows(tasks.kg_relief, tr) > cap_kg)  # no usable aid brings it within
    failures[:, _F["hard_limit"]] = ~np.broadcast_to(hard_closable, (n,)) | (kg_open & kg_hard).any(
        axis=1
    )
    kg_closable = ~(kg_open & ~kg_hard).any(axis=1)

    chosen = np.zeros((n, len(ADJUSTMENTS)), dtype=bool)
    found = closable_levels & kg_closable & ~failures[:, _F["hard_limit"]]
    wanted = found & ((need > 0).any(axis=1) | kg_over.any(axis=1))
    if wanted.any():
        rows = np.flatnonzero(wanted)
        picked, ok = cheapest_adjustments(
            np.broadcast_to(need, (n, need.shape[1]))[rows].astype(np.int8),
            kg_over[rows],
            np.broadcast_to(cap_kg, (n, cap_kg.shape[1]))[rows],
            tasks.accepted_index[tr[rows]],
            adjustment_cost_vector(rules),
            np.broadcast_to(hard, (n, hard.shape[1]))[rows],
        )
        chosen[rows] = picked
        found[rows] &= ok
    failures[:, _F["over_demand"]] = ~closable_levels
    failures[:, _F["kilograms"]] = closable_levels & ~kg_closable

    if hard_rules.require_licences:
        failures[:, _F["licences"]] = (tasks.licences[tr] & ~people.licences[pr]) != 0
    if km is None:
        km = haversine_km(people.lat[pr], people.lon[pr], tasks.lat[tr], tasks.lon[tr])
    failures[:, _F["distance"]] = km > hard_rules.max_distance_km
    overlap = _overlap(people, pr, tasks, tr)
    failures[:, _F["schedule"]] = overlap < hard_rules.min_schedule_overlap - 1e-9
    failures[:, _F["hours"]] = tasks.hours[tr] > people.hours_max[pr] + hard_rules.max_hours_over
    n_unknown = np.count_nonzero(unknown, axis=1)
    if hard_rules.unknown_ratings == UnknownPolicy.EXCLUDE:
        failures[:, _F["unknown"]] = n_unknown > 0
    any_unchecked = unchecked.any(axis=1) if len(hc) else np.zeros(1, dtype=bool)
    if hard_rules.unchecked_limits == UncheckedLimitPolicy.EXCLUDE:
        failures[:, _F["limit_unchecked"]] = any_unchecked
    feasible = np.asarray(~failures.any(axis=1))
    assessed = np.broadcast_to(n_unknown == 0, (n,)).copy()
    return _Judged(
        pr=pr, tr=tr, failures=failures, feasible=feasible, assessed=assessed, chosen=chosen,
        found=found, hard=hard, diff=diff, over=over, dem_known=dem_known, unknown=unknown,
        unchecked=unchecked, n_unknown=n_unknown, kg_over=kg_over, km=km, overlap=overlap,
        beyond=beyond,
    )  # fmt: skip


@dataclass(frozen=True)
class Bounded:
    """Feasibility of P pairs exactly as :func:`score_pairs` has it, and an upper bound on
    each pair's total, without the costly part of the score."""

    feasible: np.ndarray
    """bool (P,)"""
    first_tier: np.ndarray
    """bool (P,): as ``PairScores.first_tier``"""
    bound: np.ndarray
    """float64 (P,): never below the pair's ``total``"""


BOUND_MARGIN = 1e-9
"""Added to every bound so that rounding in the total's sum never exceeds it."""


def bound_pairs(
    people: PeopleMatrix,
    person_rows: np.ndarray,
    tasks: TaskMatrix,
    task_rows: np.ndarray,
    rules: RuleSet,
    km: np.ndarray | None = None,
) -> Bounded:
    """Feasibility and a bound on the total of each pair, about a third cheaper than
    :func:`score_pairs`: the components that need no characteristic-by-characteristic work,
    the adjustments' cost and the unknowns' penalty exactly; ability fit at its best (no
    over-demand left) and no under-demand penalty (every weight and penalty is non-negative,
    so both only take away). Lets ranking score in full only the pairs that can still reach
    the top."""
    judged = _judge(people, person_rows, tasks, task_rows, rules, km)
    light = _light_components(people, judged.pr, tasks, judged.tr, rules, judged.km, judged.overlap)
    bound = rules.weights.ability_fit + light.sum(axis=1) + BOUND_MARGIN
    bound += _adjustment_component(judged.chosen, rules)
    bound += _unknown_component(judged.n_unknown, rules)
    return Bounded(feasible=judged.feasible, first_tier=judged.first_tier, bound=bound)


def _adjustment_component(chosen: np.ndarray, rules: RuleSet) -> np.ndarray:
    """float64 (P,): what the chosen adjustments cost the score (0 where none)."""
    out = np.zeros(len(chosen), dtype=np.float64)
    adjusted = np.flatnonzero(chosen.any(axis=1))
    out[adjusted] = -rules.weights.adjustments * (chosen[adjusted] @ adjustment_cost_vector(rules))
    return out


def _unknown_component(n_unknown: np.ndarray, rules: RuleSet) -> np.ndarray:
    """float64 (P,) or (1,): what the ratings to be assessed cost the score."""
    if rules.hard.unknown_ratings != UnknownPolicy.PENALISE:
        return np.zeros(1, dtype=np.float64)
    return -rules.unknown_penalty * n_unknown.astype(np.float64)


def _light_components(
    people: PeopleMatrix,
    pr: np.ndarray,
    tasks: TaskMatrix,
    tr: np.ndarray,
    rules: RuleSet,
    km: np.ndarray,
    overlap: np.ndarray,
) -> np.ndarray:
    """(P, 5): skills, interests, hours_fit, schedule_fit and distance — the components that
    need no characteristic-by-characteristic work."""
    weights = rules.weights
    out = np.empty((len(pr), 5), dtype=np.float64)
    # Skills are 0/1: a row's stored entries are its required skills (read off the CSR row
    # pointers); for one person, matched skills are one sparse product with their row.
    required = np.diff(tasks.skills.indptr)[tr].astype(np.float64)
    if len(pr) > 1 and _one_row(pr):
        held = people.skills[pr[0]].toarray().ravel()
        matched = np.asarray(tasks.skills[tr] @ held).ravel()
    else:
        matched = np.asarray(tasks.skills[tr].multiply(people.skills[pr]).sum(axis=1)).ravel()
    out[:, 0] = weights.skills * np.where(required > 0, matched / np.maximum(required, 1), 0)
    sector_hit = people.interest_sectors[pr, tasks.sector[tr]]
    kind_hit = people.interest_kinds[pr, tasks.kind[tr]]
    out[:, 1] = weights.interests * 0.5 * (sector_hit.astype(float) + kind_hit)
    h_min = people.hours_min[pr].astype(np.float64)
    hours = tasks.hours[tr].astype(np.float64)
    out[:, 2] = weights.hours_fit * np.where(
        h_min > 0, np.minimum(hours / np.maximum(h_min, 1e-9), 1.0), 1.0
    )
    out[:, 3] = weights.schedule_fit * overlap
    out[:, 4] = weights.distance * np.clip(1.0 - km / rules.hard.max_distance_km, 0, 1)
    return out


def _overlap(people: PeopleMatrix, pr: np.ndarray, tasks: TaskMatrix, tr: np.ndarray) -> np.ndarray:
    """float64 (P,): the share of each task's slots the person is free for."""
    task_slots = _popcount(tasks.schedule[tr])
    return _popcount(tasks.schedule[tr] & people.schedule[pr]) / np.maximum(task_slots, 1.0)


def best_total(rules: RuleSet) -> float:
    """The best score a pair can have under ``rules`` — every rewarding component at its full
    weight — the scale every score is stated on ("fit 4.99 / 6.5"). Adjustments, unused
    capacity and ratings to assess only take off, so a score may also be below 0."""
    return float(sum(getattr(rules.weights, name) for name in REWARDS))


def score_pairs(
    people: PeopleMatrix,
    person_rows: np.ndarray,
    tasks: TaskMatrix,
    task_rows: np.ndarray,
    rules: RuleSet,
    km: np.ndarray | None = None,
) -> PairScores:
    """Feasibility, components and the chosen adjustments for each (person, task) pair.
    ``km``: the pairs' distances, when the caller has already computed them."""
    judged = _judge(people, person_rows, tasks, task_rows, rules, km)
    pr, tr, n = judged.pr, judged.tr, len(judged.pr)
    chosen, over, diff, hard = judged.chosen, judged.over, judged.diff, judged.hard

    # Over-demand left after the chosen adjustments: only rows with adjustments differ; on a
    # restricted characteristic only the exposure-changing ones lower it.
    adjusted = np.flatnonzero(chosen.any(axis=1))
    over_after = _full(over, n)
    if len(adjusted):
        over_after = over_after.copy() if over_after is over else over_after
        lowering = np.zeros((len(adjusted), over.shape[1]), dtype=np.float32)
        exposure = np.zeros_like(lowering)
        for a in np.flatnonzero(chosen[adjusted].any(axis=0)):
            lowering = np.maximum(lowering, chosen[adjusted, a, None] * _LOWERING[a])
            if EXPOSURE[a]:
                exposure = np.maximum(exposure, chosen[adjusted, a, None] * _LOWERING[a])
        hard_rows = np.broadcast_to(hard, over_after.shape)[adjusted]
        lowering = np.where(hard_rows, exposure, lowering)
        over_after[adjusted] = np.fmax(
            np.broadcast_to(diff, over_after.shape)[adjusted] - lowering, 0
        )

    weights = rules.weights
    n_known = np.maximum(np.count_nonzero(judged.dem_known, axis=1), 1)
    contributions = np.zeros((n, len(COMPONENTS)), dtype=np.float64)
    # Levels are small integers: float32 sums are exact.
    contributions[:, 0] = weights.ability_fit * (
        1.0 - over_after.sum(axis=1).astype(np.float64) / (4.0 * n_known)
    )
    contributions[:, 1] = _adjustment_component(chosen, rules)
    contributions[:, 2:7] = _light_components(
        people, pr, tasks, tr, rules, judged.km, judged.overlap
    )
    spare = np.fmax(-diff, np.float32(0)).sum(axis=1).astype(np.float64)  # 0 where unknown
    contributions[:, 7] = -rules.under_demand_penalty * spare / (4.0 * over.shape[1])
    contributions[:, 8] = _unknown_component(judged.n_unknown, rules)
    return PairScores(
        person_rows=pr,
        task_rows=tr,
        feasible=judged.feasible,
        failures=judged.failures,
        total=contributions.sum(axis=1),
        contributions=contributions,
        chosen=chosen,
        closable=judged.found,
        over=_full(over, n),
        over_after=over_after,
        unknown=_full(judged.unknown, n),
        unchecked=_full(judged.unchecked, n),
        assessed=judged.assessed,
        beyond_recommendation=_full(judged.beyond, n),
        kg_over=judged.kg_over,
        km=judged.km,
        overlap=judged.overlap,
    )
