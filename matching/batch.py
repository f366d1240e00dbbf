"""Batch matching: every matchable person against every task the rules allow, block by block.

The pure per-block function of the nightly batch (:mod:`api.jobs.batch` runs it on Dask). A block
is a set of people rows; for each, the tasks within reach are found in a latitude-sorted task
list (a binary search, then the longitude box and exact distances), the rule set's cheap
one-dimensional constraints and the demand screen set aside what cannot be feasible, and the
survivors are scored by :func:`matching.scoring.score_pairs`, one call per person. The
per-person loop only slices arrays; no Python runs per pair.

Each block gives its people's top k and, for every task, the top k among the block's people;
:func:`merge_by_task` merges the blocks' task lists exactly (the top k of a union is the top k
of the union of each part's top k). The order is the per-query ranking's — full fits first, then
total descending, then id — so a batch row is what :func:`matching.ranking.rank_tasks_for_person`
and :func:`matching.ranking.rank_people_for_tasks` would answer for that person or task.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from features.geo import haversine_km
from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from matching.ranking import prefilter, top_k
from matching.rules import RuleSet
from matching.scoring import COMPONENTS, demand_screen, score_pairs

__all__ = [
    "BlockResult",
    "TaskPool",
    "TopPairs",
    "characteristics_of",
    "match_block",
    "merge_by_task",
    "task_pool",
    "top_k_per_group",
    "unknown_bits",
]


@dataclass(frozen=True)
class TopPairs:
    """Kept pairs, grouped (by person or by task) and in rank order within each group."""

    person_ids: np.ndarray
    """int64 (R,)"""
    task_ids: np.ndarray
    """int64 (R,)"""
    rank: np.ndarray
    """int16 (R,): 1 for the group's best"""
    total: np.ndarray
    """float64 (R,)"""
    first_tier: np.ndarray
    """bool (R,): the pair fits fully (``PairScores.first_tier``)"""
    contributions: np.ndarray
    """float64 (R, len(COMPONENTS))"""
    unknown: np.ndarray
    """uint64 (R,): bit c set where characteristic c is to be assessed (or a physician's
    limit unchecked) for the pair — what to assess to make it a fit"""

    def __len__(self) -> int:
        return len(self.total)

    def take(self, index: np.ndarray) -> TopPairs:
        return TopPairs(
            person_ids=self.person_ids[index],
            task_ids=self.task_ids[index],
            rank=self.rank[index],
            total=self.total[index],
            first_tier=self.first_tier[index],
            contributions=self.contributions[index],
            unknown=self.unknown[index],
        )

    @staticmethod
    def concat(parts: list[TopPairs]) -> TopPairs:
        if not parts:
            return TopPairs.empty()
        return TopPairs(
            person_ids=np.concatenate([p.person_ids for p in parts]),
            task_ids=np.concatenate([p.task_ids for p in parts]),
            rank=np.concatenate([p.rank for p in parts]),
            total=np.concatenate([p.total for p in parts]),
            first_tier=np.concatenate([p.first_tier for p in parts]),
            contributions=np.concatenate([p.contributions for p in parts]),
            unknown=np.concatenate([p.unknown for p in parts]),
        )

    @staticmethod
    def empty() -> TopPairs:
        return TopPairs(
            person_ids=np.zeros(0, dtype=np.int64),
            task_ids=np.zeros(0, dtype=np.int64),
            rank=np.zeros(0, dtype=np.int16),
            total=np.zeros(0),
            first_tier=np.zeros(0, dtype=bool),
            contributions=np.zeros((0, len(COMPONENTS))),
            unknown=np.zeros(0, dtype=np.uint64),
        )


@dataclass(frozen=True)
class BlockResult:
    """One block's answer."""

    by_person: TopPairs
    """each of the block's people's top k tasks"""
    by_task: TopPairs
    """each task's top k among the block's people"""
    pairs_before_pruning: int
    """block people × every task"""
    pairs_scored: int
    pairs_feasible: int


@dataclass(frozen=True)
class TaskPool:
    """The tasks a batch may suggest (hand-over tasks when the rules ask), by latitude."""

    rows: np.ndarray
    """int64 (m',): task rows sorted by latitude"""
    lat: np.ndarray
    """float64 (m',): their latitudes, ascending"""


def unknown_bits(unknown: np.ndarray) -> np.ndarray:
    """uint64 (P,) from bool (P, n_characteristics): bit c for column c."""
    weights = np.left_shift(np.uint64(1), np.arange(unknown.shape[1], dtype=np.uint64))
    return (unknown.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)


def characteristics_of(bits: int) -> list[int]:
    """The columns whose bit is set in ``bits`` (see :func:`unknown_bits`)."""
    return [c for c in range(64) if bits >> c & 1]


def task_pool(tasks: TaskMatrix, rules: RuleSet, rows: np.ndarray | None = None) -> TaskPool:
    """The tasks any person could be matched to (of ``rows``, default all), sorted by latitude
    (built once per run)."""
    rows = np.arange(len(tasks)) if rows is None else np.asarray(rows, dtype=np.int64)
    if rules.hard.hand_over_only:
        rows = rows[tasks.hand_over[rows]]
    order = np.argsort(tasks.lat[rows], kind="stable")
    return TaskPool(rows=rows[order], lat=tasks.lat[rows][order].astype(np.float64))


