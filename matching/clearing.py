"""Weekly market clearing: who to propose for which hand-over task, for a whole area at once.

Each coordinator taking the best task for their own client, one after another, lets the first
clients take tasks the later ones needed more. Clearing chooses for everyone together: each
person at most one bundle (tasks of one employer, within their weekly hours, no slot booked
twice), each task at most once, so that the total score — or the number of people with a
proposal, then the score — is as high as it can be. Candidates are each person's top k tasks
(the list their coordinator sees). It is an integer program solved exactly with
``scipy.optimize.milp`` (HiGHS); :func:`greedy` is the coordinator-by-coordinator baseline.

The answer is a list of suggestions for the coordinators, never an automatic decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix, vstack

from features.catalogue.schedule import N_SLOTS
from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from matching.batch import match_block, task_pool
from matching.rules import RuleSet

__all__ = [
    "Assignment",
    "CandidatePairs",
    "ClearingObjective",
    "area_candidates",
    "clear",
    "greedy",
    "satisfies",
]


class ClearingObjective(StrEnum):
    SCORE = "score"
    """the most total score"""
    PEOPLE = "people"
    """the most people with a proposal; among such assignments, the most total score"""


@dataclass(frozen=True)
class CandidatePairs:
    """The pairs clearing may choose from: P (person, task) pairs, each feasible on its own
    (as every ranked pair is), and what the constraints need about each side."""

    person_ids: np.ndarray
    """int64 (P,)"""
    task_ids: np.ndarray
    """int64 (P,)"""
    total: np.ndarray
    """float64 (P,): the pair's score"""
    employer_ids: np.ndarray
    """int64 (P,): the task's employer"""
    hours: np.ndarray
    """float64 (P,): the task's weekly hours"""
    slots: np.ndarray
    """int64 (P,): the task's schedule as a bit set"""
    max_hours: np.ndarray
    """float64 (P,): the person's weekly maximum (plus the rules' allowance)"""

    def __len__(self) -> int:
        return len(self.total)


@dataclass(frozen=True)
class Assignment:
    chosen: np.ndarray
    """bool (P,): the pairs proposed"""
    total: float
    people: int
    """people with at least one task"""
    tasks: int
    optimal: bool
    """proved best (False: the solver's time ran out first; the best found is returned)"""


def _summary(pairs: CandidatePairs, chosen: np.ndarray, optimal: bool) -> Assignment:
    return Assignment(
        chosen=chosen,
        total=float(pairs.total[chosen].sum()),
        people=len(np.unique(pairs.person_ids[chosen])),
        tasks=int(chosen.sum()),
        optimal=optimal,
    )


def satisfies(pairs: CandidatePairs, chosen: np.ndarray) -> bool:
    """Whether ``chosen`` keeps every constraint (one task once; per person one employer, the
    hours, no slot twice) — what the tests check every answer against."""
    if len(np.unique(pairs.task_ids[chosen])) != int(chosen.sum()):
        return False
    for person in np.unique(pairs.person_ids[chosen]):
        mine = chosen & (pairs.person_ids == person)
        if len(np.unique(pairs.employer_ids[mine])) > 1:
            return False
        if pairs.hours[mine].sum() > pairs.max_hours[mine][0] + 1e-9:
            return False
        slots = pairs.slots[mine]
        if int(np.bitwise_or.reduce(slots)).bit_count() != sum(int(s).bit_count() for s in slots):
            return False
    return True


def _rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The unique keys and each element's row among them."""
    unique, row = np.unique(keys, return_inverse=True, axis=0)
    return unique, row.reshape(-1)


