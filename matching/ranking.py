"""Ranked matching in both directions: person → tasks and task(s) → people.

Cheap one-dimensional constraints (consent, hand-over, distance, licences, hours, schedule)
prune candidates first; :func:`matching.scoring.score_pairs` then scores the survivors as one
batch. Pairs that fit fully come before every other (see ``PairScores.first_tier``), then by
score; ties are broken by id, so the same input always gives the same ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from features.catalogue import SECTORS
from features.errors import InvalidInputError, NotFoundError
from features.geo import haversine_km
from features.pipeline.matrices import PeopleMatrix, TaskMatrix
from features.schemas.errors import FieldError
from matching.rules import RuleSet
from matching.scoring import (
    COMPONENTS,
    PairScores,
    bound_pairs,
    demand_screen,
    score_pairs,
)

__all__ = [
    "MAX_K",
    "Ranked",
    "best_within_bound",
    "feasible_people",
    "prefilter",
    "rank_people_for_tasks",
    "rank_tasks_for_person",
    "reordered",
    "take_pairs",
    "top_k",
    "without",
]

MAX_K = 200
SCORE_ALL_UP_TO = 2048
"""Up to this many candidates are scored in full; beyond, only those that can still reach the
top (see :func:`rank_tasks_for_person`)."""
FIRST_PREFIX = 8
""":func:`best_within_bound` first scores this many times k pairs, then four times more."""


@dataclass(frozen=True)
class Ranked:
    """The top pairs in rank order, with the scores that put them there."""

    ids: np.ndarray
    """ids of the ranked tasks (person → tasks) or people (task(s) → people)"""
    total: np.ndarray
    contributions: np.ndarray
    """(k, n_components), in rank order; for a set of tasks, the mean over the set"""
    pairs: PairScores
    """Every scored pair behind the top k (one per task for a set of tasks)."""
    n_candidates: int
    """How many are within reach and pass the one-dimensional constraints (of these, the
    ones whose demands no adjustment brings within reach are set aside unscored)."""
    n_feasible: int


def top_k(
    total: np.ndarray, ids: np.ndarray, k: int, first_tier: np.ndarray | None = None
) -> np.ndarray:
    """Positions of the k best by (first tier first, total descending, id ascending); exact
    at ties. ``first_tier`` (bool, ``PairScores.first_tier``) puts every pair that fits fully
    before every other, whatever the scores: what is not known about a person or a task, or
    work beyond a physician's recommendation, never outranks a full fit."""
    if first_tier is not None and not first_tier.all():
        first = np.flatnonzero(first_tier)
        rest = np.flatnonzero(~first_tier)
        top = first[top_k(total[first], ids[first], k)]
        return np.concatenate([top, rest[top_k(total[rest], ids[rest], k - len(top))]])
    if len(total) == 0 or k <= 0:
        return np.zeros(0, dtype=np.int64)
    if len(total) > k:
        threshold = np.partition(total, len(total) - k)[len(total) - k]
        candidates = np.flatnonzero(total >= threshold)
    else:
        candidates = np.arange(len(total))
    order = np.lexsort((ids[candidates], -total[candidates]))
    return candidates[order[:k]]


def best_within_bound(
    score: Callable[[np.ndarray], PairScores],
    bound: np.ndarray,
    first_tier: np.ndarray,
    ids: np.ndarray,
    k: int,
) -> tuple[PairScores, np.ndarray]:
    """The top k of P feasible pairs by the order of :func:`top_k`, scoring in full only the
    pairs that can still reach it. ``score(positions)`` scores the pairs at those positions;
    ``bound`` (P,) is never below a pair's total; ``first_tier`` (P,) is each pair's tier.

    Pairs are visited by tier, then bound, descending; a growing prefix is scored until the
    k-th best scored pair beats the next pair's bound within its tier (strictly: ties go by
    id) — then no pair left unscored can enter the top k. Returns the prefix's scores and the
    positions of the top k in them, in rank order.
    """
    order = np.lexsort((-bound, ~first_tier))
    m = min(len(order), FIRST_PREFIX * k)
    while True:
        part = order[:m]
        scores = score(part)
        best = top_k(scores.total, ids[part], k, scores.first_tier)
        if m == len(order):
            return scores, best
        last, following = best[-1], order[m]
        tier = scores.first_tier[last]
        if tier > first_tier[following] or (
            tier == first_tier[following] and scores.total[last] > bound[following]
        ):
            return scores, best
        m = min(len(order), 4 * m)