def top_k_per_group(
    group: np.ndarray, total: np.ndarray, ids: np.ndarray, first_tier: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of each group's k best by (first tier first, total descending, id ascending) —
    :func:`matching.ranking.top_k`'s order — grouped by ascending group; and their 1-based
    ranks. All groups at once: one sort."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int16)
    order = np.lexsort((ids, -total, ~first_tier, group))
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    rank = np.arange(len(order)) - run_start
    keep = rank < k
    return order[keep], (rank[keep] + 1).astype(np.int16)


def _candidates(
    people: PeopleMatrix, i: int, tasks: TaskMatrix, pool: TaskPool, rules: RuleSet
) -> tuple[np.ndarray, np.ndarray]:
    """(task rows, km) of the pool's tasks within reach of person row ``i`` that pass the
    pre-filter and the demand screen — a superset of the feasible ones, as in the per-query
    ranking."""
    limit = rules.hard.max_distance_km
    dlat = limit / 111.0
    lo = np.searchsorted(pool.lat, people.lat[i] - dlat, "left")
    hi = np.searchsorted(pool.lat, people.lat[i] + dlat, "right")
    rows = pool.rows[lo:hi]
    dlon = limit / (111.0 * max(np.cos(np.radians(people.lat[i])), 0.05))
    rows = rows[np.abs(tasks.lon[rows] - people.lon[i]) <= dlon]
    km = haversine_km(people.lat[i], people.lon[i], tasks.lat[rows], tasks.lon[rows])
    near = km <= limit
    rows, km = rows[near], km[near]
    ok = prefilter(people, np.array([i]), tasks, rows, rules)[0]
    rows, km = rows[ok], km[ok]
    screened = demand_screen(people, np.full(len(rows), i), tasks, rows, rules)
    return rows[screened], km[screened]


def match_block(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    pool: TaskPool,
    person_rows: np.ndarray,
    rules: RuleSet,
    k: int,
) -> BlockResult:
    """The top k tasks of each person in ``person_rows`` and each task's top k among them.

    Each person's candidates are scored in one call (one person against many tasks is the
    scorer's broadcast case, several times faster per pair than a mix of people) and their top
    k taken at once; of every feasible pair only the task-side keys are kept, and the pairs that
    make a task's top k are scored again together for their components."""
    by_person: list[TopPairs] = []
    task_rows, person_of, totals, tiers = [], [], [], []
    n_scored = 0
    for i in np.asarray(person_rows, dtype=np.int64):
        rows, km = _candidates(people, int(i), tasks, pool, rules)
        if len(rows) == 0:
            continue
        n_scored += len(rows)
        scores = score_pairs(people, np.full(len(rows), i), tasks, rows, rules, km=km)
        ok = np.flatnonzero(scores.feasible)
        if len(ok) == 0:
            continue
        best = ok[top_k(scores.total[ok], tasks.ids[rows[ok]], k, scores.first_tier[ok])]
        by_person.append(
            TopPairs(
                person_ids=np.full(len(best), people.ids[i]),
                task_ids=tasks.ids[rows[best]],
                rank=np.arange(1, len(best) + 1, dtype=np.int16),
                total=scores.total[best],
                first_tier=scores.first_tier[best],
                contributions=scores.contributions[best],
                unknown=unknown_bits(scores.unknown[best]),
            )
        )
        task_rows.append(rows[ok])
        person_of.append(np.full(len(ok), i))
        totals.append(scores.total[ok])
        tiers.append(scores.first_tier[ok])
    before = len(person_rows) * len(tasks)
    if not by_person:
        return BlockResult(TopPairs.empty(), TopPairs.empty(), before, n_scored, 0)
    tr, pr = np.concatenate(task_rows), np.concatenate(person_of)
    total, fit = np.concatenate(totals), np.concatenate(tiers)
    index, rank = top_k_per_group(tasks.ids[tr], total, people.ids[pr], fit, k)
    again = score_pairs(people, pr[index], tasks, tr[index], rules)
    by_task = TopPairs(
        person_ids=people.ids[pr[index]],
        task_ids=tasks.ids[tr[index]],
        rank=rank,
        total=total[index],
        first_tier=fit[index],
        contributions=again.contributions,
        unknown=unknown_bits(again.unknown),
    )
    return BlockResult(
        by_person=TopPairs.concat(by_person),
        by_task=by_task,
        pairs_before_pruning=before,
        pairs_scored=n_scored,
        pairs_feasible=len(tr),
    )


def _ranked(pairs: TopPairs, group: np.ndarray, ids: np.ndarray, k: int) -> TopPairs:
    index, rank = top_k_per_group(group, pairs.total, ids, pairs.first_tier, k)
    kept = pairs.take(index)
    return TopPairs(
        person_ids=kept.person_ids,
        task_ids=kept.task_ids,
        rank=rank,
        total=kept.total,
        first_tier=kept.first_tier,
        contributions=kept.contributions,
        unknown=kept.unknown,
    )


def merge_by_task(parts: list[TopPairs], k: int) -> TopPairs:
    """Each task's top k over every block, from each block's top k per task."""
    every = TopPairs.concat(parts)
    return _ranked(every, every.task_ids, every.person_ids, k)