def clear(
    pairs: CandidatePairs,
    objective: ClearingObjective = ClearingObjective.SCORE,
    time_limit: float = 120.0,
) -> Assignment:
    """The best assignment under ``objective``. Variables: x (one per pair) and z (one per
    person and employer among their pairs); rows: each task once; x ≤ z; each person one z;
    each person's hours; each person's slot once."""
    n = len(pairs)
    if n == 0:
        return _summary(pairs, np.zeros(0, dtype=bool), True)
    useful = pairs.total > 0  # a pair that lowers the score is never worth proposing here
    _, task_row = _rows(pairs.task_ids)
    person_employer, pe_row = _rows(np.stack([pairs.person_ids, pairs.employer_ids], axis=1))
    _, person_row = _rows(pairs.person_ids)
    n_pe, n_people = len(person_employer), int(person_row.max()) + 1
    _, pe_person = _rows(person_employer[:, 0])
    n_vars = n + n_pe
    blocks: list[csr_matrix] = []
    upper: list[np.ndarray] = []
    lower: list[np.ndarray] = []

    def add(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, hi: np.ndarray) -> None:
        blocks.append(coo_matrix((values, (rows, cols)), shape=(len(hi), n_vars)).tocsr())
        upper.append(hi)
        lower.append(np.full(len(hi), -np.inf))

    x = np.arange(n)
    add(task_row, x, np.ones(n), np.ones(int(task_row.max()) + 1))  # each task once
    add(np.r_[x, x], np.r_[x, n + pe_row], np.r_[np.ones(n), -np.ones(n)], np.zeros(n))  # x ≤ z
    add(pe_person, n + np.arange(n_pe), np.ones(n_pe), np.ones(n_people))  # one employer
    # z ≤ Σ x of its pairs: a person counts as placed only with a task.
    add(np.r_[pe_row, np.arange(n_pe)], np.r_[x, n + np.arange(n_pe)],
        np.r_[-np.ones(n), np.ones(n_pe)], np.zeros(n_pe))  # fmt: skip
    add(person_row, x, pairs.hours, _first(pairs.max_hours, person_row, n_people))
    bits = ((pairs.slots[:, None] >> np.arange(N_SLOTS)) & 1).astype(bool)
    pair_of, slot_of = np.nonzero(bits)
    person_slot, ps_row = _rows(np.stack([person_row[pair_of], slot_of], axis=1))
    add(ps_row, pair_of, np.ones(len(pair_of)), np.ones(len(person_slot)))  # each slot once

    matrix = _vstack(blocks)
    integrality = np.ones(n_vars)
    bounds = Bounds(np.zeros(n_vars), np.r_[useful.astype(float), np.ones(n_pe)])
    constraints = [LinearConstraint(matrix, np.concatenate(lower), np.concatenate(upper))]
    # No gap allowed: the answer is proved best, not within HiGHS's default 0.01 %.
    options = {"time_limit": time_limit, "mip_rel_gap": 0.0}
    gain = np.where(useful, pairs.total, 0.0)
    cost = np.r_[-gain, np.zeros(n_pe)]
    if objective is ClearingObjective.PEOPLE:
        # Each person placed (their one z) is worth more than every pair's score together, so
        # the most people come first and the best score among such assignments second.
        cost[n:] = -(1.0 + gain.sum())
    result = milp(cost, integrality=integrality, bounds=bounds, constraints=constraints,
                  options=options)  # fmt: skip
    if result.x is None:
        return _summary(pairs, np.zeros(n, dtype=bool), False)
    return _summary(pairs, result.x[:n] > 0.5, result.status == 0)


def _first(values: np.ndarray, row: np.ndarray, n_rows: int) -> np.ndarray:
    out = np.zeros(n_rows)
    out[row] = values
    return out


def _vstack(blocks: list[csr_matrix]) -> csr_matrix:
    return vstack(blocks).tocsr()


def greedy(pairs: CandidatePairs, order: np.ndarray) -> Assignment:
    """Coordinators one client at a time, in ``order`` (person ids): each client takes their
    best task still free, then, from the same employer, the next best free tasks that fit
    their hours and free slots."""
    chosen = np.zeros(len(pairs), dtype=bool)
    taken: set[int] = set()
    by_person: dict[int, np.ndarray] = {}
    ranked = np.lexsort((pairs.task_ids, -pairs.total, pairs.person_ids))
    for person, group in _groups(pairs.person_ids[ranked], ranked):
        by_person[person] = group
    for person in order:
        mine = by_person.get(int(person))
        if mine is None:
            continue
        mine = mine[pairs.total[mine] > 0]
        free = [p for p in mine if int(pairs.task_ids[p]) not in taken]
        if not free:
            continue
        first = free[0]
        hours, slots = float(pairs.hours[first]), int(pairs.slots[first])
        picked = [first]
        for p in free[1:]:
            if pairs.employer_ids[p] != pairs.employer_ids[first]:
                continue
            if hours + pairs.hours[p] > pairs.max_hours[p] + 1e-9 or slots & int(pairs.slots[p]):
                continue
            hours, slots = hours + float(pairs.hours[p]), slots | int(pairs.slots[p])
            picked.append(p)
        chosen[picked] = True
        taken.update(int(pairs.task_ids[p]) for p in picked)
    return _summary(pairs, chosen, False)


def _groups(keys: np.ndarray, values: np.ndarray) -> list[tuple[int, np.ndarray]]:
    if len(keys) == 0:
        return []
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    return [(int(keys[s]), values[s:e]) for s, e in zip(starts, ends, strict=True)]


def area_candidates(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    person_rows: np.ndarray,
    rules: RuleSet,
    k: int,
    task_rows: np.ndarray | None = None,
) -> CandidatePairs:
    """Each of these people's top k feasible tasks (of ``task_rows``, default every task the
    rules allow), as clearing's candidate pairs — the lists their coordinators see."""
    pool = task_pool(tasks, rules, task_rows)
    found = match_block(people, tasks, pool, person_rows, rules, k).by_person
    task_rows = np.array([tasks.row_of[int(t)] for t in found.task_ids], dtype=np.int64)
    person_rows_of = np.array([people.row_of[int(p)] for p in found.person_ids], dtype=np.int64)
    return CandidatePairs(
        person_ids=found.person_ids,
        task_ids=found.task_ids,
        total=found.total,
        employer_ids=tasks.employer_ids[task_rows],
        hours=tasks.hours[task_rows].astype(np.float64),
        slots=tasks.schedule[task_rows].astype(np.int64),
        max_hours=(people.hours_max[person_rows_of] + rules.hard.max_hours_over).astype(float),
    )