def prefilter(
    people: PeopleMatrix,
    person_rows: np.ndarray,
    tasks: TaskMatrix,
    task_rows: np.ndarray,
    rules: RuleSet,
) -> np.ndarray:
    """bool (len(person_rows), len(task_rows)): the pairs that pass the rule set's cheap
    one-dimensional constraints — the person may be matched, the task is handed over (when the
    rules ask), licences, the hours, and every slot (when the rules ask for all of them). It
    never drops a pair the scorer would find feasible; distance is each caller's own box. The
    one pre-filter of ranking both ways and of the composer."""
    hard = rules.hard
    ok = np.broadcast_to(people.matchable[person_rows][:, None],
                         (len(person_rows), len(task_rows))).copy()  # fmt: skip
    if hard.hand_over_only:
        ok &= tasks.hand_over[task_rows][None, :]
    if hard.require_licences:
        ok &= (tasks.licences[task_rows][None, :] & ~people.licences[person_rows][:, None]) == 0
    ok &= (
        tasks.hours[task_rows][None, :]
        <= (people.hours_max[person_rows] + hard.max_hours_over)[:, None]
    )
    if hard.min_schedule_overlap >= 1.0:
        ok &= (tasks.schedule[task_rows][None, :] & ~people.schedule[person_rows][:, None]) == 0
    return ok


def _check_k(k: int) -> None:
    if not 1 <= k <= MAX_K:
        raise InvalidInputError([FieldError("k", f"must be 1–{MAX_K}, got {k}")])


def rank_tasks_for_person(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    person_id: int,
    rules: RuleSet,
    k: int = 20,
    *,
    sectors: Sequence[str] | None = None,
    municipalities: Sequence[str] | None = None,
    employer_ids: Sequence[int] | None = None,
    radius_km: float | None = None,
) -> Ranked:
    """The k best feasible tasks for one person, optionally filtered."""
    _check_k(k)
    if person_id not in people.row_of:
        raise NotFoundError(f"no jobseeker with id {person_id}")
    i = people.row_of[person_id]
    # A person who may not be matched passes nothing: why lives in not_matchable_reason.
    keep = prefilter(people, np.array([i]), tasks, np.arange(len(tasks)), rules)[0]
    hard = rules.hard
    if sectors:
        unknown = [s for s in sectors if s not in SECTORS]
        if unknown:
            raise InvalidInputError([FieldError("sectors", SECTORS.unknown_message(unknown[0]))])
        keep &= np.isin(tasks.sector, [SECTORS.index(s) for s in sectors])
    if municipalities:
        keep &= np.isin(tasks.municipality, list(municipalities))
    if employer_ids:
        keep &= np.isin(tasks.employer_ids, list(employer_ids))
    limit = hard.max_distance_km if radius_km is None else min(radius_km, hard.max_distance_km)
    # A bounding box first, then exact distances for what is inside it.
    dlat = limit / 111.0
    dlon = limit / (111.0 * max(np.cos(np.radians(people.lat[i])), 0.05))
    keep &= np.abs(tasks.lat - people.lat[i]) <= dlat
    keep &= np.abs(tasks.lon - people.lon[i]) <= dlon
    rows = np.flatnonzero(keep)
    km = haversine_km(people.lat[i], people.lon[i], tasks.lat[rows], tasks.lon[rows])
    within = km <= limit
    rows, km = rows[within], km[within]
    n_candidates = len(rows)
    person = np.full(len(rows), i)
    screened = demand_screen(people, person, tasks, rows, rules)
    rows, km = rows[screened], km[screened]
    if len(rows) > SCORE_ALL_UP_TO:
        # Many candidates: judge every one (n_feasible stays exact), then score in full only
        # those whose upper bound can still reach the top k.
        judged = bound_pairs(people, person[: len(rows)], tasks, rows, rules, km)
        ok = np.flatnonzero(judged.feasible)
        n_feasible = len(ok)
        rows, km = rows[ok], km[ok]

        def score(part: np.ndarray) -> PairScores:
            return score_pairs(people, person[: len(part)], tasks, rows[part], rules, km=km[part])

        scores, best = best_within_bound(
            score, judged.bound[ok], judged.first_tier[ok], tasks.ids[rows], k
        )
    else:
        scores = score_pairs(people, person[: len(rows)], tasks, rows, rules, km=km)
        ok = np.flatnonzero(scores.feasible)
        n_feasible = len(ok)
        best = ok[top_k(scores.total[ok], tasks.ids[rows[ok]], k, scores.first_tier[ok])]
    return Ranked(
        ids=tasks.ids[scores.task_rows[best]],
        total=scores.total[best],
        contributions=scores.contributions[best],
        pairs=take_pairs(scores, best),
        n_candidates=n_candidates,
        n_feasible=n_feasible,
    )


def rank_people_for_tasks(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    task_ids: Sequence[int],
    rules: RuleSet,
    k: int = 20,
    *,
    areas: Sequence[str] | None = None,
    eligible: np.ndarray | None = None,
) -> Ranked:
    """The k best people for a task, or for a set of tasks (feasible for every one of them;
    scored by the mean over the set). ``eligible`` (bool over people rows) keeps out whoever
    the asking user may not see."""
    _check_k(k)
    judged = _judge_people(people, tasks, task_ids, rules, areas=areas, eligible=eligible)
    rows, task_rows, n_candidates, scores, feasible = judged
    n_tasks = len(task_rows)
    total = scores.total.reshape(len(rows), n_tasks).mean(axis=1)
    contributions = scores.contributions.reshape(len(rows), n_tasks, len(COMPONENTS)).mean(axis=1)
    first = np.asarray(scores.first_tier.reshape(len(rows), n_tasks).all(axis=1))
    ok = np.flatnonzero(feasible)
    best = ok[top_k(total[ok], people.ids[rows[ok]], k, first[ok])]
    pair_index = (best[:, None] * n_tasks + np.arange(n_tasks)[None, :]).ravel()
    return Ranked(
        ids=people.ids[rows[best]],
        total=total[best],
        contributions=contributions[best],
        pairs=take_pairs(scores, pair_index),
        n_candidates=n_candidates,
        n_feasible=len(ok),
    )


def feasible_people(
    people: PeopleMatrix, tasks: TaskMatrix, task_ids: Sequence[int], rules: RuleSet
) -> np.ndarray:
    """Every person the rules allow for the task (or set of tasks), in id order: the pool
    :func:`rank_people_for_tasks` takes its top k from, however many there are."""
    rows, _, _, _, feasible = _judge_people(people, tasks, task_ids, rules)
    return np.sort(people.ids[rows[feasible]])


def _judge_people(
    people: PeopleMatrix,
    tasks: TaskMatrix,
    task_ids: Sequence[int],
    rules: RuleSet,
    *,
    areas: Sequence[str] | None = None,
    eligible: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, int, PairScores, np.ndarray]:
    """The people who pass the cheap screens for every task, scored: their rows, the task
    rows, how many passed the first screens, the pair scores (person-major) and whether each
    person is feasible for every task."""
    if not task_ids:
        raise InvalidInputError([FieldError("task_ids", "give at least one task")])
    missing = [t for t in task_ids if t not in tasks.row_of]
    if missing:
        raise NotFoundError(f"no task with id {', '.join(map(str, missing))}")
    task_rows = np.array([tasks.row_of[t] for t in dict.fromkeys(task_ids)], dtype=np.int64)
    hard = rules.hard
    keep = prefilter(people, np.arange(len(people)), tasks, task_rows, rules).all(axis=1)
    if eligible is not None:
        keep &= eligible
    if areas:
        keep &= np.isin(people.area, list(areas))
    dlat = hard.max_distance_km / 111.0
    for j in task_rows:
        keep &= np.abs(people.lat - tasks.lat[j]) <= dlat
    # A set of tasks is done by one person: all its hours together.
    keep &= tasks.hours[task_rows].sum() <= people.hours_max + hard.max_hours_over * len(task_rows)
    rows = np.flatnonzero(keep)
    n_candidates = len(rows)
    n_tasks = len(task_rows)
    for j in task_rows:
        rows = rows[demand_screen(people, rows, tasks, np.full(len(rows), j), rules)]
    person_rows = np.repeat(rows, n_tasks)
    pair_tasks = np.tile(task_rows, len(rows))
    scores = score_pairs(people, person_rows, tasks, pair_tasks, rules)
    feasible = np.asarray(scores.feasible.reshape(len(rows), n_tasks).all(axis=1))
    return rows, task_rows, n_candidates, scores, feasible


def reordered(ranked: Ranked, order: np.ndarray) -> Ranked:
    """``ranked`` with its items taken in ``order`` (a selection of its positions)."""
    return replace(
        ranked,
        ids=ranked.ids[order],
        total=ranked.total[order],
        contributions=ranked.contributions[order],
        pairs=take_pairs(ranked.pairs, order),
    )


def without(ranked: Ranked, ids: Sequence[int], k: int) -> Ranked:
    """The best ``k`` of ``ranked`` but ``ids``, in rank order: ask the ranker for k plus as
    many as are left out, and the next ones move up in their place (the list stays k long)."""
    keep = np.flatnonzero(~np.isin(ranked.ids, np.asarray(list(ids), dtype=ranked.ids.dtype)))
    return reordered(ranked, keep[:k])


def take_pairs(scores: PairScores, index: np.ndarray) -> PairScores:
    """The pairs at ``index``, in that order."""
    return PairScores(**{
        name: getattr(scores, name)[index] for name in PairScores.__dataclass_fields__
    })  # fmt: skip
